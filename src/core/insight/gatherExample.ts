/**
 * A gathering layer call (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.Upsample, nn.PixelShuffle) as
 * the engine runs it, on an example input of the size the layer receives, for Inspect Layer to open
 * the layer panel on. Only PyTorch calls: Keras' and Flax's 'same' padding has no single PyTorch
 * equivalent, and a silent approximation would be a wrong answer. The input holds varied small
 * integers (the same for every run) so that a window's maximum or a blend is visible; a
 * convolution's kernel is all ones, so each output cell is the sum of its window.
 */
import type { GatherLayerCall } from '../engine/gatherLayer';
import type { Tensor } from '../engine/tensor';
import type { LayerCall } from '../parse/layerCalls';
import type { SpatialSize } from '../parse/layerSignatures';
import { read, type Read } from './layerSize';

/** The example's largest side: enough to see the layer's pattern, small enough to step through. */
export const MAX_EXAMPLE_SIDE = 32;

/** The call on an example input, or why it cannot be run (in a sentence's middle: "… cannot be run on an example: <reason>"). */
export function gatherExample(call: LayerCall, inputSize: readonly number[]): GatherLayerCall | string {
  if (call.framework !== 'pytorch') return `Layer Lens runs ${call.name} only in PyTorch's terms; its 'same' padding has no single PyTorch equivalent`;
  const [h = 4, w = 4] = inputSize.map((s) => Math.max(1, Math.min(MAX_EXAMPLE_SIDE, s)));
  const options = (entries: Record<string, Read<unknown>>): Record<string, unknown> | string => {
    const unknown = Object.values(entries).flatMap((r) => (r.ok ? [] : [`${r.unknown.parameter}=${r.unknown.text}`]));
    if (unknown.length > 0) return `${unknown.join(', ')} ${unknown.length === 1 ? 'is an expression' : 'are expressions'}`;
    return Object.fromEntries(Object.entries(entries).flatMap(([key, r]) => (r.ok && r.value !== undefined ? [[key, r.value]] : [])));
  };
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

/** `[channels, h, w]` (a matrix for one channel) of small integers 0–9 in a pattern that varies along both axes and across channels. */
function pattern(channels: number, h: number, w: number): Tensor {
  const data = new Float64Array(channels * h * w);
  for (let c = 0, i = 0; c < channels; c++) for (let r = 0; r < h; r++) for (let k = 0; k < w; k++) data[i++] = (r * 7 + k * 3 + c * 5) % 10;
  return { shape: channels === 1 ? [h, w] : [channels, h, w], data };
}
