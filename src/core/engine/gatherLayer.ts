/**
 * The gathering layers as one value: which layer, its input (and weight) and its options. The
 * commands build one, the engine worker and the panel's page run it, and the step player traces it,
 * so that "which layer is this" is decided once. Every field is plain data (tensors hold
 * Float64Arrays), so a call crosses `postMessage` to a worker or a webview unchanged.
 */
import { conv2d } from './conv';
import { traceAvgPool2d, traceConv2d, traceMaxPool2d, type AvgPoolTrace, type ConvTrace, type MaxPoolTrace } from './gatherTrace';
import type { AvgPool2dOptions, Conv2dOptions, MaxPool2dOptions, PixelShuffleOptions, UpsampleOptions } from './options';
import { outputShape, type OutputShape } from './outputShape';
import { pixelShuffle } from './pixelShuffle';
import { avgPool2d, maxPool2d } from './pool';
import { tracePixelShuffle, traceUpsample, type PixelShuffleTrace, type UpsampleTrace } from './resampleTrace';
import type { Tensor } from './tensor';
import { upsample } from './upsample';
import type { GatherLayerOp } from './gatherLayerOps';

/** One gathering layer: its op (one of GATHER_LAYER_OPS), its tensors and its options, as plain data. */
export type GatherLayerCall =
  | { readonly op: 'conv2d'; readonly input: Tensor; readonly weight: Tensor; readonly options: Omit<Conv2dOptions, 'bias'> }
  | { readonly op: 'maxPool2d'; readonly input: Tensor; readonly options: MaxPool2dOptions }
  | { readonly op: 'avgPool2d'; readonly input: Tensor; readonly options: AvgPool2dOptions }
  | { readonly op: 'upsample'; readonly input: Tensor; readonly options: UpsampleOptions }
  | { readonly op: 'pixelShuffle'; readonly input: Tensor; readonly options: PixelShuffleOptions };

export { GATHER_LAYER_OPS, type GatherLayerOp } from './gatherLayerOps';

/** The call's ops and GATHER_LAYER_OPS are the same set: a compile error otherwise. */
export const _SAME_OPS: [GatherLayerCall['op']] extends [GatherLayerOp] ? ([GatherLayerOp] extends [GatherLayerCall['op']] ? true : false) : false = true;

export type GatherLayerTrace = ConvTrace | MaxPoolTrace | AvgPoolTrace | UpsampleTrace | PixelShuffleTrace;

/** What a person calls the layer: `Convolution`, `Max pooling`, … */
export const GATHER_LAYER_NAMES: Readonly<Record<GatherLayerOp, string>> = {
  conv2d: 'Convolution',
  maxPool2d: 'Max pooling',
  avgPool2d: 'Average pooling',
  upsample: 'Upsampling',
  pixelShuffle: 'Pixel shuffle',
};

/** The layer's output; throws the engine's LayerError for a call PyTorch would refuse. */
export function runGatherLayer(call: GatherLayerCall): Tensor {
  switch (call.op) {
    case 'conv2d':
      return conv2d(call.input, call.weight, call.options);
    case 'maxPool2d':
      return maxPool2d(call.input, call.options);
    case 'avgPool2d':
      return avgPool2d(call.input, call.options);
    case 'upsample':
      return upsample(call.input, call.options);
    case 'pixelShuffle':
      return pixelShuffle(call.input, call.options);
  }
}

/** The layer cut into steps, one output cell each. */
export function traceGatherLayer(call: GatherLayerCall): GatherLayerTrace {
  switch (call.op) {
    case 'conv2d':
      return traceConv2d(call.input, call.weight, call.options);
    case 'maxPool2d':
      return traceMaxPool2d(call.input, call.options);
    case 'avgPool2d':
      return traceAvgPool2d(call.input, call.options);
    case 'upsample':
      return traceUpsample(call.input, call.options);
    case 'pixelShuffle':
      return tracePixelShuffle(call.input, call.options);
  }
}

/** The output's shape and its formulas, validating every parameter, without computing anything. */
export function gatherLayerShape(call: GatherLayerCall): OutputShape {
  switch (call.op) {
    case 'conv2d':
      return outputShape('conv2d', call.input.shape, { ...call.options, weightShape: call.weight.shape });
    case 'maxPool2d':
      return outputShape('maxPool2d', call.input.shape, call.options);
    case 'avgPool2d':
      return outputShape('avgPool2d', call.input.shape, call.options);
    case 'upsample':
      return outputShape('upsample', call.input.shape, call.options);
    case 'pixelShuffle':
      return outputShape('pixelShuffle', call.input.shape, call.options);
  }
}

/**
 * Roughly how many multiply-adds (or reads) the layer costs: output cells times the cells each one
 * reads. Decides whether it runs inline or in the engine worker.
 */
export function gatherLayerWork(call: GatherLayerCall, outShape: readonly number[]): number {
  const outCells = outShape.reduce((a, b) => a * b, 1);
  switch (call.op) {
    case 'conv2d': {
      const [kh = 1, kw = 1] = call.weight.shape.slice(-2);
      const perGroupIn = call.weight.shape.length === 4 ? (call.weight.shape[1] as number) : 1;
      return outCells * kh * kw * perGroupIn;
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const k = call.options.kernelSize;
      return outCells * (typeof k === 'number' ? k * k : k[0] * k[1]);
    }
    case 'upsample':
      return outCells * (call.options.mode === 'bilinear' ? 4 : 1);
    case 'pixelShuffle':
      return outCells;
  }
}
