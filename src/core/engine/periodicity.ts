/**
 * How unevenly a 2-D map repeats with a period `[p_h, p_w]` (a transposed convolution's stride, an
 * upsampling factor): the measures by which the overlap analysis judges one transposed convolution
 * and the checkerboard lab compares upsampling methods on equal terms.
 *
 * A "tile" is `[p_h, p_w]`, indexed by absolute output position mod period (`tile[r][c]` describes
 * the cells `(o_h, o_w)` with `o_h mod p_h = r`, `o_w mod p_w = c`):
 *
 * - {@link countRatio}: max / min of a tile (∞ when some entry is 0);
 * - {@link relativeAmplitude}: (max − min) / |mean| of a tile, 0 when the spread is within 1e-12
 *   of the largest magnitude (float sums of the same terms in another order);
 * - {@link periodicEnergyFraction} of a window whose sides are whole periods: with `P` its
 *   {@link phaseMeans} tile, `m` the window's mean and `v` its values,
 *
 *       Σ_cells (P[phase(cell)] − m)² / Σ_cells v²
 *
 *   By Parseval, the numerator is the window's energy at the nonzero 2-D DFT frequencies that are
 *   multiples of (window size / period) on each axis (the frequencies a period-p pattern lives on;
 *   `(n_h·p_h) × (n_w·p_w)` window, frequencies `(a·n_h, b·n_w)`, not both 0), and the denominator
 *   its total energy, DC included. So it is 0 for a flat window, 1 for a pattern that repeats with
 *   the period and averages to 0 (a pure ±1 checkerboard), and for a transposed convolution's
 *   constant-input interior (which repeats its response tile `T` exactly) it is Σ(T − mean)² / ΣT².
 *   It is 0 whenever the phase-mean tile is flat in the sense of {@link relativeAmplitude}.
 */
import { LayerError } from './errors';
import { checkAllocation, checkTensor, formatShape } from './layout';
import { readIntPair, type Pair } from './pairs';
import { tensor, type Tensor } from './tensor';

/** Positions `[start, end)` of one axis. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A rectangle of output cells: rows × columns. */
export interface Window {
  readonly rows: Span;
  readonly cols: Span;
}

/** Relative spread under which a tile counts as flat: float64 sums of the same terms in another order. */
const FLAT = 1e-12;

/**
 * Checks that `window` is a non-empty rectangle of whole cells inside the last two axes of `map`
 * (spans `{ start, end }` with 0 ≤ start < end ≤ size), and returns those axes' `[height, width]`.
 */
export function checkWindow(what: string, map: Tensor, window: Window): Pair {
  if (map.shape.length < 2) throw new LayerError('invalid-shape', `${what} takes a map of 2 or more axes, not ${formatShape(map.shape)}`);
  const [height, width] = map.shape.slice(-2) as [number, number];
  const span = (value: unknown, size: number, axis: string): void => {
    const { start, end } = (typeof value === 'object' && value !== null ? value : {}) as Partial<Span>;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || (start as number) < 0 || (end as number) <= (start as number) || (end as number) > size) {
      throw new LayerError('invalid-parameter', `${what} takes a non-empty window of whole ${axis} { start, end } within 0…${size} of the ${formatShape(map.shape)} map, not ${describeSpan(value)}`);
    }
  };
  if (typeof window !== 'object' || window === null) throw new LayerError('invalid-parameter', `${what} needs a window { rows, cols }`);
  span(window.rows, height, 'rows');
  span(window.cols, width, 'columns');
  return [height, width];
}

function describeSpan(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return Array.isArray(value) ? 'a list (use { start, end })' : String(value);
  const { start, end } = value as Partial<Span>;
  return `${String(start)}…${String(end)}`;
}

/** The largest window at the top left of `window` whose sides are whole periods; `undefined` when a side is shorter than its period. */
export function wholePeriods(window: Window, period: Pair): Window | undefined {
  const crop = (span: Span, p: number): Span | undefined => {
    const length = Math.floor((span.end - span.start) / p) * p;
    return length > 0 ? { start: span.start, end: span.start + length } : undefined;
  };
  const rows = crop(window.rows, period[0]);
  const cols = crop(window.cols, period[1]);
  return rows && cols ? { rows, cols } : undefined;
}

/** `[p_h, p_w]`: the mean of the window's cells at each phase (the window should span whole periods, see {@link wholePeriods}). */
export function phaseMeans(map: Tensor, window: Window, period: Pair): Tensor {
  checkTensor('map', map);
  const [ph, pw] = readIntPair('period', period, 1, 'positive');
  const width = checkWindow('phaseMeans', map, window)[1];
  checkAllocation('the phase table', [ph, pw]);
  const sums = new Float64Array(ph * pw);
  const counts = new Float64Array(ph * pw);
  for (let r = window.rows.start; r < window.rows.end; r++) {
    for (let c = window.cols.start; c < window.cols.end; c++) {
      const phase = (r % ph) * pw + (c % pw);
      sums[phase] = (sums[phase] as number) + (map.data[r * width + c] as number);
      counts[phase] = (counts[phase] as number) + 1;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = (sums[i] as number) / (counts[i] as number);
  return tensor([ph, pw], sums);
}

/** Largest over smallest entry (`Infinity` when the smallest is 0). */
export function countRatio(tile: Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of tile) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return min === 0 ? Infinity : max / min;
}

/** (max − min) / |mean|: 0 when the tile is flat to 1e-12, `Infinity` when it varies around a zero mean. */
export function relativeAmplitude(tile: Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of tile) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const spread = max - min;
  if (spread <= FLAT * Math.max(Math.abs(max), Math.abs(min))) return 0;
  const mean = Math.abs(sum / tile.length);
  return mean === 0 ? Infinity : spread / mean;
}

/** The share of the window's energy at the period's nonzero frequencies (see the module comment); 0 for an all-zero window. */
export function periodicEnergyFraction(map: Tensor, window: Window, period: Pair): number {
  const phases = phaseMeans(map, window, period);
  if (relativeAmplitude(phases.data) === 0) return 0;
  const width = map.shape[map.shape.length - 1] as number;
  const [ph, pw] = period;
  let sum = 0;
  let squares = 0;
  for (let r = window.rows.start; r < window.rows.end; r++) {
    for (let c = window.cols.start; c < window.cols.end; c++) {
      const v = map.data[r * width + c] as number;
      sum += v;
      squares += v * v;
    }
  }
  const cells = (window.rows.end - window.rows.start) * (window.cols.end - window.cols.start);
  const mean = sum / cells;
  // Every phase holds cells / (p_h·p_w) cells of the window.
  const perPhase = cells / (ph * pw);
  let periodic = 0;
  for (const p of phases.data) periodic += perPhase * (p - mean) * (p - mean);
  return squares === 0 ? 0 : Math.min(1, periodic / squares);
}

/**
 * {@link periodicEnergyFraction} of a whole stride tile of any rank (one value per phase, flat):
 * Σ(T − mean)² / ΣT², the share of its energy at the nonzero frequencies; 0 for a flat or all-zero tile.
 */
export function tileEnergyFraction(tile: Float64Array): number {
  if (relativeAmplitude(tile) === 0) return 0;
  let sum = 0;
  let squares = 0;
  for (const v of tile) {
    sum += v;
    squares += v * v;
  }
  const mean = sum / tile.length;
  let periodic = 0;
  for (const v of tile) periodic += (v - mean) * (v - mean);
  return squares === 0 ? 0 : Math.min(1, periodic / squares);
}
