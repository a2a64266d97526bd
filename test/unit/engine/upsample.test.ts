import { outputShape, upsample } from '../../../src/core/engine/index';
import { assertTensor, t } from './helpers';

describe('upsample', () => {
  it("nearest repeats each value (PyTorch's default mode)", () => {
    assertTensor(upsample(t([2, 2], [1, 2, 3, 4]), { scaleFactor: 2 }), [4, 4], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
    assertTensor(upsample(t([1, 2], [1, 2]), { mode: 'nearest', scaleFactor: [1, 3] }), [1, 6], [[1, 1, 1, 2, 2, 2]]);
    assertTensor(upsample(t([1, 3], [1, 2, 3]), { mode: 'nearest', size: [1, 2] }), [1, 2], [[1, 2]]);
  });

  it('nearest with a non-integer scale factor maps back with 1/scale_factor, not H_in/H_out (in float32)', () => {
    const row = t([1, 4], [10, 20, 30, 40]);
    // ⌊4·2.6⌋ = 10 outputs; source ⌊dst·(1/2.6)⌋ = 0,0,0,1,1,1,2,2,3,3.
    assertTensor(upsample(row, { mode: 'nearest', scaleFactor: [1, 2.6] }), [1, 10], [[10, 10, 10, 20, 20, 20, 30, 30, 40, 40]]);
    // The same output size asked for directly uses 4/10: ⌊dst·0.4⌋ = 0,0,0,1,1,2,2,2,3,3.
    assertTensor(upsample(row, { mode: 'nearest', size: [1, 10] }), [1, 10], [[10, 10, 10, 20, 20, 30, 30, 30, 40, 40]]);
    assertTensor(upsample(t([1, 5], [1, 2, 3, 4, 5]), { scaleFactor: [1, 1.5] }), [1, 7], [[1, 1, 2, 3, 3, 4, 5]]);
  });

  it('bilinear, with and without align_corners', () => {
    const row = t([1, 2], [0, 4]);
    assertTensor(upsample(row, { mode: 'bilinear', size: [1, 4] }), [1, 4], [[0, 1, 3, 4]]);
    assertTensor(upsample(row, { mode: 'bilinear', size: [1, 4], alignCorners: true }), [1, 4], [[0, 4 / 3, 8 / 3, 4]]);
    assertTensor(upsample(t([2, 2], [0, 4, 8, 12]), { mode: 'bilinear', scaleFactor: 2, alignCorners: false }), [4, 4], [
      [0, 1, 3, 4],
      [2, 3, 5, 6],
      [6, 7, 9, 10],
      [8, 9, 11, 12],
    ]);
    assertTensor(upsample(t([1, 3], [0, 3, 9]), { mode: 'bilinear', size: [1, 1], alignCorners: true }), [1, 1], [[0]]);
  });

  it('keeps the channels of [C, H, W] and [N, C, H, W] inputs', () => {
    assertTensor(upsample(t([2, 1, 1], [1, 2]), { scaleFactor: 2 }), [2, 2, 2], [1, 1, 1, 1, 2, 2, 2, 2]);
    assertTensor(upsample(t([1, 2, 1, 1], [1, 2]), { scaleFactor: [1, 2] }), [1, 2, 1, 2], [1, 1, 2, 2]);
  });

  it('gives the size formula per axis', () => {
    const shape = outputShape('upsample', [1, 1, 5, 4], { scaleFactor: [1.5, 2] });
    assertTensor({ shape: shape.shape, data: new Float64Array(0) }, [1, 1, 7, 8], []);
  });
});
