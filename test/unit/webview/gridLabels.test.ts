import * as assert from 'node:assert/strict';
import { LABEL_GAP, labelStep } from '../../../webview/shared/gridLabels';

describe('grid labels', () => {
  it('labels every index when a label and the gap fit in a cell', () => {
    assert.equal(labelStep(4, 47, 8), 1);
    assert.equal(labelStep(10, 8 + LABEL_GAP, 8), 1);
  });

  it('steps by 2, 5, 10, 20, … when they do not: a 32-column grid of 12 px cells with 13 px two-digit labels', () => {
    assert.equal(labelStep(32, 12, 13), 2);
    assert.equal(labelStep(32, 5, 13), 5);
    assert.equal(labelStep(1000, 3, 19.5), 10);
    assert.equal(labelStep(1000, 1, 19.5), 50);
  });

  it('never steps past the last index, and labels index 0 alone when nothing else fits', () => {
    assert.equal(labelStep(3, 3, 40), 5);
    assert.equal(labelStep(1, 3, 40), 1);
    assert.equal(labelStep(7, 0, 10), 7);
  });
});
