/** The lab page's picture arithmetic: shared ranges, the centred log spectrum and its stride rings, image pixels to grey. */
import * as assert from 'node:assert/strict';
import { centredLogPower, channelFromRgba, fitSize, heatColor, normalise, sharedRange, spectrumRange, strideFrequencyPixels, SPECTRUM_DECADES } from '../../../webview/lab/labImages';

const view = (rows: number, cols: number, values: number[]) => ({ rows, cols, data: Float64Array.from(values) });

describe('lab page pictures', () => {
  it('shares one range over the three methods’ windows, ignoring non-finite values', () => {
    const a = view(2, 2, [0, 1, 2, 100]);
    const b = view(2, 2, [-1, NaN, 3, 4]);
    assert.deepEqual(sharedRange([{ matrix: a, window: { rows: [0, 1], cols: [0, 2] } }, { matrix: b }]), { lo: -1, hi: 4 });
    assert.equal(normalise(1.5, { lo: -1, hi: 4 }), 0.5);
    assert.equal(normalise(9, { lo: -1, hi: 4 }), 1);
    assert.equal(normalise(3, { lo: 3, hi: 3 }), 0.5, 'a flat range draws mid-grey');
  });

  it('centres the spectrum (DC in the middle) on a log scale, and rings the period’s frequencies', () => {
    // 4×4 power with DC 16 and the (2, 2) checkerboard frequency 4.
    const power = new Array<number>(16).fill(0);
    power[0] = 16;
    power[2 * 4 + 2] = 4;
    const centred = centredLogPower(view(4, 4, power));
    assert.equal(centred.data[2 * 4 + 2], Math.log10(16), 'DC at the centre');
    assert.equal(centred.data[0], Math.log10(4), 'the Nyquist corner');
    assert.equal(centred.data[1], -Infinity);
    assert.deepEqual(spectrumRange([centred]), { lo: Math.log10(16) - SPECTRUM_DECADES, hi: Math.log10(16) });
    assert.deepEqual(strideFrequencyPixels(4, 4, 2).sort(), [[0, 0], [0, 2], [2, 0]].sort());
    assert.deepEqual(strideFrequencyPixels(6, 4, 4), [], 'sides that are not whole periods have no exact bins');
  });

  it('turns RGBA to grey with BT.601 weights or to one channel, transparency as white, and fits an image into the side limit', () => {
    const pixels = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 0, 0];
    const grey = channelFromRgba(pixels, 2, 2);
    assert.deepEqual([...grey.data].map((v) => Math.round(v * 1000) / 1000), [0.299, 0.587, 0.114, 1]);
    assert.deepEqual([...channelFromRgba(pixels, 2, 2, 'green').data], [0, 1, 0, 1]);
    assert.deepEqual(fitSize(1024, 512, 128), [128, 64]);
    assert.deepEqual(fitSize(20, 10, 128), [20, 10]);
    assert.deepEqual(heatColor(0), [0, 0, 4]);
    assert.deepEqual(heatColor(1), [252, 255, 164]);
  });
});
