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
import { traceAvgPool1d, traceAvgPool3d, traceConv1d, traceConv3d, traceMaxPool1d, traceMaxPool3d, type AvgPoolTrace, type ConvTrace, type MaxPoolTrace } from './gatherTrace';
import { traceUpsample1d, traceUpsample3d, type UpsampleTrace, type VolumeUpsampleTrace } from './resampleTrace';
import { spatialRank, WEIGHTED_VOLUME_OPS, type VolumeLayerCall, type VolumeLayerOp } from '../protocol/volume';

/** The call's weight, for the ops that take one (the protocol's guard lets no call through without it). */
type Weight = () => Tensor;

/** Each op's layer and, for the gathering ones, its step trace (the transposed convolutions scatter: traceConvTranspose1d/3d). */
const VOLUME_OPS: { readonly [Op in VolumeLayerOp]: { run(input: Tensor, weight: Weight, options: never): Tensor; trace?(input: Tensor, weight: Weight, options: never): VolumeGatherTrace } } = {
  convTranspose1d: { run: (x, w, o) => convTranspose1d(x, w(), o) },
  convTranspose3d: { run: (x, w, o) => convTranspose3d(x, w(), o) },
  conv1d: { run: (x, w, o) => conv1d(x, w(), o), trace: (x, w, o) => traceConv1d(x, w(), o) },
  conv3d: { run: (x, w, o) => conv3d(x, w(), o), trace: (x, w, o) => traceConv3d(x, w(), o) },
  maxPool1d: { run: (x, _, o) => maxPool1d(x, o), trace: (x, _, o) => traceMaxPool1d(x, o) },
  maxPool3d: { run: (x, _, o) => maxPool3d(x, o), trace: (x, _, o) => traceMaxPool3d(x, o) },
  avgPool1d: { run: (x, _, o) => avgPool1d(x, o), trace: (x, _, o) => traceAvgPool1d(x, o) },
  avgPool3d: { run: (x, _, o) => avgPool3d(x, o), trace: (x, _, o) => traceAvgPool3d(x, o) },
  upsample1d: { run: (x, _, o) => upsample1d(x, o), trace: (x, _, o) => traceUpsample1d(x, o) },
  upsample3d: { run: (x, _, o) => upsample3d(x, o), trace: (x, _, o) => traceUpsample3d(x, o) },
};

/** The layer's output, PyTorch-exact; throws the engine's {@link LayerError}s in its words. */
export function runVolumeLayer(call: VolumeLayerCall): Tensor {
  return VOLUME_OPS[call.op].run(call.input, () => needWeight(call, call.weight), call.options as never);
}

/** A 1-D or 3-D gathering layer's step trace: one output cell per step. */
export type VolumeGatherTrace = ConvTrace | MaxPoolTrace | AvgPoolTrace | UpsampleTrace | VolumeUpsampleTrace;

/**
 * The step trace of a gathering layer (convolution, pooling, upsampling), or `undefined` for a
 * transposed convolution, which scatters (traceConvTranspose1d/3d). Validates as the layer does.
 */
export function traceVolumeGather(call: VolumeLayerCall): VolumeGatherTrace | undefined {
  return VOLUME_OPS[call.op].trace?.(call.input, () => needWeight(call, call.weight), call.options as never);
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
