/**
 * A tensor literal read from a document (or typed) as the input of a 1-D or 3-D layer, the way
 * PyTorch reads a tensor of that rank for that layer: `[C, L]` and `[N, C, L]` for a sequence layer,
 * `[C, D, H, W]` for a volume layer. The one reading PyTorch does not make is Layer Lens's own
 * convention for a literal of exactly the layer's spatial rank (a vector `[L]`, a volume `[D, H, W]`):
 * one image of one channel, as `x[None, None]` would give. Every reading is stated in words (which
 * axis is the channel, which the depth the panel's slider walks), because `[2, 3, 4]` is a batch of
 * sequences to `nn.Conv1d` and a volume to `nn.Conv3d`. What PyTorch refuses is refused in its words.
 */
import { tensor, type Tensor } from '../engine/tensor';
import { spatialRank, type VolumeLayerOp } from '../protocol/volume';

export interface VolumeInputReading {
  /** The input as the layer runs it, batched: `[N, C, L]` or `[N, C, D, H, W]`. */
  readonly input: Tensor;
  /** What each of the literal's own axes was read as, in order: `['C', 'L']`, `['D', 'H', 'W']`. */
  readonly axes: readonly string[];
  /** The reading in words, to show beside the panel and in the command's result. */
  readonly description: string;
}

export type VolumeInputResult = { readonly ok: true; readonly value: VolumeInputReading } | { readonly ok: false; readonly problem: string };

/** PyTorch's functional name of each op, as its messages spell it. */
const TORCH_NAME: Readonly<Record<VolumeLayerOp, string>> = {
  convTranspose1d: 'conv_transpose1d',
  convTranspose3d: 'conv_transpose3d',
  conv1d: 'conv1d',
  conv3d: 'conv3d',
  maxPool1d: 'max_pool1d',
  maxPool3d: 'max_pool3d',
  avgPool1d: 'avg_pool1d',
  avgPool3d: 'avg_pool3d',
  upsample1d: 'interpolate',
  upsample3d: 'interpolate',
};

const isUpsample = (op: VolumeLayerOp): boolean => op === 'upsample1d' || op === 'upsample3d';

/**
 * Reads `literal` as the input of `op`; `layer` names the layer in the words (`nn.Conv3d`, or the
 * op). A literal of the wrong rank is refused with the ranks the layer takes.
 */
export function readVolumeInput(literal: Tensor, op: VolumeLayerOp, layer: string = op, layout: 'channels-first' | 'channels-last' = 'channels-first'): VolumeInputResult {
  if (layout === 'channels-last') return readChannelsLast(literal, op, layer);
  const rank = spatialRank(op);
  const k = literal.shape.length;
  const shape = literal.shape;
  const size = shape.join('×');
  const refuse = (why: string): VolumeInputResult => ({ ok: false, problem: `${layer} cannot read the ${size} literal: ${why}` });
  const read = (axes: readonly string[], batched: readonly number[], description: string): VolumeInputResult => ({
    ok: true,
    value: { input: tensor(batched, literal.data), axes, description: `read as [${axes.join(', ')}] = ${size}: ${description}` },
  });
  // Upsampling takes only batched inputs in PyTorch (F.interpolate counts the spatial axes from the rank).
  const takes =
    rank === 1
      ? isUpsample(op)
        ? 'a sequence [L] (one channel) or [N, C, L]'
        : 'a sequence [L] (one channel), [C, L] or [N, C, L]'
      : isUpsample(op)
        ? 'a volume [D, H, W] (one channel) or [N, C, D, H, W]'
        : 'a volume [D, H, W] (one channel), [C, D, H, W] or [N, C, D, H, W]';
  if (k === rank) {
    const pytorch = `PyTorch's ${TORCH_NAME[op]} itself needs it as x[None, None]`;
    if (rank === 1) return read(['L'], [1, 1, ...shape], `one sequence of ${count(shape[0], 'sample')}, one channel (run as [1, 1, ${shape[0]}]; ${pytorch})`);
    const [d, h, w] = shape as readonly [number, number, number];
    return read(['D', 'H', 'W'], [1, 1, ...shape], `one volume of one channel, depth ${d} (the first axis, walked by the depth slider), height ${h}, width ${w} (run as [1, 1, ${size.replace(/×/g, ', ')}]; ${pytorch})`);
  }
  if (k === rank + 1) {
    if (isUpsample(op)) {
      return refuse(
        `F.interpolate takes a batch: PyTorch reads a ${k}-D tensor as ${k === 2 ? '[N, C] with no spatial axis' : '[N, C, H, W], a 2-D image'}, and ${rank === 1 ? "'linear' needs 3-D input" : "'trilinear' needs 5-D input"}. Write it as [${rank === 1 ? 'N, C, L' : 'N, C, D, H, W'}] (one more pair of brackets around it) or give ${takes}.`,
      );
    }
    const [c, ...spatial] = shape as readonly number[];
    const where = rank === 1 ? `of ${count(spatial[0] as number, 'sample')}` : `each a volume of depth ${spatial[0]} (walked by the depth slider), height ${spatial[1]}, width ${spatial[2]}`;
    return read(
      rank === 1 ? ['C', 'L'] : ['C', 'D', 'H', 'W'],
      [1, ...shape],
      `${count(c as number, 'channel')}${rank === 1 ? ' ' : ', '}${where}, unbatched, as PyTorch's ${TORCH_NAME[op]} reads a ${k}-D input (run as [1, ${shape.join(', ')}])`,
    );
  }
  if (k === rank + 2) {
    const [n, c, ...spatial] = shape as readonly number[];
    const where = rank === 1 ? `of ${count(spatial[0] as number, 'sample')} each` : `each a volume of depth ${spatial[0]} (walked by the depth slider), height ${spatial[1]}, width ${spatial[2]}`;
    return read(rank === 1 ? ['N', 'C', 'L'] : ['N', 'C', 'D', 'H', 'W'], shape, `a batch of ${n} with ${count(c as number, 'channel')}${rank === 1 ? ' ' : ', '}${where}, as PyTorch's ${TORCH_NAME[op]} reads a ${k}-D input`);
  }
  const what = k === 1 ? 'a vector' : k === 2 ? 'a matrix' : `a ${k}-D tensor`;
  return refuse(`it is ${what}, and a ${rank}-D layer takes ${takes}${rank === 3 && k < 3 ? ' (write the volume as nested lists three deep)' : ''}.`);
}

/**
 * Keras' reading: its layers take a batch, channels last (`[N, L, C]`, `[N, D, H, W, C]`); the
 * channel axis is moved to PyTorch's place for the engine. A literal of the spatial rank is one
 * image of one channel, as for PyTorch's layers.
 */
function readChannelsLast(literal: Tensor, op: VolumeLayerOp, layer: string): VolumeInputResult {
  const rank = spatialRank(op);
  const k = literal.shape.length;
  if (k === rank) return readVolumeInput(literal, op, layer);
  const size = literal.shape.join('×');
  const names = rank === 1 ? ['N', 'L', 'C'] : ['N', 'D', 'H', 'W', 'C'];
  if (k !== rank + 2) {
    return { ok: false, problem: `${layer} cannot read the ${size} literal: Keras layers take a batch, channels last ([${names.join(', ')}]; ${k === rank + 1 ? `Keras: expected min_ndim=${rank + 2}, found ndim=${k}` : `or ${rank === 1 ? 'a sequence [L]' : 'a volume [D, H, W]'} of one channel`}).` };
  }
  const [n, ...rest] = literal.shape as readonly number[];
  const c = rest[rest.length - 1] as number;
  const spatial = rest.slice(0, -1);
  const plane = spatial.reduce((a, b) => a * b, 1);
  const data = new Float64Array(literal.data.length);
  // [N, …spatial, C] → [N, C, …spatial].
  for (let b = 0; b < (n as number); b++) for (let p = 0; p < plane; p++) for (let ch = 0; ch < c; ch++) data[(b * c + ch) * plane + p] = literal.data[(b * plane + p) * c + ch] as number;
  const where = rank === 1 ? `of ${count(spatial[0], 'sample')} each` : `each a volume of depth ${spatial[0]} (walked by the depth slider), height ${spatial[1]}, width ${spatial[2]}`;
  return {
    ok: true,
    value: {
      input: tensor([n as number, c, ...spatial], data),
      axes: names,
      description: `read as [${names.join(', ')}] = ${size}, channels last as Keras reads it: a batch of ${n} with ${count(c, 'channel')}${rank === 1 ? ' ' : ', '}${where} (run channels first as [${[n, c, ...spatial].join(', ')}])`,
    },
  };
}

const count = (n: number | undefined, unit: string): string => `${n ?? 0} ${n === 1 ? unit : `${unit}s`}`;

/**
 * A weight of ones for `op` on `channels` input channels in `groups` groups, one output channel per
 * group (`[C_in, 1, …kernel]` for a transposed convolution, `[groups, C_in/groups, …kernel]` for a
 * convolution), or PyTorch's refusal when the channels do not split into the groups.
 */
export function onesWeightFor(op: 'convTranspose1d' | 'convTranspose3d' | 'conv1d' | 'conv3d', channels: number, groups: number, kernel: readonly number[]): { ok: true; value: Tensor } | { ok: false; problem: string } {
  if (channels % groups !== 0) return { ok: false, problem: `the input's ${count(channels, 'channel')} do not split into groups=${groups} (PyTorch: in_channels must be divisible by groups)` };
  const shape = op.startsWith('convTranspose') ? [channels, 1, ...kernel] : [groups, channels / groups, ...kernel];
  return { ok: true, value: tensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(1)) };
}

/** A 1-D or 3-D layer call of the code run on a literal: the volume command's `{ op, input, weight?, options }` and how the literal was read. */
export interface LayerOnLiteral {
  readonly call: { readonly op: VolumeLayerOp; readonly input: Tensor; readonly weight?: Tensor; readonly options: Readonly<Record<string, unknown>> };
  readonly reading: VolumeInputReading;
}

/**
 * The layer `example` (built by volumeExample or volumeGatherExample from the call's arguments) with
 * the literal as its input, read for that layer ({@link readVolumeInput}); a weighted layer gets a
 * weight of ones for the literal's channels, one output channel per group (`groups`, the call's).
 */
export function layerOnLiteral(
  example: { readonly op: VolumeLayerOp; readonly weight?: { readonly shape: readonly number[] }; readonly options: Readonly<Record<string, unknown>> },
  literal: Tensor,
  layer: string,
  layout: 'channels-first' | 'channels-last',
  groups: number,
): { ok: true; value: LayerOnLiteral } | { ok: false; problem: string } {
  const reading = readVolumeInput(literal, example.op, layer, layout);
  if (!reading.ok) return reading;
  const { op } = example;
  const options = { ...example.options };
  delete options.groups;
  if (op !== 'convTranspose1d' && op !== 'convTranspose3d' && op !== 'conv1d' && op !== 'conv3d') return { ok: true, value: { call: { op, input: reading.value.input, options }, reading: reading.value } };
  const rank = spatialRank(op);
  const kernel = (example.weight?.shape ?? []).slice(-rank);
  if (kernel.length !== rank) return { ok: false, problem: `${layer}'s kernel size is not known` };
  const channels = reading.value.input.shape[1] as number;
  const weight = onesWeightFor(op, channels, groups, kernel);
  if (!weight.ok) return { ok: false, problem: `${layer} cannot run on the literal ${reading.value.description.replace(/:.*/, '')}: ${weight.problem}` };
  return { ok: true, value: { call: { op, input: reading.value.input, weight: weight.value, options: groups > 1 ? { ...options, groups } : options }, reading: reading.value } };
}
