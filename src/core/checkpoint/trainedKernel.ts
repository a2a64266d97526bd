/**
 * An audited transposed convolution as the transposed-convolution panel opens it: the trained
 * kernel in PyTorch's layout `[C_in, C_out/groups, kH, kW]`, a constant input of ones (whose output
 * shows exactly the pattern the phase sums predict), and the layer's stride, dilation and groups.
 * A weight too large to step through is cut to the worst output channel and the input channels that
 * feed it, and the caller is told so.
 */
import type { AuditedLayer } from './audit';
import type { CheckpointLayer, CheckpointTensor } from './types';

/** Kernels up to this many values open whole; larger ones open at their worst output channel. */
export const MAX_KERNEL_VALUES = 4096;
/** The input channels shown at most (a layer with more shows its first ones). */
export const MAX_INPUT_CHANNELS = 64;
/** The constant input's height and width: enough for the interior phases to repeat. */
export const INPUT_SIZE = 4;

export interface TrainedKernelArguments {
  readonly input: number[][][];
  readonly kernel: number[][][][];
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
}

export type TrainedKernel = { readonly ok: true; readonly args: TrainedKernelArguments; readonly note?: string } | { readonly ok: false; readonly problem: string };

export function trainedKernelArguments(layer: AuditedLayer, weight: CheckpointTensor, layout: CheckpointLayer['weightLayout']): TrainedKernel {
  if (layer.op !== 'convTranspose2d' || layer.stride === null) {
    return { ok: false, problem: `${layer.name} opens in the transposed-convolution panel only as a transposed convolution with a known stride (pick one in the audit)` };
  }
  const torch = layout === 'keras' ? kerasToTorch(weight) : weight;
  const [cIn, cOutGroup, kh, kw] = torch.shape as [number, number, number, number];
  const at = (c: number, o: number, i: number, j: number): number => torch.data[((c * cOutGroup + o) * kh + i) * kw + j] as number;
  const taps = (c: number, o: number): number[][] => Array.from({ length: kh }, (_, i) => Array.from({ length: kw }, (_, j) => at(c, o, i, j)));
  const ones = (channels: number): number[][][] => Array.from({ length: channels }, () => Array.from({ length: INPUT_SIZE }, () => new Array<number>(INPUT_SIZE).fill(1)));
  const base = { stride: layer.stride, dilation: layer.dilation };
  if (torch.data.length <= MAX_KERNEL_VALUES) {
    const kernel = Array.from({ length: cIn }, (_, c) => Array.from({ length: cOutGroup }, (_, o) => taps(c, o)));
    return { ok: true, args: { ...base, input: ones(cIn), kernel, groups: layer.groups } };
  }
  // The worst output channel alone, fed by its group's input channels: one group of one channel.
  const worst = layer.worstChannel ?? 0;
  const group = Math.floor(worst / cOutGroup);
  const perGroup = cIn / layer.groups;
  const channels = Math.min(perGroup, MAX_INPUT_CHANNELS);
  const kernel = Array.from({ length: channels }, (_, c) => [taps(group * perGroup + c, worst % cOutGroup)]);
  const shown = channels < perGroup ? `its first ${channels} of ${perGroup} input channels` : `its ${perGroup} input channels`;
  return { ok: true, args: { ...base, input: ones(channels), kernel, groups: 1 }, note: `${layer.name} has ${torch.data.length} weights: opened at its worst output channel ${worst}, with ${shown}` };
}

/** Keras's `Conv2DTranspose` kernel `[kH, kW, C_out, C_in]` in PyTorch's order `[C_in, C_out, kH, kW]`. */
function kerasToTorch(weight: CheckpointTensor): CheckpointTensor {
  const [kh, kw, out, cin] = weight.shape as [number, number, number, number];
  const data = new Float64Array(weight.data.length);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let o = 0; o < out; o++) for (let c = 0; c < cin; c++) data[((c * out + o) * kh + i) * kw + j] = weight.data[((i * kw + j) * out + o) * cin + c] as number;
  return { shape: [cin, out, kh, kw], data };
}
