/**
 * Which layer calls Inspect Layer, its CodeLens and the hover's link open in the volume panel's
 * gather player: 1-D and 3-D convolutions, pools and upsampling (issue 22), with the example they
 * run on. Transposed convolutions are not among them (they scatter, and have their own example);
 * 2-D layers open the layer panel. `nn.Upsample` in `'nearest'` mode takes its input's rank, so it
 * is a sequence's or a volume's upsampling when the code before it says it gets one.
 */
import { LayerError } from '../engine/errors';
import { tensor } from '../engine/tensor';
import { liftedCall, volumeLayerShape } from '../engine/volumeLayer';
import type { LayerCall } from '../parse/index';
import { volumeGatherExample, type VolumeGatherExample } from './gatherExample';
import { exampleSize } from './inputSize';
import type { LayerInsight } from './layerInsight';
import { forRank, isTransposed, rankFollowsInput, rankOf, type SpatialRank } from './layerSize';
import type { SpatialSize } from '../parse/layerSignatures';

/**
 * The call in the volume panel's terms (`nn.Upsample(mode='nearest')` after a 3-D layer as
 * `upsample3d`), or `undefined` for a call the volume gather player does not draw.
 */
export function volumeGatherCall(insight: Pick<LayerInsight, 'call' | 'input'>): LayerCall | undefined {
  const { call, input } = insight;
  if (isTransposed(call)) return undefined;
  const rank = (rankFollowsInput(call.op) ? input.size.length : rankOf(call.op)) as SpatialRank;
  if (rank === 2) return undefined;
  if (!rankFollowsInput(call.op)) return call;
  // The parser reads a nearest upsampling's int as 2-D (`[n, n]`): one value on every axis of this input again.
  const params = { ...call.params };
  for (const key of ['scaleFactor', 'size'] as const) {
    const param = params[key];
    if (param?.kind === 'known' && param.value !== null) params[key] = { ...param, value: forRank(param.value, rank) as SpatialSize };
  }
  return { ...call, op: rank === 1 ? 'upsample1d' : 'upsample3d', params };
}

/**
 * The example the volume panel runs the call on (an example input of the size the code gives, cut
 * down to one the panel draws), why it cannot run one, or `undefined` for a call that is not a 1-D
 * or 3-D gathering layer.
 */
export function volumeGatherInspection(insight: Pick<LayerInsight, 'call' | 'input'>): VolumeGatherExample | string | undefined {
  const call = volumeGatherCall(insight);
  return call && volumeGatherExample(call, exampleSize(insight.input));
}

/**
 * The sides of the example (`[L]`, `[D, H, W]`) a 1-D or 3-D gathering call runs on, when the
 * engine runs it (PyTorch would): what the CodeLens and the hover's link open. A call whose example
 * cannot run (an expression argument, a kernel larger than the padded example) gets neither: its
 * hover says why. Building an example fills its input (up to 16³ values per group), so the answer
 * is remembered per call and input size: the summary reads every call again after each edit.
 */
export function runnableGatherSides(insight: Pick<LayerInsight, 'call' | 'input'>): readonly number[] | undefined {
  const call = volumeGatherCall(insight);
  if (!call) return undefined;
  const size = exampleSize(insight.input);
  const key = JSON.stringify([call.op, call.framework, Object.entries(call.params).map(([name, p]) => [name, p?.kind === 'known' ? p.value : p?.text]), size]);
  if (remembered.has(key)) return remembered.get(key);
  const sides = runSides(volumeGatherExample(call, size));
  if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value as string);
  remembered.set(key, sides);
  return sides;
}

/** How many calls' answers {@link runnableGatherSides} keeps (a Map in insertion order: the oldest goes first). */
const REMEMBERED = 1024;
const remembered = new Map<string, readonly number[] | undefined>();

function runSides(example: VolumeGatherExample | string): readonly number[] | undefined {
  if (typeof example === 'string') return undefined;
  const { op, input, weight, options } = example;
  try {
    volumeLayerShape(liftedCall({ op, input: tensor(input.shape, input.data), ...(weight ? { weight: tensor(weight.shape, weight.data) } : {}), options }));
    return exampleSides(example);
  } catch (error) {
    if (error instanceof LayerError) return undefined;
    throw error;
  }
}

/** The spatial sides of an example's input (`[L]` or `[D, H, W]`, without the batch and channels of a grouped one). */
export function exampleSides(example: VolumeGatherExample): number[] {
  const rank = example.op.endsWith('3d') ? 3 : 1;
  return example.input.shape.slice(-rank);
}

/** `an example sequence 16 long`, `an example 8×8×8 volume`: what an example of these sides is, for a tooltip. */
export function exampleText(sides: readonly number[]): string {
  return sides.length === 1 ? `an example sequence ${sides[0]} long` : `an example ${sides.join('×')} volume`;
}
