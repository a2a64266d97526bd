/**
 * The checkerboard lab's engine: the exact power spectrum (any size, against a plain DFT and
 * Parseval), the stride-frequency share (against ./periodicity's formula), the lab's statements on
 * generated inputs, stacks of stages, and each method written as one transposed convolution.
 */
import * as assert from 'node:assert/strict';
import {
  convTranspose2d,
  labInput,
  periodicEnergyFraction,
  periodicFrequencyShare,
  powerSpectrum2d,
  runCheckerboardLab,
  seededConvWeight,
  tensor,
  upsamplingAsTransposed,
  wholePeriods,
  LAB_METHODS,
  type LabComparison,
  type Tensor,
} from '../../../src/core/engine/index';
import { mulberry32 } from '../../../src/core/engine/seededWeight';
import { assertLayerError } from './helpers';

const kernelOf = (k: number, seed: number): Tensor => tensor([k, k], seededConvWeight({ outChannels: 1, inChannels: 1, kernelSize: k, seed }).data);
const randomMap = (h: number, w: number, seed: number): Tensor => {
  const next = mulberry32(seed);
  return tensor([h, w], Float64Array.from({ length: h * w }, () => next() * 2 - 1));
};

/** |DFT|²/(h·w) by the definition, O(N²): the reference for the fast one. */
function plainPower(map: Tensor): Float64Array {
  const [h, w] = map.shape as [number, number];
  const power = new Float64Array(h * w);
  for (let u = 0; u < h; u++) {
    for (let v = 0; v < w; v++) {
      let re = 0;
      let im = 0;
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          const angle = -2 * Math.PI * ((u * r) / h + (v * c) / w);
          const x = map.data[r * w + c] as number;
          re += x * Math.cos(angle);
          im += x * Math.sin(angle);
        }
      }
      power[u * w + v] = (re * re + im * im) / (h * w);
    }
  }
  return power;
}

const methods = (lab: LabComparison) => LAB_METHODS.map((name) => lab[name]);

describe('checkerboard lab: power spectrum', () => {
  for (const [h, w] of [[1, 1], [1, 7], [4, 8], [6, 10], [9, 5], [12, 12], [17, 3]] as const) {
    it(`size=${h}x${w}: equals the DFT by definition (power-of-two and Bluestein lengths)`, () => {
      const map = randomMap(h, w, h * 31 + w);
      const fast = powerSpectrum2d(map);
      assert.deepEqual([...fast.shape], [h, w]);
      const slow = plainPower(map);
      let energy = 0;
      for (const v of map.data) energy += v * v;
      slow.forEach((p, i) => assert.ok(Math.abs((fast.data[i] as number) - p) <= 1e-9 * Math.max(1, energy), `bin ${i}: ${fast.data[i]} vs ${p}`));
      // Parseval: the normalised power sums to the energy.
      const total = fast.data.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - energy) <= 1e-9 * energy);
    });
  }

  it('a pure ±1 checkerboard of 510×510 (not a power of two) has all its energy at (N/2, N/2), none leaked', () => {
    const n = 510;
    const map = tensor([n, n], Float64Array.from({ length: n * n }, (_, i) => ((Math.floor(i / n) + (i % n)) % 2 === 0 ? 1 : -1)));
    const power = powerSpectrum2d(map);
    const peak = power.data[(n / 2) * n + n / 2] as number;
    assert.ok(Math.abs(peak - n * n) < 1e-6 * n * n);
    assert.ok(Math.abs(periodicFrequencyShare(power, [2, 2]) - 1) < 1e-12);
    let elsewhere = 0;
    power.data.forEach((p, i) => {
      if (i !== (n / 2) * n + n / 2) elsewhere += p;
    });
    assert.ok(elsewhere < 1e-9 * n * n, `leaked ${elsewhere}`);
  });

  it('a window of the map is transformed on its own', () => {
    const map = randomMap(10, 12, 5);
    const window = { rows: { start: 2, end: 8 }, cols: { start: 3, end: 9 } };
    const cropped = tensor([6, 6], Float64Array.from({ length: 36 }, (_, i) => map.data[(2 + Math.floor(i / 6)) * 12 + 3 + (i % 6)] as number));
    assert.deepEqual([...powerSpectrum2d(map, window).data], [...powerSpectrum2d(cropped).data]);
  });

  it('refuses an empty or out-of-range window, and a spectrum that is not whole periods', () => {
    assertLayerError(() => powerSpectrum2d(randomMap(4, 4, 1), { rows: { start: 0, end: 5 }, cols: { start: 0, end: 4 } }), 'invalid-parameter', /window of whole rows \{ start, end \} within 0…4 of the \[4, 4\] map, not 0…5$/);
    assertLayerError(() => periodicFrequencyShare(powerSpectrum2d(randomMap(5, 4, 1)), [2, 2]), 'invalid-shape', /the spectrum is 5×4 and the period 2×2/);
  });

  it('property: the stride-frequency share equals periodicity’s Parseval formula', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = mulberry32(seed);
      const p = 2 + Math.floor(next() * 3);
      const h = p * (1 + Math.floor(next() * 5));
      const w = p * (1 + Math.floor(next() * 5));
      // A period-p tile plus noise, so that both parts are present.
      const tile = Float64Array.from({ length: p * p }, () => next());
      const map = tensor([h, w], Float64Array.from({ length: h * w }, (_, i) => (tile[(Math.floor(i / w) % p) * p + ((i % w) % p)] as number) + 0.3 * (next() - 0.5)));
      const window = { rows: { start: 0, end: h }, cols: { start: 0, end: w } };
      const share = periodicFrequencyShare(powerSpectrum2d(map), [p, p]);
      assert.ok(Math.abs(share - periodicEnergyFraction(map, window, [p, p])) < 1e-10, `seed ${seed}`);
    }
  });
});

describe('checkerboard lab: generated inputs', () => {
  it('constant is ones, gradient runs 0 → 1 smoothly, pattern is seeded, in [0, 1] and not flat', () => {
    assert.ok(labInput('constant', [3, 4]).data.every((v) => v === 1));
    const g = labInput('gradient', [5, 9]);
    assert.equal(g.data[0], 0);
    assert.equal(g.data[44], 1);
    assert.ok(Math.abs((g.data[2 * 9 + 4] as number) - 0.5) < 1e-15);
    const a = labInput('pattern', [32, 40], 7);
    assert.deepEqual([...a.data], [...labInput('pattern', [32, 40], 7).data]);
    assert.notDeepEqual([...a.data], [...labInput('pattern', [32, 40], 8).data]);
    assert.ok(a.data.every((v) => v >= 0 && v <= 1));
    assert.ok(Math.max(...a.data) - Math.min(...a.data) > 0.3);
    assertLayerError(() => labInput('gradient', [0, 4]), 'invalid-shape', /0×4/);
  });
});

describe('checkerboard lab: the issue’s statements, from the spectrum', () => {
  const inputs = ['constant', 'gradient', 'pattern'] as const;

  it('constant input, k=3 r=2: resize-convolution and ICNR sub-pixel have zero stride-periodic energy in the interior; transposed does not', () => {
    for (const mode of ['nearest', 'bilinear'] as const) {
      for (const kernel of [3, kernelOf(3, 4)]) {
        const lab = runCheckerboardLab(labInput('constant', [12, 12]), { factor: 2, kernel, mode });
        for (const m of [lab.resize, lab.subPixel]) {
          assert.ok((m.outputShare as number) < 1e-12, `${m.method} ${mode}: ${m.outputShare}`);
          assert.ok((m.constantShare as number) < 1e-12);
          assert.equal(m.verdict.kind, 'flat');
        }
        assert.ok((lab.transposed.outputShare as number) > 0.01, `transposed: ${lab.transposed.outputShare}`);
        assert.equal(lab.transposed.verdict.kind, 'checkerboard');
      }
    }
  });

  it('k=3 r=2 ones kernel: the transposed share is Σ(T − mean)²/ΣT² = 4.75/25 of the tile [[1,2],[2,4]]', () => {
    const lab = runCheckerboardLab(labInput('constant', [10, 10]), { factor: 2, kernel: 3 });
    assert.ok(Math.abs((lab.transposed.constantShare as number) - 4.75 / 25) < 1e-12);
    assert.ok(Math.abs((lab.transposed.outputShare as number) - 4.75 / 25) < 1e-12);
  });

  it('k=4 r=2: even overlap counts; no stride energy with a uniform kernel, some with a non-uniform one', () => {
    const uniform = runCheckerboardLab(labInput('constant', [10, 10]), { factor: 2, kernel: 4 });
    const m = uniform.transposed.measures;
    assert.ok(m);
    assert.equal(m.countRatio, 1);
    assert.ok((uniform.transposed.constantShare as number) < 1e-12);
    assert.equal(uniform.transposed.verdict.kind, 'flat');

    const uneven = tensor([4, 4], [1, 2, 3, 4, 2, 5, 1, 1, 0.5, 1, 2, 3, 4, 1, 1, 2]);
    const lab = runCheckerboardLab(labInput('constant', [10, 10]), { factor: 2, kernel: uneven });
    assert.equal(lab.transposed.measures?.countRatio, 1, 'the counts stay even');
    assert.ok((lab.transposed.constantShare as number) > 1e-3, `share ${lab.transposed.constantShare}`);
    assert.equal(lab.transposed.verdict.kind, 'checkerboard');
    assert.match(lab.transposed.verdict.reason, /every interior cell receives 4 products, but the weights sum to different totals/);
  });

  it('gradient and pattern inputs: transposed k=3 r=2 puts more energy at the stride frequencies than the other two', () => {
    for (const kind of inputs.slice(1)) {
      const lab = runCheckerboardLab(labInput(kind, [24, 24], 3), { factor: 2, kernel: 3 });
      for (const other of [lab.resize, lab.subPixel]) {
        assert.ok((lab.transposed.outputShare as number) > 10 * (other.outputShare as number), `${kind}: ${lab.transposed.outputShare} vs ${other.method} ${other.outputShare}`);
      }
    }
  });

  it('the output spectrum has the measured window’s size, and the share is read off it', () => {
    const lab = runCheckerboardLab(labInput('pattern', [15, 11], 2), { factor: 2, kernel: kernelOf(3, 2) });
    for (const m of methods(lab)) {
      const window = m.measures?.window;
      assert.ok(window && m.spectrum);
      assert.deepEqual([...m.spectrum.shape], [window.rows.end - window.rows.start, window.cols.end - window.cols.start]);
      assert.ok(Math.abs((m.outputShare as number) - (m.measures?.outputPeriodicEnergyFraction as number)) < 1e-10, m.method);
      const constantSpectrum = powerSpectrum2d(m.kernelResponse, window);
      assert.ok(Math.abs((m.constantShare as number) - periodicFrequencyShare(constantSpectrum, [2, 2])) < 1e-10, m.method);
    }
  });
});

describe('checkerboard lab: stacks of stages', () => {
  it('stages=2, k=3 r=2: the transposed artifact compounds (period 4, larger share); resize and ICNR stay flat', () => {
    const one = runCheckerboardLab(labInput('constant', [12, 12]), { factor: 2, kernel: 3 });
    const two = runCheckerboardLab(labInput('constant', [12, 12]), { factor: 2, kernel: 3, stages: 2 });
    assert.equal(two.period, 4);
    assert.deepEqual(two.outputSize, [48, 48]);
    assert.deepEqual([...two.transposed.output.shape], [48, 48]);
    assert.ok((two.transposed.constantShare as number) > (one.transposed.constantShare as number));
    assert.equal(two.transposed.verdict.kind, 'checkerboard');
    for (const m of [two.resize, two.subPixel]) {
      assert.ok((m.constantShare as number) < 1e-12, `${m.method}: ${m.constantShare}`);
      assert.equal(m.verdict.kind, 'flat');
    }
  });

  it('stages=3: the interior carries each stage’s margins, and the output is r³ times larger', () => {
    const lab = runCheckerboardLab(labInput('gradient', [6, 6]), { factor: 2, kernel: 3, stages: 3 });
    assert.deepEqual(lab.outputSize, [48, 48]);
    const first = lab.firstStage.resize.interior;
    assert.deepEqual(first, { rows: { start: 1, end: 11 }, cols: { start: 1, end: 11 } });
    // [1, 11) of 12 → [2·1 + 1, 2·11 − 1) = [3, 21) of 24 → [7, 41) of 48.
    assert.deepEqual(lab.resize.interior, { rows: { start: 7, end: 41 }, cols: { start: 7, end: 41 } });
    assert.deepEqual(lab.resize.measures?.window, wholePeriods({ rows: { start: 7, end: 41 }, cols: { start: 7, end: 41 } }, [8, 8]));
  });

  it('the stack’s constant-input interior really is constant for resize and sub-pixel (the carried interior is not too large)', () => {
    const lab = runCheckerboardLab(labInput('constant', [8, 8]), { factor: 2, kernel: kernelOf(3, 9), stages: 2, mode: 'bilinear' });
    for (const m of [lab.resize, lab.subPixel]) {
      const window = m.interior;
      assert.ok(window);
      const [, width] = m.kernelResponse.shape as [number, number];
      const first = m.kernelResponse.data[window.rows.start * width + window.cols.start] as number;
      for (let r = window.rows.start; r < window.rows.end; r++) {
        for (let c = window.cols.start; c < window.cols.end; c++) assert.ok(Math.abs((m.kernelResponse.data[r * width + c] as number) - first) < 1e-12, `${m.method} [${r}, ${c}]`);
      }
    }
  });

  it('refuses 0 or 4 stages', () => {
    assertLayerError(() => runCheckerboardLab(labInput('constant', [4, 4]), { factor: 2, kernel: 3, stages: 4 }), 'invalid-parameter', /from 1 to 3, but is 4/);
    assertLayerError(() => runCheckerboardLab(labInput('constant', [4, 4]), { factor: 2, kernel: 3, stages: 0 }), 'invalid-parameter', /but is 0/);
  });
});

describe('checkerboard lab: each method as one transposed convolution (for the step player)', () => {
  for (const factor of [2, 3]) {
    for (const k of [1, 2, 3, 4, 5]) {
      it(`r=${factor} k=${k}: nearest resize-convolution, sub-pixel (ICNR and a given weight) and transposed give the same output`, () => {
        const input = randomMap(7, 6, factor * 10 + k);
        const kernel = tensor([k, k + 1], seededConvWeight({ outChannels: 1, inChannels: 1, kernelSize: [k, k + 1], seed: k }).data);
        const given = seededConvWeight({ outChannels: factor * factor, inChannels: 1, kernelSize: [k, k + 1], seed: 99 });
        for (const subPixelWeight of [undefined, given]) {
          const lab = runCheckerboardLab(input, { factor, kernel, ...(subPixelWeight ? { subPixelWeight } : {}) });
          for (const method of LAB_METHODS) {
            const form = upsamplingAsTransposed(lab.firstStage, method);
            assert.ok(form, method);
            assert.ok(form.outputPadding.every((op) => op >= 0 && op < factor), `${method}: output padding ${form.outputPadding}`);
            const output = convTranspose2d(input, form.kernel, form);
            const expected = lab[method].output;
            assert.deepEqual([...output.shape], [...expected.shape], method);
            output.data.forEach((v, i) => assert.ok(Math.abs(v - (expected.data[i] as number)) < 1e-12, `${method} value ${i}: ${v} vs ${expected.data[i]}`));
          }
        }
      });
    }
  }

  it('bilinear resize-convolution has no transposed form (it clamps at the borders)', () => {
    const lab = runCheckerboardLab(labInput('constant', [6, 6]), { factor: 2, kernel: 3, mode: 'bilinear' });
    assert.equal(upsamplingAsTransposed(lab.firstStage, 'resize'), undefined);
  });
});
