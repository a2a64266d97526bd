/**
 * The inverse of the output-size formula: for a PyTorch (transposed) convolution, an input size and
 * the output size wanted, every `(padding, output_padding)` that gives exactly that size — what
 * users otherwise work out by hand from the formula in PyTorch's docs:
 *
 *     transposed:  H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1
 *     convolution: H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1
 *
 * with PyTorch's rules: padding ≥ 0, and 0 ≤ output_padding < max(stride, dilation). For a
 * transposed convolution it also offers kernel sizes divisible by the stride (even overlap, so no
 * checkerboard) that reach the size. Each answer is checked against the engine's `outputShape`,
 * the function the layers themselves size their output with, before it is returned.
 */
import { LayerError } from '../engine/errors';
import { outputShape } from '../engine/outputShape';
import type { LayerCall } from '../parse/index';
import { convAxes, type ConvAxis, type SpatialRank } from './layerSize';
import { sizeText } from './overlapFixes';

export type SolvableOp = 'convTranspose2d' | 'convTranspose1d' | 'convTranspose3d' | 'conv2d' | 'conv1d' | 'conv3d';

export interface AxisSolution {
  readonly axis: ConvAxis;
  /** The kernel differs from the layer's: a variant with even overlap. */
  readonly kernelChanged: boolean;
}

/** One answer for the whole layer: an axis each (`[H, W]`, `[L]` or `[D, H, W]`). */
export interface SizeSolution {
  readonly axes: readonly ConvAxis[];
  readonly kernelChanged: boolean;
  /** `padding=1, output_padding=1`, as the code would say it. */
  readonly label: string;
}

/** Answers beyond this many (a product of two long axis lists) are not listed. */
export const MAX_SOLUTIONS = 60;

const isTransposedOp = (op: SolvableOp) => op.startsWith('convTranspose');

/**
 * Every way one axis of `op` with `axis`'s kernel, stride and dilation gives `wanted` from `input`:
 * the layer's own kernel first (smallest padding first), then, for a transposed convolution with
 * dilation 1 and stride > 1, even-overlap kernel sizes (multiples of the stride up to `kernel + 2·stride`).
 */
export function solveAxis(op: SolvableOp, axis: ConvAxis, input: number, wanted: number): AxisSolution[] {
  if (!Number.isSafeInteger(input) || input < 1) throw new LayerError('invalid-parameter', `the input size must be a whole number of at least 1, not ${input}`);
  if (!Number.isSafeInteger(wanted) || wanted < 1) throw new LayerError('invalid-parameter', `the wanted output size must be a whole number of at least 1, not ${wanted}`);
  const found: AxisSolution[] = [];
  const own = isTransposedOp(op) ? transposedPaddings(axis, input, wanted) : convPaddings(axis, input, wanted);
  found.push(...own.map((a) => ({ axis: a, kernelChanged: false })));
  if (isTransposedOp(op) && axis.dilation === 1 && axis.stride > 1) {
    for (let kernel = axis.stride; kernel <= axis.kernel + 2 * axis.stride; kernel += axis.stride) {
      if (kernel === axis.kernel) continue;
      found.push(...transposedPaddings({ ...axis, kernel }, input, wanted).map((a) => ({ axis: a, kernelChanged: true })));
    }
  }
  return found.filter((s) => checked(op, s.axis, input, wanted));
}

/** 2p − op = (H_in − 1)·s + d·(k − 1) + 1 − H_out, for each allowed op. */
function transposedPaddings(axis: ConvAxis, input: number, wanted: number): ConvAxis[] {
  const difference = (input - 1) * axis.stride + axis.dilation * (axis.kernel - 1) + 1 - wanted;
  const out: ConvAxis[] = [];
  for (let outputPadding = 0; outputPadding < Math.max(axis.stride, axis.dilation); outputPadding++) {
    const twice = difference + outputPadding;
    if (twice < 0 || twice % 2 !== 0) continue;
    out.push({ ...axis, padding: twice / 2, outputPadding });
  }
  return out.sort((a, b) => a.padding - b.padding);
}

/** ⌊(H_in + 2p − d·(k − 1) − 1) / s⌋ + 1 grows with p: every p from 0 while it is at most the wanted size. */
function convPaddings(axis: ConvAxis, input: number, wanted: number): ConvAxis[] {
  const out: ConvAxis[] = [];
  const size = (padding: number) => Math.floor((input + 2 * padding - axis.dilation * (axis.kernel - 1) - 1) / axis.stride) + 1;
  for (let padding = 0; size(padding) <= wanted; padding++) {
    if (size(padding) === wanted) out.push({ ...axis, padding, outputPadding: 0 });
  }
  return out;
}

/** The engine agrees (same formula, same validation), so a wrong answer can never be offered. */
function checked(op: SolvableOp, axis: ConvAxis, input: number, wanted: number): boolean {
  const common = { kernelSize: [1, axis.kernel] as [number, number], stride: [1, axis.stride] as [number, number], padding: [0, axis.padding] as [number, number], dilation: [1, axis.dilation] as [number, number] };
  try {
    const { shape } = isTransposedOp(op)
      ? outputShape('convTranspose2d', [1, input], { ...common, outputPadding: [0, axis.outputPadding] })
      : outputShape('conv2d', [1, input], common);
    return shape[1] === wanted;
  } catch (error) {
    if (error instanceof LayerError) return false;
    throw error;
  }
}

/**
 * Every answer for the whole layer. When both axes of a 2-D layer are alike (same parameters,
 * input and wanted size) the answers keep them alike (`padding=1`, not `(1, 1)` beside `(1, 2)`);
 * otherwise each axis is solved alone and the answers combined, up to {@link MAX_SOLUTIONS}.
 */
export function solveForSize(op: SolvableOp, axes: readonly ConvAxis[], input: readonly number[], wanted: readonly number[]): SizeSolution[] {
  const rank = axes.length as SpatialRank;
  const perAxis = axes.map((axis, i) => solveAxis(op, axis, input[i] as number, wanted[i] as number));
  const alike = rank >= 2 && axes.every((axis, i) => JSON.stringify(axis) === JSON.stringify(axes[0]) && input[i] === input[0] && wanted[i] === wanted[0]);
  const combos: AxisSolution[][] = alike
    ? (perAxis[0] as AxisSolution[]).map((s) => axes.map(() => s))
    : perAxis.reduce<AxisSolution[][]>((acc, list) => acc.flatMap((prefix) => list.map((s) => [...prefix, s])).slice(0, MAX_SOLUTIONS), [[]]);
  const solutions = combos.map((parts) => {
    const chosen = parts.map((p) => p.axis);
    const kernelChanged = parts.some((p) => p.kernelChanged);
    return { axes: chosen, kernelChanged, label: labelOf(op, chosen, rank, kernelChanged) };
  });
  // The layer's own kernel first; then by how little changes.
  return solutions.sort((a, b) => Number(a.kernelChanged) - Number(b.kernelChanged)).slice(0, MAX_SOLUTIONS);
}

function labelOf(op: SolvableOp, axes: readonly ConvAxis[], rank: SpatialRank, kernelChanged: boolean): string {
  const value = (values: readonly number[]) => sizeText(values, rank);
  const parts = kernelChanged ? [`kernel_size=${value(axes.map((a) => a.kernel))}`] : [];
  parts.push(`padding=${value(axes.map((a) => a.padding))}`);
  if (isTransposedOp(op)) parts.push(`output_padding=${value(axes.map((a) => a.outputPadding))}`);
  return parts.join(', ');
}

const SOLVABLE: ReadonlySet<string> = new Set<SolvableOp>(['convTranspose2d', 'convTranspose1d', 'convTranspose3d', 'conv2d', 'conv1d', 'conv3d']);

/**
 * Whether the solver can answer for `call`: a PyTorch (transposed) convolution whose kernel, stride,
 * dilation and padding are numbers. The reason, when not, reads after the layer's name and place
 * (`nn.MaxPool2d at model.py, line 3 has no padding to solve for: …`). The editor's command and the
 * agents' tool both ask here.
 */
export function solvableLayer(call: LayerCall): { readonly ok: true; readonly op: SolvableOp; readonly axes: readonly ConvAxis[] } | { readonly ok: false; readonly reason: string } {
  if (!SOLVABLE.has(call.op)) return { ok: false, reason: 'has no padding to solve for: the solver works on convolutions and transposed convolutions' };
  if (call.framework !== 'pytorch') {
    return { ok: false, reason: `is a ${call.framework === 'keras' ? 'Keras' : 'Flax'} layer, whose padding is 'same' or 'valid' rather than a number: the solver works on PyTorch layers` };
  }
  const padding = call.params.padding;
  if (padding?.kind === 'known' && typeof padding.value === 'string') return { ok: false, reason: `has padding='${padding.value}', which fixes the size itself: remove it to choose a number` };
  const read = convAxes(call);
  if (!read.ok) {
    const named = read.unknown.map((u) => `${u.parameter}=${u.text}`).join(', ');
    return { ok: false, reason: `cannot be solved: ${read.reason ?? `the output size depends on ${named}, which ${read.unknown.length === 1 ? 'is an expression' : 'are expressions'}`}` };
  }
  return { ok: true, op: call.op as SolvableOp, axes: read.axes };
}

/** Why no answer exists, after the layer's name and place. */
export function noSolutionReason(op: SolvableOp, input: readonly number[], wanted: readonly number[], rank: SpatialRank): string {
  const transposed = isTransposedOp(op);
  return (
    `an output of ${sizeText(wanted, rank)} from ${sizeText(input, rank)}` +
    ` (padding ≥ 0${transposed ? ', 0 ≤ output_padding < max(stride, dilation)' : ''}): change the stride, or the input size`
  );
}

/** `H_out = (16 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 32`: one axis of an answer, worked out. */
export function solutionFormula(op: SolvableOp, a: ConvAxis, input: number, name: string): string {
  if (isTransposedOp(op)) {
    const value = (input - 1) * a.stride - 2 * a.padding + a.dilation * (a.kernel - 1) + a.outputPadding + 1;
    return `${name}_out = (${input} − 1)·${a.stride} − 2·${a.padding} + ${a.dilation}·(${a.kernel} − 1) + ${a.outputPadding} + 1 = ${value}`;
  }
  const value = Math.floor((input + 2 * a.padding - a.dilation * (a.kernel - 1) - 1) / a.stride) + 1;
  return `${name}_out = ⌊(${input} + 2·${a.padding} − ${a.dilation}·(${a.kernel} − 1) − 1) / ${a.stride}⌋ + 1 = ${value}`;
}
