/**
 * Receptive fields, layer by layer, as the standard receptive-field arithmetic made exact for one
 * model and input: for each row (and column) of a 4-D tensor, the first and last row of the model's
 * input plane that can reach it, carried beside the shape while `analyzeModel` follows `forward()`
 * with each layer's own index arithmetic (windows of convolutions and pooling, the taps of
 * transposed convolutions, upsampling's source rows, pixel shuffle), united where branches meet
 * (`+`, `torch.cat`). An operation that mixes every position (a reshape, a linear layer) ends it.
 *
 * The input plane is unbounded: padding (zeros, reflection, `F.pad`) extends it, so a field may
 * start before row 0 (its offset is then negative) as in the textbook arithmetic, and a position
 * near the border has the same field as one inside. Clipped to the input it is the gradient support
 * (what test/golden/torch-models.py measures with constant positive weights). Max pooling counts
 * its whole window (the rows it may take its maximum from).
 *
 * Each axis also keeps its period: `lo[o + period] = lo[o] + shift` (and `hi` the same), so the
 * effective stride (jump) is `shift / period` — `2` after a stride-2 convolution, `1/2` after a
 * stride-2 transposed convolution — and a position outside the tensor (in the padding of the next
 * layer) is extrapolated exactly. Period 0: no period (bilinear with `align_corners`, an upsampling
 * to a size that is no whole ratio); the border is then extrapolated by the mean step.
 */

/** Per index of one spatial axis: the input rows reaching it, `[lo, hi]` on the unbounded input plane. */
export interface AxisSupport {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** `lo[o + period] = lo[o] + shift` for every o; period 0 when there is none. */
  readonly period: number;
  readonly shift: number;
}

export interface Support {
  readonly rows: AxisSupport;
  readonly cols: AxisSupport;
  /**
   * Set when every value also depends on the whole input through statistics over the map
   * (instance, group and layer norm): the layer that did it, in words. `lo`/`hi` stay the local field.
   */
  readonly global?: string;
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
/** The most a period may grow to: beyond it, no period is kept (the axis is short anyway). */
const MAX_PERIOD = 1 << 16;

/** The field of index `j` of `a`, also outside `0..n−1` (the padding of the next layer). */
function fieldAt(a: AxisSupport, j: number): [number, number] {
  const n = a.lo.length;
  if (j >= 0 && j < n) return [a.lo[j] as number, a.hi[j] as number];
  if (a.period > 0 && n >= a.period) {
    const m = j < 0 ? Math.ceil(-j / a.period) : -Math.ceil((j - n + 1) / a.period);
    const k = j + m * a.period;
    return [(a.lo[k] as number) - m * a.shift, (a.hi[k] as number) - m * a.shift];
  }
  // No period: the nearest edge moved by the mean step.
  const edge = j < 0 ? 0 : n - 1;
  const step = n > 1 ? ((a.lo[n - 1] as number) - (a.lo[0] as number)) / (n - 1) : a.period > 0 ? a.shift / a.period : 1;
  const delta = Math.round((j - edge) * step);
  return [(a.lo[edge] as number) + delta, (a.hi[edge] as number) + delta];
}

/**
 * An output axis of `size` whose index o takes the source indices `each` gives; `period`/`shift`
 * the period the layer's arithmetic promises, checked on the result (kept only if it holds).
 */
function axis(size: number, each: (o: number, add: (source: number) => void) => void, from: AxisSupport, period: number, shift: number): AxisSupport {
  const lo = new Int32Array(size).fill(0x7fffffff);
  const hi = new Int32Array(size).fill(-0x7fffffff);
  for (let o = 0; o < size; o++) {
    each(o, (j) => {
      const [l, h] = fieldAt(from, j);
      if (l < (lo[o] as number)) lo[o] = l;
      if (h > (hi[o] as number)) hi[o] = h;
    });
  }
  return settle(lo, hi, period, shift);
}

/** The axis with `period`/`shift` (reduced) if they hold for every index, else with none. */
function settle(lo: Int32Array, hi: Int32Array, period: number, shift: number): AxisSupport {
  if (!(period > 0 && period <= MAX_PERIOD && Number.isSafeInteger(shift))) return { lo, hi, period: 0, shift: 0 };
  for (let o = 0; o + period < lo.length; o++) {
    if ((lo[o + period] as number) !== (lo[o] as number) + shift || (hi[o + period] as number) !== (hi[o] as number) + shift) return { lo, hi, period: 0, shift: 0 };
  }
  // The smallest period that holds (a stride-2 convolution after a stride-2 transposed one: 1).
  for (const p of divisors(period)) {
    if ((shift * p) % period !== 0) continue;
    const s = (shift * p) / period;
    let holds = true;
    for (let o = 0; o + p < lo.length && holds; o++) holds = (lo[o + p] as number) === (lo[o] as number) + s && (hi[o + p] as number) === (hi[o] as number) + s;
    // Only where a whole cycle of the longer period is seen (a short axis proves nothing).
    if (holds && lo.length >= period + p) return { lo, hi, period: p, shift: s };
  }
  return { lo, hi, period, shift };
}

function divisors(n: number): number[] {
  const found: number[] = [];
  for (let d = 1; d < n && found.length < 64; d++) if (n % d === 0) found.push(d);
  return found;
}

/** `a / b` as a fraction with a small denominator (a resampling's ratio), or undefined. */
function ratio(value: number): [number, number] | undefined {
  for (let den = 1; den <= 64; den++) {
    const num = Math.round(value * den);
    if (Math.abs(num / den - value) < 1e-12) return [num, den];
  }
  return undefined;
}

/** The model's input: each row reaches itself. */
export function identitySupport(height: number, width: number): Support {
  const own = (n: number): AxisSupport => {
    const lo = Int32Array.from({ length: n }, (_, i) => i);
    return { lo, hi: lo.slice(), period: 1, shift: 1 };
  };
  return { rows: own(height), cols: own(width) };
}

export interface Window {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
}

const keep = (from: Support, rows: AxisSupport, cols: AxisSupport): Support => ({ rows, cols, ...(from.global ? { global: from.global } : {}) });

/** A convolution's or pooling's window on each axis: output o reads o·stride − padding + t·dilation. */
export function windowSupport(from: Support, out: readonly [number, number], w: readonly [Window, Window]): Support {
  const one = (size: number, a: AxisSupport, win: Window): AxisSupport =>
    axis(size, (o, add) => {
      for (let t = 0; t < win.kernel; t++) add(o * win.stride - win.padding + t * win.dilation);
    }, a, a.period, a.shift * win.stride);
  return keep(from, one(out[0], from.rows, w[0]), one(out[1], from.cols, w[1]));
}

/** A transposed convolution: output o takes input i where o = i·stride − padding + t·dilation. */
export function transposedSupport(from: Support, out: readonly [number, number], w: readonly [Window, Window]): Support {
  const one = (size: number, a: AxisSupport, win: Window): AxisSupport =>
    axis(size, (o, add) => {
      for (let t = 0; t < win.kernel; t++) {
        const scaled = o + win.padding - t * win.dilation;
        if (((scaled % win.stride) + win.stride) % win.stride === 0) add(Math.round(scaled / win.stride));
      }
    }, a, a.period * win.stride, a.shift);
  return keep(from, one(out[0], from.rows, w[0]), one(out[1], from.cols, w[1]));
}

/** Padding (any mode: the plane is unbounded, padding extends it); `pad` is (left, right, top, bottom), negative crops. */
export function padSupport(from: Support, pad: readonly number[]): Support {
  const one = (a: AxisSupport, before: number, after: number): AxisSupport => axis(Math.max(0, a.lo.length + before + after), (o, add) => add(o - before), a, a.period, a.shift);
  return keep(from, one(from.rows, pad[2] ?? 0, pad[3] ?? 0), one(from.cols, pad[0] ?? 0, pad[1] ?? 0));
}

/** `F.interpolate` / `nn.Upsample`, nearest or bilinear, from the input and output sizes (PyTorch's source-index rules, unclamped). */
export function resampleSupport(from: Support, out: readonly [number, number], mode: string, alignCorners: boolean, scale?: readonly [number, number]): Support | undefined {
  if (mode !== 'nearest' && mode !== 'bilinear') return undefined;
  const one = (size: number, a: AxisSupport, factor: number | undefined): AxisSupport => {
    const n = a.lo.length;
    const step = factor !== undefined ? 1 / factor : n / size;
    const corners = mode === 'bilinear' && alignCorners;
    const r = ratio(corners ? (size > 1 ? (n - 1) / (size - 1) : 0) : step);
    return axis(size, (o, add) => {
      if (mode === 'nearest') return add(Math.floor(o * step));
      const src = corners ? (size > 1 ? (o * (n - 1)) / (size - 1) : 0) : (o + 0.5) * step - 0.5;
      const i0 = Math.floor(src);
      add(i0);
      if (src - i0 > 0) add(i0 + 1);
    }, a, r && r[0] > 0 ? r[1] * a.period : 0, r ? r[0] * a.shift : 0);
  };
  return keep(from, one(out[0], from.rows, scale?.[0]), one(out[1], from.cols, scale?.[1]));
}

/** Pixel shuffle by `r`: output row o comes from input row ⌊o / r⌋. */
export function shuffleSupport(from: Support, r: number): Support {
  const one = (a: AxisSupport): AxisSupport => axis(a.lo.length * r, (o, add) => add(Math.floor(o / r)), a, a.period * r, a.shift);
  return keep(from, one(from.rows), one(from.cols));
}

/** Adaptive average (or max) pooling's windows. */
export function adaptiveSupport(from: Support, out: readonly [number, number]): Support {
  const one = (size: number, a: AxisSupport): AxisSupport => {
    const n = a.lo.length;
    const g = gcd(n, size) || 1;
    return axis(size, (o, add) => {
      for (let j = Math.floor((o * n) / size); j < Math.ceil(((o + 1) * n) / size); j++) add(j);
    }, a, (size / g) * a.period, (n / g) * a.shift);
  };
  return keep(from, one(out[0], from.rows), one(out[1], from.cols));
}

/** Where branches meet (`+`, `*`, a `cat` along channels): each position reached by either; a size-1 axis broadcasts. */
export function unionSupport(a: Support, b: Support): Support | undefined {
  const one = (x: AxisSupport, y: AxisSupport): AxisSupport | undefined => {
    const n = Math.max(x.lo.length, y.lo.length);
    if ((x.lo.length !== n && x.lo.length !== 1) || (y.lo.length !== n && y.lo.length !== 1)) return undefined;
    const at = (s: AxisSupport, i: number) => (s.lo.length === 1 ? 0 : i);
    const lo = Int32Array.from({ length: n }, (_, i) => Math.min(x.lo[at(x, i)] as number, y.lo[at(y, i)] as number));
    const hi = Int32Array.from({ length: n }, (_, i) => Math.max(x.hi[at(x, i)] as number, y.hi[at(y, i)] as number));
    // A common period: the least common multiple, if both move by the same step over it.
    if (x.period > 0 && y.period > 0 && x.lo.length === n && y.lo.length === n) {
      const period = (x.period / gcd(x.period, y.period)) * y.period;
      const sx = (x.shift * period) / x.period;
      if (sx === (y.shift * period) / y.period) return settle(lo, hi, period, sx);
    }
    return settle(lo, hi, 0, 0);
  };
  const rows = one(a.rows, b.rows);
  const cols = one(a.cols, b.cols);
  const global = a.global ?? b.global;
  return rows && cols ? { rows, cols, ...(global ? { global } : {}) } : undefined;
}

/** Statistics over the whole map (instance, group and layer norm): every value also depends on the whole input. */
export function globalSupport(from: Support, layer: string): Support {
  return from.global ? from : { ...from, global: layer };
}

/** The receptive field of the centre output value, clipped to the input: input rows and columns `[first, last]`. */
export interface ReceptiveField {
  /** The output position, `[row, column]` (`⌊H/2⌋, ⌊W/2⌋`). */
  readonly output: readonly [number, number];
  readonly rows: readonly [number, number];
  readonly cols: readonly [number, number];
}

/** The centre value's field on the input of `height`×`width` (the gradient support; all of it through statistics). */
export function centreField(support: Support, height: number, width: number): ReceptiveField | undefined {
  const r = Math.floor(support.rows.lo.length / 2);
  const c = Math.floor(support.cols.lo.length / 2);
  const clip = (a: AxisSupport, i: number, n: number): [number, number] => (support.global ? [0, n - 1] : [Math.max(0, a.lo[i] as number), Math.min(n - 1, a.hi[i] as number)]);
  const rows = clip(support.rows, r, height);
  const cols = clip(support.cols, c, width);
  if (rows[0] > rows[1] || cols[0] > cols[1]) return undefined;
  return { output: [r, c], rows, cols };
}

/** One axis of a field as the model view shows it. */
export interface FieldAxis {
  /** The most input rows one value reaches (`size` ≠ `minSize`: it depends on the position, as after a transposed convolution). */
  readonly size: number;
  readonly minSize: number;
  /** The effective stride in input rows per output row, `[numerator, denominator]` in lowest terms; null when there is none. */
  readonly jump: readonly [number, number] | null;
  /** Where output index 0's field starts on the input (negative: in the padding). */
  readonly offset: number;
}

export interface FieldSummary {
  readonly rows: FieldAxis;
  readonly cols: FieldAxis;
  readonly global?: string;
}

function axisSummary(a: AxisSupport): FieldAxis {
  let size = 0;
  let minSize = Number.POSITIVE_INFINITY;
  for (let i = 0; i < a.lo.length; i++) {
    const s = (a.hi[i] as number) - (a.lo[i] as number) + 1;
    if (s > size) size = s;
    if (s < minSize) minSize = s;
  }
  const g = a.period > 0 ? gcd(a.shift, a.period) || 1 : 1;
  return { size, minSize: Number.isFinite(minSize) ? minSize : 0, jump: a.period > 0 ? [a.shift / g, a.period / g] : null, offset: a.lo.length > 0 ? (a.lo[0] as number) : 0 };
}

export function fieldSummary(support: Support): FieldSummary {
  return { rows: axisSummary(support.rows), cols: axisSummary(support.cols), ...(support.global ? { global: support.global } : {}) };
}
