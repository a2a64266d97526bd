import * as assert from 'node:assert/strict';
import { convTranspose1d, convTranspose2d } from '../../../src/core/engine/index';
import { assertTensor, t } from './helpers';

const textbookInput = t([2, 2], [[1, 2], [3, 4]]);
const ones2x2 = t([2, 2], [[1, 1], [1, 1]]);

describe('convTranspose2d', () => {
  it('textbook case: [[1,2],[3,4]] with a 2×2 kernel of ones, stride 1, as plain matrices', () => {
    const out = convTranspose2d(textbookInput, ones2x2, { stride: 1 });
    assertTensor(out, [3, 3], [[1, 3, 2], [4, 10, 6], [3, 7, 4]]);
  });

  it('stride 2 with a 2×2 kernel pastes the kernel without overlap', () => {
    assertTensor(convTranspose2d(textbookInput, ones2x2, { stride: 2 }), [4, 4], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
  });

  it('padding trims the full output and output_padding extends it at the bottom/right', () => {
    const kernel = t([3, 3], [[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
    // Full 5×5 output: [[1,1,3,2,2],[1,1,3,2,2],[4,4,10,6,6],[3,3,7,4,4],[3,3,7,4,4]].
    assertTensor(convTranspose2d(textbookInput, kernel, { stride: 2 }), [5, 5], [[1, 1, 3, 2, 2], [1, 1, 3, 2, 2], [4, 4, 10, 6, 6], [3, 3, 7, 4, 4], [3, 3, 7, 4, 4]]);
    assertTensor(convTranspose2d(textbookInput, kernel, { stride: 2, padding: 1 }), [3, 3], [[1, 3, 2], [4, 10, 6], [3, 7, 4]]);
    assertTensor(convTranspose2d(textbookInput, kernel, { stride: 2, padding: 1, outputPadding: 1 }), [4, 4], [[1, 3, 2, 2], [4, 10, 6, 6], [3, 7, 4, 4], [3, 7, 4, 4]]);
  });

  it('takes pairs per axis', () => {
    const out = convTranspose2d(t([1, 2], [[1, 2]]), t([1, 2], [[1, 10]]), { stride: [1, 3], padding: [0, 0], dilation: [1, 1] });
    assertTensor(out, [1, 5], [[1, 10, 0, 2, 20]]);
  });

  it('dilation spreads the kernel taps', () => {
    const out = convTranspose2d(t([1, 2], [[1, 2]]), t([1, 2], [[1, 10]]), { dilation: [1, 2] });
    assertTensor(out, [1, 4], [[1, 2, 10, 20]]);
  });

  it('an unbatched [C, H, W] input gives [C_out, H_out, W_out]', () => {
    const weight = t([1, 2, 2, 2], [1, 1, 1, 1, 2, 2, 2, 2]);
    const out = convTranspose2d(t([1, 2, 2], [1, 2, 3, 4]), weight);
    assertTensor(out, [2, 3, 3], [[1, 3, 2, 4, 10, 6, 3, 7, 4], [2, 6, 4, 8, 20, 12, 6, 14, 8]]);
  });

  it('a batched [N, C, H, W] input with groups and bias', () => {
    const out = convTranspose2d(t([1, 2, 1, 1], [1, 10]), t([2, 1, 1, 1], [2, 3]), { groups: 2, bias: t([2], [0.5, -1]) });
    assertTensor(out, [1, 2, 1, 1], [2.5, 29]);
  });

  it('mixes input channels within a group and keeps groups apart', () => {
    // groups 2, 2 input channels per group, 1 output channel per group.
    const input = t([1, 4, 1, 1], [1, 2, 3, 4]);
    const weight = t([4, 1, 1, 1], [1, 10, 100, 1000]);
    assertTensor(convTranspose2d(input, weight, { groups: 2 }), [1, 2, 1, 1], [1 + 20, 300 + 4000]);
  });

  it('a matrix input takes a 4-D weight with one input and one output channel', () => {
    assertTensor(convTranspose2d(textbookInput, t([1, 1, 2, 2], [1, 1, 1, 1])), [3, 3], [[1, 3, 2], [4, 10, 6], [3, 7, 4]]);
  });

  it('propagates NaN and infinity as PyTorch does (∞·0 is NaN, cropped positions are dropped)', () => {
    const withNaN = convTranspose2d(t([2, 2], [[NaN, 0], [0, 0]]), ones2x2);
    assertTensor(withNaN, [3, 3], [[NaN, NaN, 0], [NaN, NaN, 0], [0, 0, 0]]);
    const withInf = convTranspose2d(t([2, 2], [[Infinity, 0], [0, 0]]), t([2, 2], [[1, 0], [0, 1]]));
    assertTensor(withInf, [3, 3], [[Infinity, NaN, 0], [NaN, Infinity, 0], [0, 0, 0]]);
    // padding 1 keeps only the centre of the full output, where ∞·1 lands and the NaNs do not.
    assertTensor(convTranspose2d(t([2, 2], [[Infinity, 0], [0, 0]]), t([2, 2], [[1, 0], [0, 1]]), { padding: 1 }), [1, 1], [Infinity]);
  });

  it('does not modify its arguments', () => {
    const input = t([2, 2], [1, 2, 3, 4]);
    convTranspose2d(input, ones2x2, { stride: 2, bias: t([1], [1]) });
    assert.deepEqual([...input.data], [1, 2, 3, 4]);
    assert.deepEqual([...ones2x2.data], [1, 1, 1, 1]);
  });
});

describe('convTranspose1d', () => {
  it('a [C, L] sequence with dilation', () => {
    assertTensor(convTranspose1d(t([1, 2], [1, 2]), t([1, 1, 2], [1, 10]), { dilation: 2 }), [1, 4], [[1, 2, 10, 20]]);
  });

  it('a [N, C, L] batch with stride, padding and output_padding', () => {
    const input = t([2, 1, 3], [1, 2, 3, 4, 5, 6]);
    assertTensor(convTranspose1d(input, t([1, 1, 2], [1, 1]), { stride: 2 }), [2, 1, 6], [[1, 1, 2, 2, 3, 3], [4, 4, 5, 5, 6, 6]]);
    assertTensor(convTranspose1d(input, t([1, 1, 2], [1, 1]), { stride: [2], padding: 1, outputPadding: 1 }), [2, 1, 5], [[1, 2, 2, 3, 3], [4, 5, 5, 6, 6]]);
  });

  it('with channels, groups and bias', () => {
    const out = convTranspose1d(t([2, 1], [1, 2]), t([2, 2, 1], [1, 2, 3, 4]), { groups: 2, bias: t([4], [0, 0, 0, 1]) });
    assertTensor(out, [4, 1], [1, 2, 6, 9]);
  });
});
