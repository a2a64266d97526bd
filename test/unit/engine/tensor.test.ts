import * as assert from 'node:assert/strict';
import { sizeOf, tensor } from '../../../src/core/engine/tensor';

describe('tensor', () => {
  it('counts the elements of a shape', () => {
    assert.equal(sizeOf([2, 3, 4]), 24);
    assert.equal(sizeOf([]), 1);
    assert.equal(sizeOf([3, 0]), 0);
  });
  it('rejects data that does not fill the shape', () => {
    assert.throws(() => tensor([2, 2], [1, 2, 3]), /holds 4 values but 3 were given/);
    assert.deepEqual(tensor([1, 2], [5, 6]).data, new Float64Array([5, 6]));
  });
});
