/** The volume panel's layout (webview/volume/volumeLayout.ts): axes, slices, bars and the slices a step touches. */
import * as assert from 'node:assert/strict';
import { tensor, traceConvTranspose3d } from '../../../src/core/engine/index';
import { barLayout, sliceOf, stepSlices, volumeAxes } from '../../../webview/volume/volumeLayout';

describe('volume panel layout', () => {
  it('reads batch, channels and the volume from every rank a layer takes', () => {
    assert.deepEqual(volumeAxes([2, 3, 7], 1), { batch: 2, channels: 3, depth: 1, height: 1, width: 7 });
    assert.deepEqual(volumeAxes([3, 7], 1), { batch: 1, channels: 3, depth: 1, height: 1, width: 7 });
    assert.deepEqual(volumeAxes([1, 2, 4, 5, 6], 3), { batch: 1, channels: 2, depth: 4, height: 5, width: 6 });
    assert.deepEqual(volumeAxes([4, 5, 6], 3), { batch: 1, channels: 1, depth: 4, height: 5, width: 6 });
  });

  it('cuts one strip or slice out of the tensor, clamping the indices', () => {
    const seq = tensor([1, 2, 3], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(sliceOf(seq, 1, 0, 1, 0).values), [4, 5, 6]);
    const vol = tensor([1, 1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const slice = sliceOf(vol, 3, 0, 0, 1);
    assert.deepEqual([slice.rows, slice.cols, Array.from(slice.values)], [2, 2, [5, 6, 7, 8]]);
    assert.deepEqual(Array.from(sliceOf(vol, 3, 0, 0, 9).values), [5, 6, 7, 8]);
  });

  it('draws bars up from a zero line, down for negative values', () => {
    const { bars, baseline } = barLayout([1, 2, 1, 2], 40, 10);
    assert.equal(baseline, 10);
    assert.deepEqual(bars.map((b) => b.height), [5, 10, 5, 10]);
    assert.deepEqual(bars.map((b) => b.x), [1, 11, 21, 31]);
    const mixed = barLayout([-1, 3], 20, 8);
    assert.equal(mixed.baseline, 6);
    assert.deepEqual([mixed.bars[0]?.y, mixed.bars[0]?.height, mixed.bars[1]?.y, mixed.bars[1]?.height], [6, 2, 0, 6]);
    assert.equal(barLayout([Number.NaN], 10, 10).bars[0]?.height, 0);
  });

  it('follows a 3-D step to the slices it reads and writes', () => {
    const trace = traceConvTranspose3d(tensor([1, 1, 2, 1, 1], [1, 2]), tensor([1, 1, 2, 1, 1], [1, 1]), { stride: 3 });
    assert.deepEqual(stepSlices(trace.step(0)), { input: 0, kernel: 0, output: 0 });
    assert.deepEqual(stepSlices(trace.step(1)), { input: 1, kernel: 0, output: 3 });
  });
});
