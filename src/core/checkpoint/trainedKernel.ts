/**
 * An audited transposed convolution as the transposed-convolution panel opens it: the trained
 * kernel in PyTorch's layout `[C_in, C_out/groups, kH, kW]`, a constant input of ones (whose output
 * shows exactly the pattern the phase sums predict), and the layer's stride, dilation and groups.
 * A weight too large to step through is cut to the worst output channel and the input channels that
 * feed it, and the caller is told so.
 *
 * A sub-pixel convolution (a convolution with `C·r²` outputs, then `PixelShuffle(r)`) opens there
 * too, as the transposed convolution it equals (Shi et al. 2016, "Is the deconvolution layer the
 * same as a convolutional layer?"): stride `r`, kernel `k·r`, whose taps are the `r²` trained
 * sub-kernels flipped and interleaved, `K[c_in][c][r(k−1−u)+a][r(k−1−v)+b] = W[c·r²+a·r+b][c_in][u][v]`,
 * with padding `r(k−1−p)` for the convolution's usual padding `p = ⌊(k−1)/2⌋`. Its output on the
 * constant input is the sub-pixel layer's, bias aside, and its phase sums are the audit's: stepping
 * through it shows which sub-kernel paints which phase. The transposed-convolution panel is the one
 * whose step-through, overlap map and phase picture already explain a stride-`r` pattern; the layer
 * panel's convolution and pixel shuffle show one step each and never the two together.
 *
 * A 1-D or 3-D transposed convolution opens in the volume panel, as the arguments
 * `{ op, input, weight, options }` its command takes: the trained weight `[C_in, C_out/groups, …kernel]`
 * and a constant input of ones `[1, C_in, L]` or `[1, C_in, D, H, W]`, cut the same way when large.
 */
import type { AuditedLayer } from './audit';
import { kerasToTorch } from './kerasLayout';
import type { CheckpointLayer, CheckpointTensor } from './types';

/** Kernels up to this many values open whole; larger ones open at their worst output channel. */
export const MAX_KERNEL_VALUES = 4096;
/** The input channels shown at most (a layer with more shows its first ones). */
export const MAX_INPUT_CHANNELS = 64;
/** The constant input's height and width: enough for the interior phases to repeat. */
export const INPUT_SIZE = 4;
/** A 1-D layer's constant input is longer: a sequence is cheap, and its ticks show best over many periods. */
export const SEQUENCE_LENGTH = 16;

export interface TrainedKernelArguments {
  readonly input: number[][][];
  readonly kernel: number[][][][];
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  /** Set for a sub-pixel convolution's equivalent: the padding that gives the sub-pixel layer's output size. */
  readonly padding?: [number, number];
}

/** A 1-D or 3-D layer as the volume panel's command takes it (src/host/volume/volumeArguments.ts). */
export interface TrainedVolumeArguments {
  readonly op: 'convTranspose1d' | 'convTranspose3d';
  readonly input: { readonly shape: number[]; readonly data: number[] };
  readonly weight: { readonly shape: number[]; readonly data: number[] };
  readonly options: { readonly stride: number[]; readonly dilation: number[]; readonly groups: number };
}

type Opened<A> = { readonly ok: true; readonly args: A; readonly note?: string } | { readonly ok: false; readonly problem: string };
export type TrainedKernel = Opened<TrainedKernelArguments>;
export type TrainedVolume = Opened<TrainedVolumeArguments>;

/** Any audited layer's arguments: the volume panel's for a 1-D or 3-D layer, the transposed-convolution panel's otherwise. */
export function trainedLayerArguments(layer: AuditedLayer, weight: CheckpointTensor, layout: CheckpointLayer['weightLayout']): TrainedKernel | TrainedVolume {
  return layer.op === 'convTranspose1d' || layer.op === 'convTranspose3d' ? trainedVolumeArguments(layer, weight, layout) : trainedKernelArguments(layer, weight, layout);
}

const strideUnknown = (layer: AuditedLayer) => ({ ok: false as const, problem: `${layer.name} opens with its trained kernel only with a known stride (pick one in the audit)` });

/** A 2-D transposed convolution or a sub-pixel convolution, for the transposed-convolution panel. */
export function trainedKernelArguments(layer: AuditedLayer, weight: CheckpointTensor, layout: CheckpointLayer['weightLayout']): TrainedKernel {
  if (layer.op === 'subPixelConvolution') return subPixelKernelArguments(layer, layout === 'keras' ? kerasToTorch(weight) : weight);
  if (layer.stride === null) return strideUnknown(layer);
  if (layer.stride.length !== 2 || weight.shape.length !== 4) return { ok: false, problem: `${layer.name} is a ${layer.op}, not a 2-D layer: it opens in the volume panel` };
  const torch = layout === 'keras' ? kerasToTorch(weight) : weight;
  const stride: [number, number] = [layer.stride[0] as number, layer.stride[1] as number];
  const dilation: [number, number] = [layer.dilation[0] as number, layer.dilation[1] as number];
  const [cIn, cOutGroup, kh, kw] = torch.shape as [number, number, number, number];
  const at = (c: number, o: number, i: number, j: number): number => torch.data[((c * cOutGroup + o) * kh + i) * kw + j] as number;
  const taps = (c: number, o: number): number[][] => Array.from({ length: kh }, (_, i) => Array.from({ length: kw }, (_, j) => at(c, o, i, j)));
  const ones = (channels: number): number[][][] => Array.from({ length: channels }, () => Array.from({ length: INPUT_SIZE }, () => new Array<number>(INPUT_SIZE).fill(1)));
  const base = { stride, dilation };
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

/**
 * A 1-D or 3-D transposed convolution with its trained weight and a constant input (see the
 * module's comment); a weight of more than {@link MAX_KERNEL_VALUES} values is cut to its worst
 * output channel fed by (at most {@link MAX_INPUT_CHANNELS} of) its group's input channels.
 */
export function trainedVolumeArguments(layer: AuditedLayer, weight: CheckpointTensor, layout: CheckpointLayer['weightLayout']): TrainedVolume {
  const op = layer.op;
  if (op !== 'convTranspose1d' && op !== 'convTranspose3d') return { ok: false, problem: `${layer.name} is a ${op}: it opens in the transposed-convolution panel, not the volume panel` };
  const stride = layer.stride;
  if (stride === null) return strideUnknown(layer);
  const torch = layout === 'keras' ? kerasToTorch(weight) : weight;
  if (torch.shape.length !== stride.length + 2) return { ok: false, problem: `${layer.name}'s weight [${weight.shape.join(', ')}] is not a ${op}'s` };
  const [cIn, cOutGroup, ...kernel] = torch.shape as [number, number, ...number[]];
  const taps = kernel.reduce((a, b) => a * b, 1);
  const spatial = op === 'convTranspose1d' ? [SEQUENCE_LENGTH] : [INPUT_SIZE, INPUT_SIZE, INPUT_SIZE];
  const ones = (channels: number) => ({ shape: [1, channels, ...spatial], data: new Array<number>(channels * spatial.reduce((a, b) => a * b, 1)).fill(1) });
  const base = { stride: [...stride], dilation: [...layer.dilation] };
  if (torch.data.length <= MAX_KERNEL_VALUES) {
    return { ok: true, args: { op, input: ones(cIn), weight: { shape: [...torch.shape], data: Array.from(torch.data) }, options: { ...base, groups: layer.groups } } };
  }
  const worst = layer.worstChannel ?? 0;
  const group = Math.floor(worst / cOutGroup);
  const perGroup = cIn / layer.groups;
  const channels = Math.min(perGroup, MAX_INPUT_CHANNELS);
  const data: number[] = [];
  for (let c = 0; c < channels; c++) {
    const from = ((group * perGroup + c) * cOutGroup + (worst % cOutGroup)) * taps;
    for (let t = 0; t < taps; t++) data.push(torch.data[from + t] as number);
  }
  const shown = channels < perGroup ? `its first ${channels} of ${perGroup} input channels` : `its ${perGroup} input channels`;
  return {
    ok: true,
    args: { op, input: ones(channels), weight: { shape: [channels, 1, ...kernel], data }, options: { ...base, groups: 1 } },
    note: `${layer.name} has ${torch.data.length} weights: opened at its worst output channel ${worst}, with ${shown}`,
  };
}

/**
 * A sub-pixel convolution as its equivalent transposed convolution (see the module's comment),
 * groups spelled out as zeros so the panel runs one dense kernel; cut to the worst channel when large.
 */
function subPixelKernelArguments(layer: AuditedLayer, weight: CheckpointTensor): TrainedKernel {
  const r = layer.stride?.[0];
  if (r === undefined || weight.shape.length !== 4) return { ok: false, problem: `${layer.name} is not a 4-D sub-pixel convolution weight` };
  if (layer.dilation[0] !== 1 || layer.dilation[1] !== 1) return { ok: false, problem: `${layer.name} is a dilated sub-pixel convolution: its transposed-convolution equivalent is not drawn (only dilation 1)` };
  const [outs, perGroup, kh, kw] = weight.shape as [number, number, number, number];
  const channels = outs / (r * r);
  const cIn = perGroup * layer.groups;
  const outsPerGroup = outs / layer.groups;
  const tap = (o: number, ci: number, u: number, v: number): number => {
    const group = Math.floor(o / outsPerGroup);
    const local = ci - group * perGroup;
    return local < 0 || local >= perGroup ? 0 : (weight.data[((o * perGroup + local) * kh + u) * kw + v] as number);
  };
  const kernelOf = (ci: number, c: number): number[][] => {
    const taps = Array.from({ length: kh * r }, () => new Array<number>(kw * r).fill(0));
    for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) (taps[r * (kh - 1 - u) + a] as number[])[r * (kw - 1 - v) + b] = tap(c * r * r + a * r + b, ci, u, v);
    return taps;
  };
  const whole = cIn * channels * kh * r * kw * r <= MAX_KERNEL_VALUES;
  const worst = layer.worstChannel ?? 0;
  const shownIn = whole ? cIn : Math.min(cIn, MAX_INPUT_CHANNELS);
  const shownOut = whole ? Array.from({ length: channels }, (_, c) => c) : [worst];
  const kernel = Array.from({ length: shownIn }, (_, ci) => shownOut.map((c) => kernelOf(ci, c)));
  const size = Math.max(INPUT_SIZE, kh + 1, kw + 1);
  const input = Array.from({ length: shownIn }, () => Array.from({ length: size }, () => new Array<number>(size).fill(1)));
  const padding: [number, number] = [r * (kh - 1 - Math.floor((kh - 1) / 2)), r * (kw - 1 - Math.floor((kw - 1) / 2))];
  const notes = [`${layer.name} is a sub-pixel convolution: opened as the transposed convolution it equals (stride ${r}, its ${r * r} trained ${kh}×${kw} sub-kernels flipped and interleaved into one ${kh * r}×${kw * r} kernel per channel, padding ${padding[0]} for a convolution padded ${Math.floor((kh - 1) / 2)})`];
  if (!whole) notes.push(`at its worst channel ${worst}, with ${shownIn < cIn ? `its first ${shownIn} of ${cIn}` : `its ${cIn}`} input channels`);
  if (layer.bias !== undefined) notes.push('its bias, which differs per phase and paints too, is in the audit\'s phase sums but not in the panel');
  return { ok: true, args: { input, kernel, stride: [r, r], dilation: [1, 1], groups: 1, padding }, note: notes.join('; ') };
}
