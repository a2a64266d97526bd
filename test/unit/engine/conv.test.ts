import { conv1d, conv2d } from '../../../src/core/engine/index';
import { assertTensor, t } from './helpers';

const nine = t([3, 3], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);

describe('conv2d', () => {
  it('is a cross-correlation (the kernel is not flipped)', () => {
    assertTensor(conv2d(nine, t([2, 2], [[1, 0], [0, -1]])), [2, 2], [[-4, -4], [-4, -4]]);
    assertTensor(conv2d(nine, t([1, 2], [[0, 1]])), [3, 2], [[2, 3], [5, 6], [8, 9]]);
  });

  it('zero padding and stride', () => {
    const ones3x3 = t([3, 3], [1, 1, 1, 1, 1, 1, 1, 1, 1]);
    assertTensor(conv2d(nine, ones3x3, { padding: 1, stride: 2 }), [2, 2], [[12, 16], [24, 28]]);
    assertTensor(conv2d(nine, ones3x3, { padding: [1, 0] }), [3, 1], [[21], [45], [39]]);
  });

  it("padding 'same' keeps the size, the odd padding going right/bottom; 'valid' is no padding", () => {
    const ones2x2 = t([2, 2], [1, 1, 1, 1]);
    assertTensor(conv2d(nine, ones2x2, { padding: 'same' }), [3, 3], [[12, 16, 9], [24, 28, 15], [15, 17, 9]]);
    assertTensor(conv2d(nine, ones2x2, { padding: 'valid' }), [2, 2], [[12, 16], [24, 28]]);
    // With dilation 2 a 2×2 kernel spans 3: padding 1 on every side.
    assertTensor(conv2d(nine, ones2x2, { padding: 'same', dilation: 2 }), [3, 3], [[5, 10, 5], [10, 20, 10], [5, 10, 5]]);
  });

  it('unbatched [C, H, W] and batched inputs, with groups and bias', () => {
    const input = t([2, 1, 1], [1, 10]);
    assertTensor(conv2d(input, t([3, 2, 1, 1], [1, 0, 0, 1, 1, 1])), [3, 1, 1], [1, 10, 11]);
    assertTensor(conv2d(t([1, 2, 1, 1], [1, 10]), t([2, 1, 1, 1], [2, 3]), { groups: 2, bias: t([2], [1, 1]) }), [1, 2, 1, 1], [3, 31]);
  });

  it('propagates NaN in the input, and a non-finite weight times the zero padding gives NaN as in PyTorch', () => {
    assertTensor(conv2d(t([2, 2], [[NaN, 1], [1, 1]]), t([1, 1], [2])), [2, 2], [[NaN, 2], [2, 2]]);
    const out = conv2d(t([2, 2], [1, 1, 1, 1]), t([1, 1], [Infinity]), { padding: 1 });
    assertTensor(out, [4, 4], [[NaN, NaN, NaN, NaN], [NaN, Infinity, Infinity, NaN], [NaN, Infinity, Infinity, NaN], [NaN, NaN, NaN, NaN]]);
  });
});

describe('conv1d', () => {
  it('a [C, L] sequence, with stride and padding', () => {
    const input = t([1, 4], [1, 2, 3, 4]);
    assertTensor(conv1d(input, t([1, 1, 2], [1, -1])), [1, 3], [[-1, -1, -1]]);
    assertTensor(conv1d(input, t([1, 1, 2], [1, -1]), { stride: 2 }), [1, 2], [[-1, -1]]);
    assertTensor(conv1d(input, t([1, 1, 3], [1, 1, 1]), { padding: 'same' }), [1, 4], [[3, 6, 9, 7]]);
    assertTensor(conv1d(input, t([1, 1, 2], [1, 1]), { padding: [1], dilation: 2 }), [1, 4], [[2, 4, 6, 3]]);
  });

  it('a [N, C, L] batch with bias', () => {
    const out = conv1d(t([2, 1, 2], [1, 2, 3, 4]), t([2, 1, 1], [1, -1]), { bias: t([2], [0, 10]) });
    assertTensor(out, [2, 2, 2], [[1, 2, 9, 8], [3, 4, 7, 6]]);
  });
});
