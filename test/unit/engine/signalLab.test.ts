/** The checkerboard lab in 1-D (src/core/engine/signalLab.ts): the sweep, the output and its stride tones. */
import * as assert from 'node:assert/strict';
import { convTranspose1d, tensor } from '../../../src/core/engine/index';
import { MAX_SIGNAL_LENGTH, signalLab, sineSweep } from '../../../src/core/engine/signalLab';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12, `${a} vs ${b}`);

describe('signal lab (1-D checkerboard lab)', () => {
  it('sweeps linearly in frequency: a fixed frequency is a plain sine', () => {
    const quarter = sineSweep(4, 0.25, 0.25);
    [0, 1, 0, -1].forEach((v, i) => close(quarter[i] as number, v));
    assert.equal(sineSweep(512).length, 512);
    assert.throws(() => sineSweep(MAX_SIGNAL_LENGTH + 1), /length/);
    assert.throws(() => sineSweep(8, 0.1, 0.5), /below 0.5/);
  });

  it('outputs the layer’s output and a one-sided spectrum whose two sides sum to its energy', () => {
    const signal = sineSweep(64);
    const kernel = Float64Array.from([0.5, 1, 0.5]);
    const lab = signalLab(signal, kernel, { stride: 2, padding: 1 });
    assert.deepEqual(lab.output, convTranspose1d(tensor([1, 1, 64], signal), tensor([1, 1, 3], kernel), { stride: 2, padding: 1 }).data);
    const n = lab.output.length;
    assert.equal(lab.spectrum.length, Math.floor(n / 2) + 1);
    // Parseval: Σ|X|²/N over both sides = Σ x²; the one-sided bins 1 … ⌈N/2⌉−1 count twice.
    let twoSided = lab.spectrum[0] as number;
    for (let b = 1; b < lab.spectrum.length; b++) twoSided += (lab.spectrum[b] as number) * (n % 2 === 0 && b === n / 2 ? 1 : 2);
    close(twoSided / lab.output.reduce((s, v) => s + v * v, 0), 1);
  });

  it('puts a constant through kernel 3, stride 2 into a tone at half the rate; kernel 4 leaves almost none', () => {
    const ones = new Float64Array(512).fill(1);
    const uneven = signalLab(ones, Float64Array.from([1, 1, 1]), { stride: 2 });
    // 1025 outputs: half the rate lies between bins 512 and 513; the one-sided spectrum ends at 512.
    assert.deepEqual(uneven.toneBins, [512]);
    assert.ok(uneven.toneShare > 0.9, `tone share ${uneven.toneShare}`);
    const even = signalLab(ones, Float64Array.from([1, 1, 1, 1]), { stride: 2, padding: 1 });
    assert.ok(even.toneShare < 0.05, `tone share ${even.toneShare}`);
    assert.deepEqual(signalLab(ones, Float64Array.from([1]), {}).toneBins, [], 'stride 1 has no tone');
    assert.equal(signalLab(new Float64Array(8), Float64Array.from([1, 1, 1]), { stride: 2 }).toneShare, 0, 'silence');
  });

  it('refuses what the layer refuses, in its words', () => {
    assert.throws(() => signalLab(new Float64Array(4), Float64Array.from([1, 1]), { stride: 0 }), /stride/);
    assert.throws(() => signalLab(new Float64Array(0), Float64Array.from([1]), {}), /1 to/);
  });
});
