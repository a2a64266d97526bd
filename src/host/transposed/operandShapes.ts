/**
 * How the Transposed Convolution command and the panel read an operand's shape, as PyTorch's
 * `F.conv_transpose2d` does: the input is a matrix `[H, W]`, an image `[C_in, H, W]` or a batch
 * `[N, C_in, H, W]`; the kernel is a matrix `[kH, kW]` or a weight `[C_in, C_out/groups, kH, kW]`.
 * A flat list is one row. When one operand has channels and the other is a plain matrix, the matrix
 * is read as one channel, so the pair always has PyTorch's ranks. Pure: no `vscode`, for unit tests.
 */
import type { Tensor } from '../../core/engine/tensor';
import { viewShape, type MatrixView } from '../../core/protocol/common';

export type OperandRole = 'input' | 'kernel';

export type ShapeReading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const at = (where: string | undefined): string => (where ? ` (${where})` : '');

/** An operand as the panel holds it: its matrices and the axes before them. */
export function operandView(role: OperandRole, tensor: Tensor, where?: string): ShapeReading<MatrixView> {
  const { shape, data } = tensor;
  const [a, b, c, d] = shape as [number, number, number, number];
  if (shape.length === 1) return { ok: true, value: { rows: 1, cols: a, data } };
  if (shape.length === 2) return { ok: true, value: { rows: a, cols: b, data } };
  if (role === 'input' && shape.length === 3) return { ok: true, value: { lead: [a], rows: b, cols: c, data } };
  if (shape.length === 4) return { ok: true, value: { lead: [a, b], rows: c, cols: d, data } };
  if (role === 'kernel' && shape.length === 3) {
    return {
      ok: false,
      problem:
        `The kernel is a 3-D tensor of shape ${shapeText(shape)}${at(where)}; a kernel is a matrix [kH, kW] or a weight ` +
        `[C_in, C_out/groups, kH, kW] as PyTorch's ConvTranspose2d stores it (one output channel per input channel is [${a}, 1, ${b}, ${c}]).`,
    };
  }
  const forms = role === 'input' ? 'a matrix [H, W], an image [C, H, W] or a batch [N, C, H, W]' : 'a matrix [kH, kW] or a weight [C_in, C_out/groups, kH, kW]';
  return { ok: false, problem: `The ${role} is a ${shape.length}-D tensor of shape ${shapeText(shape)}${at(where)}; Transposed Convolution takes ${forms}.` };
}

/** The input channels an operand has: the input's `C`, the weight's `C_in`; 1 for a plain matrix. */
function inputChannels(role: OperandRole, view: MatrixView): number {
  const lead = view.lead ?? [];
  if (lead.length === 0) return 1;
  return (role === 'input' ? lead[lead.length - 1] : lead[0]) as number;
}

/**
 * The input and kernel as one layer: a plain matrix beside an operand with channels becomes one
 * channel (`[1, H, W]`, or a `[1, 1, kH, kW]` weight), and the channels must agree.
 */
export function pairOperands(input: MatrixView, kernel: MatrixView, where: { readonly input?: string; readonly kernel?: string } = {}): ShapeReading<{ readonly input: MatrixView; readonly kernel: MatrixView }> {
  if (input.lead === undefined && kernel.lead === undefined) return { ok: true, value: { input, kernel } };
  const liftedInput = input.lead === undefined ? { ...input, lead: [1] } : input;
  const liftedKernel = kernel.lead === undefined ? { ...kernel, lead: [1, 1] } : kernel;
  const kernelIn = inputChannels('kernel', liftedKernel);
  const inputIn = inputChannels('input', liftedInput);
  if (kernelIn !== inputIn) {
    const plural = (n: number) => `${n} input channel${n === 1 ? '' : 's'}`;
    return {
      ok: false,
      problem:
        `The kernel has ${plural(kernelIn)} but the input has ${inputIn === 1 ? '1' : inputIn} ` +
        `(kernel ${shapeText(viewShape(kernel))}${where.kernel ? ` at ${where.kernel}` : ''}, read as [C_in, C_out/groups, kH, kW]; ` +
        `input ${shapeText(viewShape(input))}${where.input ? ` at ${where.input}` : ''}). The kernel's first axis must equal the input's channel axis.`,
    };
  }
  return { ok: true, value: { input: liftedInput, kernel: liftedKernel } };
}

/** The operand as the engine takes it. */
export const tensorOfView = (view: MatrixView): Tensor => ({ shape: viewShape(view), data: view.data });

/** The flat offset of cell `[...plane, row, col]` in a row-major tensor of shape `[...lead, rows, cols]`. */
export function cellOffset(shape: readonly number[], plane: readonly number[], row: number, col: number): number {
  const [rows, cols] = shape.slice(-2) as [number, number];
  const lead = shape.slice(0, -2);
  const planeIndex = plane.reduce((flat, p, i) => flat * (lead[i] as number) + p, 0);
  return (planeIndex * rows + row) * cols + col;
}

/** Whether `[...plane, row, col]` is a cell of a tensor of shape `[...lead, rows, cols]`. */
export function hasCell(shape: readonly number[], plane: readonly number[], row: number, col: number): boolean {
  const [rows, cols] = shape.slice(-2) as [number, number];
  const lead = shape.slice(0, -2);
  return row < rows && col < cols && plane.length === lead.length && plane.every((p, i) => p < (lead[i] as number));
}

/** Whether two views hold the same shape and the same float64 values (NaN equals NaN, −0 is not 0). */
export function sameView(a: MatrixView, b: MatrixView): boolean {
  if (viewShape(a).join() !== viewShape(b).join() || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return false;
  return true;
}
