/**
 * Each of the lab's methods written as one transposed convolution of stride `r`, so that the step
 * player (which shows transposed convolutions) can show which overlaps make each output cell:
 *
 * - nearest resize-convolution `conv2d(nearest(x, r), K, 'same')`: output `o` reads upsampled
 *   `o + j − pb` (`pb = ⌊(k − 1)/2⌋`), that is input `⌊(o + j − pb)/r⌋`; with `t = o − r·i`, input
 *   `i` reaches `o` through the taps `j ∈ [pb − t, pb − t + r)`, so the transposed kernel at `t` is
 *   the sum of those taps: `K` flipped and box-filtered over `r`, `k + r − 1` long;
 * - sub-pixel convolution `pixel_shuffle(conv2d(x, W, 'same'), r)`: output `o = r·a + φ` is channel
 *   `φ` of the convolution at `a`, which reads input `i = a + j − pb`, so the transposed kernel at
 *   `t = r·(pb − j) + φ` is `W[φ][j]`, `k·r` long (for ICNR, `K` flipped and nearest-upsampled);
 * - the transposed convolution itself, as the comparison ran it.
 *
 * Per axis, the kernel index is `u = t + p` with padding `p = −t_min`; the output padding
 * `op = r − m + 2p` that keeps the output at `r·n` is brought into PyTorch's range `[0, r)` by
 * zero taps: appended (`op` too large) or prepended (`op < 0`, which adds to the padding). Bilinear
 * resizing clamps at the borders, which no transposed convolution does: it has no such form here.
 */
import type { Pair } from './pairs';
import { tensor, type Tensor } from './tensor';
import type { UpsamplingComparison } from './upsamplingComparison';
import type { LabMethodName } from './checkerboardLab';

export interface TransposedForm {
  /** `[mH, mW]`. */
  readonly kernel: Tensor;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly outputPadding: Pair;
}

/** One axis: the kernel length, where tap `u` reads (a list of the method's tap indices per `u`), padding and output padding. */
interface AxisForm {
  readonly length: number;
  /** `taps[u]`: the method's tap indices `j` (and sub-pixel phase) that make transposed tap `u`. */
  readonly taps: readonly (readonly { readonly j: number; readonly phase: number }[])[];
  readonly padding: number;
  readonly outputPadding: number;
}

/** The method as a transposed convolution (see the module comment); `undefined` for bilinear resize-convolution. */
export function upsamplingAsTransposed(c: UpsamplingComparison, method: LabMethodName): TransposedForm | undefined {
  const r = c.factor;
  const [kh, kw] = c.kernel.shape as unknown as Pair;
  switch (method) {
    case 'transposed':
      return { kernel: c.kernel, stride: [r, r], padding: c.transposed.padding, outputPadding: c.transposed.outputPadding };
    case 'resize': {
      if (c.resize.mode !== 'nearest') return undefined;
      const h = resizeAxis(kh, r);
      const w = resizeAxis(kw, r);
      return build(h, w, r, (a, b) => c.kernel.data[a.j * kw + b.j] as number);
    }
    case 'subPixel': {
      const h = subPixelAxis(kh, r);
      const w = subPixelAxis(kw, r);
      // Channel φ_h·r + φ_w of the [r², 1, kH, kW] weight.
      return build(h, w, r, (a, b) => c.subPixel.weight.data[((a.phase * r + b.phase) * kh + a.j) * kw + b.j] as number);
    }
    default: {
      const never: never = method;
      throw new Error(`unknown method ${String(never)}`);
    }
  }
}

function resizeAxis(k: number, r: number): AxisForm {
  const pb = Math.floor((k - 1) / 2);
  const tMin = pb - k + 1;
  const taps = Array.from({ length: k + r - 1 }, (_, u) => {
    const t = u + tMin;
    const list: { j: number; phase: number }[] = [];
    for (let j = Math.max(0, pb - t); j <= Math.min(k - 1, pb - t + r - 1); j++) list.push({ j, phase: 0 });
    return list;
  });
  return normalise(taps, -tMin, r);
}

function subPixelAxis(k: number, r: number): AxisForm {
  const pb = Math.floor((k - 1) / 2);
  const tMin = r * (pb - k + 1);
  const taps = Array.from({ length: k * r }, (_, u) => {
    const t = u + tMin;
    const phase = ((t % r) + r) % r;
    return [{ j: pb - (t - phase) / r, phase }];
  });
  return normalise(taps, -tMin, r);
}

/** Zero taps that bring the output padding into `[0, r)` (see the module comment). */
function normalise(taps: AxisForm['taps'], padding: number, r: number): AxisForm {
  const outputPadding = r - taps.length + 2 * padding;
  if (outputPadding < 0) {
    const before = -outputPadding;
    return { length: taps.length + before, taps: [...Array.from({ length: before }, () => []), ...taps], padding: padding + before, outputPadding: 0 };
  }
  const after = outputPadding - (outputPadding % r);
  return { length: taps.length + after, taps: [...taps, ...Array.from({ length: after }, () => [])], padding, outputPadding: outputPadding % r };
}

function build(h: AxisForm, w: AxisForm, r: number, value: (a: AxisForm['taps'][number][number], b: AxisForm['taps'][number][number]) => number): TransposedForm {
  const data = new Float64Array(h.length * w.length);
  for (let u = 0; u < h.length; u++) {
    for (let v = 0; v < w.length; v++) {
      let sum = 0;
      for (const a of h.taps[u] ?? []) for (const b of w.taps[v] ?? []) sum += value(a, b);
      data[u * w.length + v] = sum;
    }
  }
  return { kernel: tensor([h.length, w.length], data), stride: [r, r], padding: [h.padding, w.padding], outputPadding: [h.outputPadding, w.outputPadding] };
}
