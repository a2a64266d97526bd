/**
 * Receptive fields, as gradient support: for each row (and column) of a 4-D tensor, the first and
 * last input row that reaches it through the model. Carried beside the shape while `analyzeModel`
 * follows `forward()`, layer by layer with each layer's exact index arithmetic (windows of
 * convolutions and pooling, the taps of transposed convolutions, padding's reflections,
 * upsampling's source rows, pixel shuffle), united where branches meet (`+`, `torch.cat`). An
 * operation that mixes everything (max pooling's argmax, a reshape, a linear layer) ends it.
 */

/** Per index of one spatial axis: the input rows reaching it, `[lo, hi]` (lo > hi: none). */
export interface AxisSupport {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

export interface Support {
  readonly rows: AxisSupport;
  readonly cols: AxisSupport;
}

const NONE_LO = 0x7fffffff;

function axis(size: number, each: (o: number, add: (source: number) => void) => void, from: AxisSupport): AxisSupport {
  const lo = new Int32Array(size).fill(NONE_LO);
  const hi = new Int32Array(size).fill(-1);
  for (let o = 0; o < size; o++) {
    each(o, (j) => {
      if (j < 0 || j >= from.lo.length) return;
      if ((from.lo[j] as number) < (lo[o] as number)) lo[o] = from.lo[j] as number;
      if ((from.hi[j] as number) > (hi[o] as number)) hi[o] = from.hi[j] as number;
    });
  }
  return { lo, hi };
}

/** The model's input: each row reaches itself. */
export function identitySupport(height: number, width: number): Support {
  const own = (n: number): AxisSupport => {
    const lo = Int32Array.from({ length: n }, (_, i) => i);
    return { lo, hi: lo.slice() };
  };
  return { rows: own(height), cols: own(width) };
}

export interface Window {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
}

/** A convolution or average pooling window on each axis. */
export function windowSupport(from: Support, out: readonly [number, number], w: readonly [Window, Window]): Support {
  const one = (size: number, a: AxisSupport, win: Window): AxisSupport =>
    axis(size, (o, add) => {
      for (let t = 0; t < win.kernel; t++) add(o * win.stride - win.padding + t * win.dilation);
    }, a);
  return { rows: one(out[0], from.rows, w[0]), cols: one(out[1], from.cols, w[1]) };
}

/** A transposed convolution: output o takes input i where o = i·stride − padding + t·dilation. */
export function transposedSupport(from: Support, out: readonly [number, number], w: readonly [Window, Window]): Support {
  const one = (size: number, a: AxisSupport, win: Window): AxisSupport =>
    axis(size, (o, add) => {
      for (let t = 0; t < win.kernel; t++) {
        const scaled = o + win.padding - t * win.dilation;
        if (scaled >= 0 && scaled % win.stride === 0) add(scaled / win.stride);
      }
    }, a);
  return { rows: one(out[0], from.rows, w[0]), cols: one(out[1], from.cols, w[1]) };
}

/** Padding (`mode` reflect, replicate or constant); `pad` is (left, right, top, bottom). */
export function padSupport(from: Support, pad: readonly number[], mode: string): Support {
  const one = (a: AxisSupport, before: number, after: number): AxisSupport => {
    const n = a.lo.length;
    return axis(n + before + after, (o, add) => {
      const j = o - before;
      if (j >= 0 && j < n) add(j);
      else if (mode === 'reflect') add(j < 0 ? -j : 2 * (n - 1) - j);
      else if (mode === 'replicate') add(j < 0 ? 0 : n - 1);
    }, a);
  };
  return { rows: one(from.rows, pad[2] ?? 0, pad[3] ?? 0), cols: one(from.cols, pad[0] ?? 0, pad[1] ?? 0) };
}

/** `F.interpolate` / `nn.Upsample`, nearest or bilinear, from the input and output sizes (PyTorch's source-index rules). */
export function resampleSupport(from: Support, out: readonly [number, number], mode: string, alignCorners: boolean, scale?: readonly [number, number]): Support | undefined {
  if (mode !== 'nearest' && mode !== 'bilinear') return undefined;
  const one = (size: number, a: AxisSupport, factor: number | undefined): AxisSupport => {
    const n = a.lo.length;
    const ratio = factor !== undefined ? 1 / factor : n / size;
    return axis(size, (o, add) => {
      if (mode === 'nearest') return add(Math.min(Math.floor(o * ratio), n - 1));
      const src = alignCorners ? (size > 1 ? (o * (n - 1)) / (size - 1) : 0) : Math.max(0, (o + 0.5) * ratio - 0.5);
      const i0 = Math.min(Math.floor(src), n - 1);
      add(i0);
      if (src - i0 > 0 && i0 + 1 < n) add(i0 + 1);
    }, a);
  };
  return { rows: one(out[0], from.rows, scale?.[0]), cols: one(out[1], from.cols, scale?.[1]) };
}

/** Pixel shuffle by `r`: output row o comes from input row ⌊o / r⌋. */
export function shuffleSupport(from: Support, r: number): Support {
  const one = (a: AxisSupport): AxisSupport => axis(a.lo.length * r, (o, add) => add(Math.floor(o / r)), a);
  return { rows: one(from.rows), cols: one(from.cols) };
}

/** Adaptive average pooling's windows. */
export function adaptiveSupport(from: Support, out: readonly [number, number]): Support {
  const one = (size: number, a: AxisSupport): AxisSupport => {
    const n = a.lo.length;
    return axis(size, (o, add) => {
      for (let j = Math.floor((o * n) / size); j < Math.ceil(((o + 1) * n) / size); j++) add(j);
    }, a);
  };
  return { rows: one(out[0], from.rows), cols: one(out[1], from.cols) };
}

/** Where branches meet (`+`, `*`, a `cat` along channels): each position reached by either; a size-1 axis broadcasts. */
export function unionSupport(a: Support, b: Support): Support | undefined {
  const one = (x: AxisSupport, y: AxisSupport): AxisSupport | undefined => {
    const n = Math.max(x.lo.length, y.lo.length);
    if ((x.lo.length !== n && x.lo.length !== 1) || (y.lo.length !== n && y.lo.length !== 1)) return undefined;
    const at = (s: AxisSupport, i: number) => (s.lo.length === 1 ? 0 : i);
    const lo = Int32Array.from({ length: n }, (_, i) => Math.min(x.lo[at(x, i)] as number, y.lo[at(y, i)] as number));
    const hi = Int32Array.from({ length: n }, (_, i) => Math.max(x.hi[at(x, i)] as number, y.hi[at(y, i)] as number));
    return { lo, hi };
  };
  const rows = one(a.rows, b.rows);
  const cols = one(a.cols, b.cols);
  return rows && cols ? { rows, cols } : undefined;
}

/** Statistics over the whole map (instance, group and layer norm): every position reaches every other. */
export function globalSupport(from: Support): Support {
  const one = (a: AxisSupport): AxisSupport => {
    let lo = NONE_LO;
    let hi = -1;
    for (let i = 0; i < a.lo.length; i++) {
      lo = Math.min(lo, a.lo[i] as number);
      hi = Math.max(hi, a.hi[i] as number);
    }
    return { lo: new Int32Array(a.lo.length).fill(lo), hi: new Int32Array(a.lo.length).fill(hi) };
  };
  return { rows: one(from.rows), cols: one(from.cols) };
}

/** The receptive field of the centre output value: input rows and columns `[first, last]`. */
export interface ReceptiveField {
  /** The output position, `[row, column]` (`⌊H/2⌋, ⌊W/2⌋`). */
  readonly output: readonly [number, number];
  readonly rows: readonly [number, number];
  readonly cols: readonly [number, number];
}

export function centreField(support: Support): ReceptiveField | undefined {
  const r = Math.floor(support.rows.lo.length / 2);
  const c = Math.floor(support.cols.lo.length / 2);
  const rows: [number, number] = [support.rows.lo[r] as number, support.rows.hi[r] as number];
  const cols: [number, number] = [support.cols.lo[c] as number, support.cols.hi[c] as number];
  if (rows[0] > rows[1] || cols[0] > cols[1]) return undefined;
  return { output: [r, c], rows, cols };
}
