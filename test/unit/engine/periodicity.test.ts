/** The shared periodicity measures: their definitions, checked against a direct 2-D DFT. */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { countRatio, periodicEnergyFraction, phaseMeans, relativeAmplitude, tensor, wholePeriods, type Tensor, type Window } from '../../../src/core/engine/index';
import { grid } from './helpers';

/** A `rows × cols` map repeating `tile` from position (0, 0). */
function tiled(tile: readonly (readonly number[])[], rows: number, cols: number): Tensor {
  const ph = tile.length;
  const pw = (tile[0] as readonly number[]).length;
  return tensor([rows, cols], Float64Array.from({ length: rows * cols }, (_, i) => (tile[Math.floor(i / cols) % ph] as readonly number[])[(i % cols) % pw] as number));
}

const whole = (rows: number, cols: number): Window => ({ rows: { start: 0, end: rows }, cols: { start: 0, end: cols } });

/** Σ|X[f]|²/N over the window's nonzero frequencies that are multiples of (size / period), over Σ v²: the definition by DFT. */
function dftShare(map: Tensor, window: Window, [ph, pw]: readonly [number, number]): number {
  const width = map.shape[1] as number;
  const rows = window.rows.end - window.rows.start;
  const cols = window.cols.end - window.cols.start;
  let periodic = 0;
  let total = 0;
  for (let fy = 0; fy < rows; fy += rows / ph) {
    for (let fx = 0; fx < cols; fx += cols / pw) {
      if (fy === 0 && fx === 0) continue;
      let re = 0;
      let im = 0;
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < cols; x++) {
          const v = map.data[(window.rows.start + y) * width + window.cols.start + x] as number;
          const angle = -2 * Math.PI * ((fy * y) / rows + (fx * x) / cols);
          re += v * Math.cos(angle);
          im += v * Math.sin(angle);
        }
      }
      periodic += (re * re + im * im) / (rows * cols);
    }
  }
  for (let y = window.rows.start; y < window.rows.end; y++) for (let x = window.cols.start; x < window.cols.end; x++) total += (map.data[y * width + x] as number) ** 2;
  return periodic / total;
}

describe('periodicity measures', () => {
  it('a flat map has no periodic energy; a ±1 checkerboard has all of it', () => {
    assert.equal(periodicEnergyFraction(tiled([[3]], 6, 6), whole(6, 6), [2, 2]), 0);
    assert.equal(periodicEnergyFraction(tiled([[1, -1], [-1, 1]], 6, 6), whole(6, 6), [2, 2]), 1);
  });

  it('the k3 s2 tile [[4,2],[2,1]]: Σ(T − mean)²/ΣT² = 4.75/25 over one tile or three periods', () => {
    const tile = [[4, 2], [2, 1]];
    assert.ok(Math.abs(periodicEnergyFraction(tiled(tile, 2, 2), whole(2, 2), [2, 2]) - 4.75 / 25) < 1e-15);
    const map = tiled(tile, 9, 9);
    const window = { rows: { start: 1, end: 7 }, cols: { start: 3, end: 9 } };
    assert.ok(Math.abs(periodicEnergyFraction(map, window, [2, 2]) - 4.75 / 25) < 1e-15);
    // Phases are absolute positions mod period, wherever the window starts.
    assert.deepEqual(grid(phaseMeans(map, window, [2, 2])), tile);
  });

  it('property: equals the share of the DFT energy at the period’s nonzero frequencies', () => {
    const arbitrary = fc.record({
      ph: fc.integer({ min: 1, max: 3 }),
      pw: fc.integer({ min: 1, max: 3 }),
      ny: fc.integer({ min: 1, max: 3 }),
      nx: fc.integer({ min: 1, max: 3 }),
      values: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 110, maxLength: 110 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ ph, pw, ny, nx, values }) => {
        const rows = ph * ny + 1;
        const cols = pw * nx + 2;
        const map = tensor([rows, cols], values.slice(0, rows * cols));
        const window = wholePeriods({ rows: { start: 1, end: rows }, cols: { start: 2, end: cols } }, [ph, pw]) as Window;
        if (map.data.slice().every((v) => v === 0)) return;
        const share = periodicEnergyFraction(map, window, [ph, pw]);
        const phases = phaseMeans(map, window, [ph, pw]);
        if (relativeAmplitude(phases.data) === 0) assert.equal(share, 0);
        else assert.ok(Math.abs(share - dftShare(map, window, [ph, pw])) < 1e-9, `${share} vs ${dftShare(map, window, [ph, pw])}`);
      }),
      { numRuns: 150 },
    );
  });

  it('wholePeriods crops at the bottom/right and gives up below one period', () => {
    assert.deepEqual(wholePeriods({ rows: { start: 1, end: 8 }, cols: { start: 2, end: 5 } }, [2, 3]), { rows: { start: 1, end: 7 }, cols: { start: 2, end: 5 } });
    assert.equal(wholePeriods({ rows: { start: 1, end: 2 }, cols: { start: 0, end: 5 } }, [2, 2]), undefined);
  });

  it('countRatio and relativeAmplitude: ∞ for a gap, 0 within float residue, ∞ around a zero mean', () => {
    assert.equal(countRatio(Float64Array.of(4, 2, 2, 1)), 4);
    assert.equal(countRatio(Float64Array.of(1, 0)), Infinity);
    assert.equal(relativeAmplitude(Float64Array.of(1, 1 + 1e-15)), 0);
    assert.equal(relativeAmplitude(Float64Array.of(4, 2, 2, 1)), 3 / 2.25);
    assert.equal(relativeAmplitude(Float64Array.of(1, -1)), Infinity);
  });
});
