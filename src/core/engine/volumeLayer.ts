/**
 * A 1-D or 3-D layer call run by name ({@link VolumeLayerCall}): what the engine worker, the
 * command and the volume panel's page share. Also the reading of smaller tensors as the layer needs
 * them: a sequence `[L]` as one image of one channel `[1, 1, L]`, a volume `[D, H, W]` as
 * `[1, 1, D, H, W]` (and a kernel `[k]` or `[kD, kH, kW]` as one channel in, one out), so a plain
 * literal can be the input of a layer that needs a batch.
 */
import { conv1d, conv3d } from './conv';
import { convTranspose1d, convTranspose3d } from './convTranspose';
import { LayerError } from './errors';
import { avgPool1d, avgPool3d, maxPool1d, maxPool3d } from './pool';
import { outputShape, type OutputShape } from './outputShape';
import { tensor, type Tensor } from './tensor';
import { upsample1d, upsample3d } from './upsample';
import { spatialRank, WEIGHTED_VOLUME_OPS, type VolumeLayerCall, type VolumeLayerOp } from '../protocol/volume';

/** The layer's output, PyTorch-exact; throws the engine's {@link LayerError}s in its words. */
export function runVolumeLayer(call: VolumeLayerCall): Tensor {
  const { input, weight, options } = call;
  const o = options as never;
  switch (call.op) {
    case 'convTranspose1d':
      return convTranspose1d(input, needWeight(call, weight), o);
    case 'convTranspose3d':
      return convTranspose3d(input, needWeight(call, weight), o);
    case 'conv1d':
      return conv1d(input, needWeight(call, weight), o);
    case 'conv3d':
      return conv3d(input, needWeight(call, weight), o);
    case 'maxPool1d':
      return maxPool1d(input, o);
    case 'maxPool3d':
      return maxPool3d(input, o);
    case 'avgPool1d':
      return avgPool1d(input, o);
    case 'avgPool3d':
      return avgPool3d(input, o);
    case 'upsample1d':
      return upsample1d(input, o);
    case 'upsample3d':
      return upsample3d(input, o);
  }
}

/** The layer's output shape without computing it (validates every parameter, as the layer does). */
export function volumeLayerShape(call: VolumeLayerCall): OutputShape {
  const extra = call.weight ? { weightShape: call.weight.shape } : {};
  return outputShape(call.op as never, call.input.shape, { ...call.options, ...extra } as never);
}

function needWeight(call: VolumeLayerCall, weight: Tensor | undefined): Tensor {
  if (!weight) throw new LayerError('invalid-shape', `${call.op} needs a weight`);
  return weight;
}

/**
 * `value` as the layer reads it: a tensor with only the spatial axes (`[L]` for a 1-D layer,
 * `[D, H, W]` for a 3-D one) gains a batch and a channel axis of 1; any other rank is left for the
 * engine to accept (an unbatched `[C, L]`, a batch `[N, C, L]`) or refuse in its words.
 */
export function liftToLayer(value: Tensor, op: VolumeLayerOp): Tensor {
  return value.shape.length === spatialRank(op) ? tensor([1, 1, ...value.shape], value.data) : value;
}

/** The call with its input (and weight) lifted by {@link liftToLayer}. */
export function liftedCall(call: VolumeLayerCall): VolumeLayerCall {
  const input = liftToLayer(call.input, call.op);
  if (!WEIGHTED_VOLUME_OPS.includes(call.op)) return { ...call, input };
  if (!call.weight) throw new LayerError('invalid-shape', `${call.op} needs a weight (a kernel of ${spatialRank(call.op) === 1 ? '[k]' : '[kD, kH, kW]'} or the full ${spatialRank(call.op) + 2}-D weight), got none`);
  return { ...call, input, weight: liftToLayer(call.weight, call.op) };
}
