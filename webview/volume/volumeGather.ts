/**
 * A 1-D or 3-D gathering layer (Conv1d/3d, MaxPool and AvgPool 1d/3d, Upsample in 1-D and 3-D) as
 * the shared step player draws it (webview/shared/gatherSteps.ts): a sequence as strips of one
 * row, a volume as its slices side by side, so the window a step reads shows across every slice it
 * spans. Cells are named by their spatial indices (`[l]`, `[d, h, w]`), with the image and channel
 * in front only when the layer has more than one; pure, so the names are tested without a browser.
 */
import type { VolumeGatherTrace } from '../../src/core/engine/volumeLayer';
import type { CellPosition, KernelTap } from '../../src/core/engine/index';
import { spatialRank, type VolumeLayerCall, type VolumeLayerOp } from '../../src/core/protocol/volume';
import type { Dims5, GatherSubject } from '../shared/gatherSteps';
import { describeGatherStep, type StepNames } from '../shared/gatherStepText';
import { volumeAxes } from './volumeLayout';

type GatherOp = Exclude<VolumeLayerOp, 'convTranspose1d' | 'convTranspose3d'>;

/** Whether `call` gathers (every 1-D and 3-D layer but the transposed convolutions, which scatter). */
export function isGatherCall(call: VolumeLayerCall): call is VolumeLayerCall & { readonly op: GatherOp } {
  return call.op !== 'convTranspose1d' && call.op !== 'convTranspose3d';
}

/** What the step section's heading says each layer does. */
export const VOLUME_STEP_HEADINGS: Readonly<Record<GatherOp, string>> = {
  conv1d: 'Step by step: each output value is its window of the sequence times the kernel, summed',
  conv3d: 'Step by step: each output cell is its window of the volume, across its slices, times the kernel, summed',
  maxPool1d: 'Step by step: each output value is the largest value of its window',
  maxPool3d: 'Step by step: each output cell is the largest value of its window, across its slices',
  avgPool1d: 'Step by step: each output value is the mean of its window',
  avgPool3d: 'Step by step: each output cell is the mean of its window, across its slices',
  upsample1d: 'Step by step: each output value reads the sequence near where it falls',
  upsample3d: 'Step by step: each output cell reads the volume near where it falls',
};

/** `shape` as `[N, C, D, H, W]` for a layer of `rank` spatial axes (a sequence's D and H are 1). */
export function dims5(shape: readonly number[], rank: 1 | 3): Dims5 {
  const a = volumeAxes(shape, rank);
  return [a.batch, a.channels, a.depth, a.height, a.width];
}

/** The image and channel indices that lead a cell's name: only where the layer has several images or channels. */
function leadIndices(call: VolumeLayerCall, outputShape: readonly number[]): (n: number, channel: number) => number[] {
  const rank = spatialRank(call.op);
  const input = volumeAxes(call.input.shape, rank);
  const withN = input.batch > 1;
  const withC = withN || input.channels > 1 || volumeAxes(outputShape, rank).channels > 1;
  return (n, channel) => [...(withN ? [n] : []), ...(withC ? [channel] : [])];
}

/** How the volume panel writes a layer's positions: spatial indices (`[l]`, `[d, h, w]`), led by the image and channel where there are several. */
export function volumeStepNames(call: VolumeLayerCall, outputShape: readonly number[]): StepNames {
  const rank = spatialRank(call.op);
  const lead = leadIndices(call, outputShape);
  const spatial = (place: { readonly depth?: number; readonly row: number; readonly col: number }) => (rank === 1 ? [place.col] : [place.depth ?? 0, place.row, place.col]);
  const weight = call.weight && volumeAxes(call.weight.shape, rank);
  // The weight is [C_out, C_in/groups, …]: its leading axes read as volumeAxes' batch and channels.
  const kernelLead = weight !== undefined && (weight.batch > 1 || weight.channels > 1);
  const perGroup = weight?.channels ?? 1;
  return {
    cell: (cell: CellPosition) => `[${[...lead(cell.n, cell.channel), ...spatial(cell)].join(', ')}]`,
    spatial: (place) => `[${spatial(place).join(', ')}]`,
    weight: (outChannel: number, channel: number, tap: KernelTap) => `w[${[...(kernelLead ? [outChannel, channel % perGroup] : []), ...spatial(tap)].join(', ')}]`,
    sequence: rank === 1,
  };
}

/** The layer for the shared step player; `trace` is its gather trace (traceVolumeGather). */
export function volumeGatherSubject(call: VolumeLayerCall & { readonly op: GatherOp }, trace: VolumeGatherTrace): GatherSubject {
  const rank = spatialRank(call.op);
  const inputDims = dims5(call.input.shape, rank);
  const outputDims = dims5(trace.output.shape, rank);
  const names = volumeStepNames(call, trace.output.shape);
  const lead = leadIndices(call, trace.output.shape);
  const named = (name: string, n: number, channel: number) => {
    const indices = lead(n, channel);
    return indices.length > 0 ? ` ${name}[${indices.join(', ')}]` : '';
  };
  const titled = (label: string, name: string) => (n: number, channel: number, depth: number) => `${label}${named(name, n, channel)}${rank === 3 ? ` slice ${depth}` : ''}`;
  return {
    heading: VOLUME_STEP_HEADINGS[call.op],
    trace,
    input: call.input,
    inputDims,
    outputDims,
    inputTitle: titled('Input', 'x'),
    outputTitle: titled('Output', 'out'),
    outputCell: (depth, row, col) => `output ${names.spatial({ depth, row, col })}`,
    planeWord: rank === 3 ? (inputDims[1] > 1 ? 'channel slices' : 'slices') : 'channels',
    planesOfStepOnly: rank === 3,
    ...(call.weight ? { kernel: kernelPlanes(call.weight.data, dims5(call.weight.shape, rank), rank) } : {}),
    describe: (step) => describeGatherStep(step, names),
  };
}

/** A weight `[C_out, C_in/groups, (kD,) (kH,) kW]` as planes of `kH × kW`; output channel `o` uses its `C_in/groups · kD` planes. */
function kernelPlanes(data: Float64Array, [outChannels, perGroup, kD, kH, kW]: Dims5, rank: 1 | 3): NonNullable<GatherSubject['kernel']> {
  const lead = outChannels > 1 || perGroup > 1;
  return {
    data,
    planes: [outChannels * perGroup * kD, kH, kW],
    planesOf: (o) => Array.from({ length: perGroup * kD }, (_, i) => o * perGroup * kD + i),
    title: (plane) => {
      const pair = Math.floor(plane / kD);
      const name = lead ? ` w[${Math.floor(pair / perGroup)}, ${pair % perGroup}]` : '';
      return `Kernel${name}${rank === 3 ? ` slice ${plane % kD}` : ''}`;
    },
  };
}
