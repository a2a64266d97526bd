/**
 * A gathering layer call (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.Upsample, nn.PixelShuffle) as
 * the engine runs it, on an example input of the size the layer receives, for Inspect Layer to open
 * the layer panel on. PyTorch calls, and Keras calls where a PyTorch call gives exactly Keras'
 * result (kerasTerms.ts; otherwise the reason is said: a silent approximation would be a wrong
 * answer); Flax's are not run. The input holds varied small
 * integers (the same for every run) so that a window's maximum or a blend is visible; a
 * convolution's kernel is all ones, so each output cell is the sum of its window.
 */
import type { GatherLayerCall } from '../engine/gatherLayer';
import type { Tensor } from '../engine/tensor';
import type { LayerCall } from '../parse/layerCalls';
import type { SpatialSize } from '../parse/layerSignatures';
import { read, type Read } from './layerSize';
import { MAX_EXAMPLE_GROUPS } from './commandArguments';
import { kerasInPyTorchTerms } from './kerasTerms';

/** The example's largest side: enough to see the layer's pattern, small enough to step through. */
export const MAX_EXAMPLE_SIDE = 32;

/** The call on an example input, or why it cannot be run (in a sentence's middle: "… cannot be run on an example: <reason>"). */
export function gatherExample(call: LayerCall, inputSize: readonly number[]): GatherLayerCall | string {
  if (call.framework === 'flax') return `Layer Lens runs ${call.name} only in PyTorch's or Keras' terms`;
  const [h = 4, w = 4] = inputSize.map((s) => Math.max(1, Math.min(MAX_EXAMPLE_SIDE, s)));
  if (call.framework === 'keras') {
    // Keras' 'same' padding depends on the input's sides: the example's.
    const keras = kerasInPyTorchTerms(call, [h, w]);
    if (typeof keras === 'string') return keras;
    call = keras;
  }
  switch (call.op) {
    case 'conv2d': {
      const kernel = read<SpatialSize | undefined>(call, 'kernelSize', undefined);
      const o = options({ kernelSize: kernel, stride: read(call, 'stride', 1), padding: read(call, 'padding', 0), dilation: read(call, 'dilation', 1) });
      if (typeof o === 'string') return o;
      const size = o.kernelSize as SpatialSize | undefined;
      if (size === undefined) return 'its kernel size comes from the weight tensor passed to the call';
      const [kh, kw] = typeof size === 'number' ? [size, size] : size;
      const { kernelSize: _size, ...rest } = o;
      return { op: 'conv2d', input: pattern(1, h, w), weight: { shape: [kh, kw], data: new Float64Array(kh * kw).fill(1) }, options: rest };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const divisor = read<number | undefined>(call, 'divisorOverride', undefined);
      if (!divisor.ok || divisor.value !== undefined) return 'divisor_override is not one of the options Layer Lens computes';
      const shared = { kernelSize: read(call, 'kernelSize', undefined), stride: read(call, 'stride', undefined), padding: read(call, 'padding', 0), ceilMode: read(call, 'ceilMode', false) };
      const o = call.op === 'maxPool2d' ? options({ ...shared, dilation: read(call, 'dilation', 1) }) : options({ ...shared, countIncludePad: read(call, 'countIncludePad', true) });
      if (typeof o === 'string') return o;
      if (o.kernelSize === undefined) return 'kernel_size is required';
      return call.op === 'maxPool2d' ? { op: 'maxPool2d', input: pattern(1, h, w), options: o as never } : { op: 'avgPool2d', input: pattern(1, h, w), options: o as never };
    }
    case 'upsample': {
      const o = options({ scaleFactor: read(call, 'scaleFactor', undefined), size: read(call, 'size', undefined), mode: read(call, 'mode', 'nearest'), alignCorners: read(call, 'alignCorners', undefined) });
      if (typeof o === 'string') return o;
      if (o.mode !== 'nearest' && o.mode !== 'bilinear') return `mode '${String(o.mode)}' is not one Layer Lens computes (it computes 'nearest' and 'bilinear')`;
      return { op: 'upsample', input: pattern(1, h, w), options: o };
    }
    case 'pixelShuffle': {
      const o = options({ upscaleFactor: read(call, 'upscaleFactor', undefined) });
      if (typeof o === 'string') return o;
      const r = o.upscaleFactor;
      if (typeof r !== 'number') return 'upscale_factor is required';
      return { op: 'pixelShuffle', input: pattern(r * r, h, w), options: { upscaleFactor: r } };
    }
    default:
      return `${call.name} is not a gathering layer`;
  }
}

/** The options the call sets, known, or which of them are expressions (a sentence's middle). */
function options(entries: Record<string, Read<unknown>>): Record<string, unknown> | string {
  const unknown = Object.values(entries).flatMap((r) => (r.ok ? [] : [`${r.unknown.parameter}=${r.unknown.text}`]));
  if (unknown.length > 0) return `${unknown.join(', ')} ${unknown.length === 1 ? 'is an expression' : 'are expressions'}`;
  return Object.fromEntries(Object.entries(entries).flatMap(([key, r]) => (r.ok && r.value !== undefined ? [[key, r.value]] : [])));
}

/** A 1-D or 3-D gathering layer's example, as the volume commands read it (`{ op, input, weight?, options }`, tensors as plain `{ shape, data }`). */
export interface VolumeGatherExample {
  readonly op: 'conv1d' | 'conv3d' | 'maxPool1d' | 'maxPool3d' | 'avgPool1d' | 'avgPool3d' | 'upsample1d' | 'upsample3d';
  readonly input: { readonly shape: number[]; readonly data: number[] };
  readonly weight?: { readonly shape: number[]; readonly data: number[] };
  readonly options: Readonly<Record<string, unknown>>;
}

/** A 3-D example's largest side: 16³ is as many cells as the volume panel draws slice by slice. */
const MAX_VOLUME_SIDE = 16;

/**
 * A 1-D or 3-D gathering call (nn.Conv1d/3d, the pools, nn.Upsample in linear or trilinear mode)
 * on an example sequence `[L]` or volume `[D, H, W]` of one channel for the volume panel, with the
 * same varied small integers as the 2-D example and a kernel of ones; or why it cannot be run.
 */
export function volumeGatherExample(call: LayerCall, inputSize: readonly number[], cut = true): VolumeGatherExample | string {
  if (call.framework === 'flax') return `Layer Lens runs ${call.name} only in PyTorch's or Keras' terms`;
  const rank = call.op.endsWith('3d') ? 3 : 1;
  const limit = cut ? (rank === 3 ? MAX_VOLUME_SIDE : MAX_EXAMPLE_SIDE) : Number.MAX_SAFE_INTEGER;
  const sides = Array.from({ length: rank }, (_, i) => Math.max(1, Math.min(limit, inputSize[i] ?? (rank === 3 ? 4 : 8))));
  if (call.framework === 'keras') {
    const keras = kerasInPyTorchTerms(call, sides);
    if (typeof keras === 'string') return keras;
    call = keras;
  }
  const input = { shape: sides, data: Array.from({ length: sides.reduce((a, b) => a * b, 1) }, (_, i) => (i * 7 + Math.floor(i / (sides[rank - 1] as number)) * 3) % 10) };
  switch (call.op) {
    case 'conv1d':
    case 'conv3d': {
      const groups = exampleGroups(call);
      if (typeof groups === 'string') return groups;
      const o = options({ kernelSize: read<SpatialSize | undefined>(call, 'kernelSize', undefined), stride: read(call, 'stride', 1), padding: read(call, 'padding', 0), dilation: read(call, 'dilation', 1) });
      if (typeof o === 'string') return o;
      const { kernelSize, ...rest } = o;
      if (kernelSize === undefined) return 'its kernel size comes from the weight tensor passed to the call';
      const kernel = typeof kernelSize === 'number' ? new Array<number>(rank).fill(kernelSize) : [...(kernelSize as number[])];
      const taps = kernel.reduce((a, b) => a * b, 1);
      if (groups === 1) return { op: call.op, input, weight: { shape: kernel, data: new Array<number>(taps).fill(1) }, options: rest };
      // One channel per group in and out, each its own pattern: weight [C_out, C_in / groups, …kernel] = [groups, 1, …kernel].
      const grouped = { shape: [1, groups, ...sides], data: Array.from({ length: groups * input.data.length }, (_, i) => ((input.data[i % input.data.length] as number) + 5 * Math.floor(i / input.data.length)) % 10) };
      return { op: call.op, input: grouped, weight: { shape: [groups, 1, ...kernel], data: new Array<number>(groups * taps).fill(1) }, options: { ...rest, groups } };
    }
    case 'maxPool1d':
    case 'maxPool3d':
    case 'avgPool1d':
    case 'avgPool3d': {
      const shared = { kernelSize: read(call, 'kernelSize', undefined), stride: read(call, 'stride', undefined), padding: read(call, 'padding', 0), ceilMode: read(call, 'ceilMode', false) };
      const max = call.op.startsWith('max');
      const o = options(max ? { ...shared, dilation: read(call, 'dilation', 1) } : { ...shared, countIncludePad: read(call, 'countIncludePad', true), divisorOverride: read(call, 'divisorOverride', undefined) });
      if (typeof o === 'string') return o;
      if (o.kernelSize === undefined) return 'kernel_size is required';
      return { op: call.op, input, options: o };
    }
    case 'upsample1d':
    case 'upsample3d': {
      const o = options({ scaleFactor: read(call, 'scaleFactor', undefined), size: read(call, 'size', undefined), mode: read(call, 'mode', 'nearest'), alignCorners: read(call, 'alignCorners', undefined) });
      if (typeof o === 'string') return o;
      return { op: call.op, input, options: o };
    }
    default:
      return `${call.name} is not a 1-D or 3-D gathering layer`;
  }
}

/**
 * The groups a 1-D or 3-D convolution's example keeps: the call's `groups`, one channel per group,
 * up to {@link MAX_EXAMPLE_GROUPS} (more groups draw the same picture per group, so the example runs
 * one); a `groups` written as an expression is a reason the example cannot run.
 */
export function exampleGroups(call: LayerCall): number | string {
  const groups = read<unknown>(call, 'groups', 1);
  if (!groups.ok) return `groups=${groups.unknown.text} is an expression`;
  const g = groups.value;
  if (typeof g !== 'number' || !Number.isSafeInteger(g) || g < 1) return `groups=${String(g)} is not a whole number of at least 1`;
  return g <= MAX_EXAMPLE_GROUPS ? g : 1;
}

/** `[channels, h, w]` (a matrix for one channel) of small integers 0–9 in a pattern that varies along both axes and across channels. */
function pattern(channels: number, h: number, w: number): Tensor {
  const data = new Float64Array(channels * h * w);
  for (let c = 0, i = 0; c < channels; c++) for (let r = 0; r < h; r++) for (let k = 0; k < w; k++) data[i++] = (r * 7 + k * 3 + c * 5) % 10;
  return { shape: channels === 1 ? [h, w] : [channels, h, w], data };
}
