/**
 * Channels, batch and groups in the panel: which (image, output channel) plane the step player walks,
 * which input channels feed it, and the bipartite map of groups. Pure (no DOM), so the selectors'
 * logic is unit-tested. A plain matrix is the one-image, one-channel case of the same layout.
 *
 * The engine's trace runs image → output channel → input channel (of the group) → row → column
 * (`scatterOrder`), so the steps of one plane are one contiguous run, and within it each input
 * channel's steps are one contiguous run of `H·W`: the panel's player walks one plane, and each input
 * channel's block of steps adds that channel's contribution to the output channel.
 */
import { convTranspose2d, type CellContributions, type CellPosition, type ConvTransposeTrace, type ScatterStep, type Tensor } from '../../src/core/engine/index';
import type { MatrixView } from '../../src/core/protocol/common';
import type { TransposedChannelSelection, TransposedConvolutionLayer } from '../../src/core/protocol/transposed';

/** The channel structure of a layer the engine accepted. */
export interface ChannelLayout {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly inPerGroup: number;
  readonly outPerGroup: number;
  /** The operands were written with channel axes (a `[C, H, W]` or `[N, C, H, W]` input, or a 4-D weight). */
  readonly multiChannel: boolean;
}

/** Reads the layout from the operands' shapes; only meaningful once the engine accepted the layer. */
export function channelLayout(layer: TransposedConvolutionLayer): ChannelLayout {
  const inputLead = layer.input.lead ?? [];
  const kernelLead = layer.kernel.lead ?? [];
  const batch = inputLead.length === 2 ? (inputLead[0] as number) : 1;
  const inChannels = inputLead.length >= 1 ? (inputLead[inputLead.length - 1] as number) : 1;
  const groups = layer.params.groups ?? 1;
  const outPerGroup = kernelLead.length === 2 ? (kernelLead[1] as number) : 1;
  return {
    batch,
    inChannels,
    outChannels: outPerGroup * groups,
    groups,
    inPerGroup: Math.max(1, Math.floor(inChannels / groups)),
    outPerGroup,
    multiChannel: layer.input.lead !== undefined || layer.kernel.lead !== undefined,
  };
}

export const FIRST_PLANE: TransposedChannelSelection = { batch: 0, outChannel: 0 };

/** A saved or chosen selection, kept within the layout (a layer with fewer channels keeps what still exists). */
export function clampSelection(selection: TransposedChannelSelection | undefined, layout: ChannelLayout): TransposedChannelSelection {
  if (!selection) return FIRST_PLANE;
  const clamp = (v: number, n: number) => Math.min(Math.max(0, Math.floor(v)), Math.max(0, n - 1));
  return { batch: clamp(selection.batch, layout.batch), outChannel: clamp(selection.outChannel, layout.outChannels) };
}

export const groupOfOutChannel = (layout: ChannelLayout, outChannel: number): number => Math.floor(outChannel / layout.outPerGroup);
export const groupOfInChannel = (layout: ChannelLayout, inChannel: number): number => Math.floor(inChannel / layout.inPerGroup);

/** The input channels that feed `outChannel`: those of its group. */
export function inChannelsFeeding(layout: ChannelLayout, outChannel: number): number[] {
  const first = groupOfOutChannel(layout, outChannel) * layout.inPerGroup;
  return Array.from({ length: layout.inPerGroup }, (_, k) => first + k);
}

/** The output channels `inChannel` feeds. */
export function outChannelsFedBy(layout: ChannelLayout, inChannel: number): number[] {
  const first = groupOfInChannel(layout, inChannel) * layout.outPerGroup;
  return Array.from({ length: layout.outPerGroup }, (_, k) => first + k);
}

/** The weight slice `w[inChannel, j]` used from `inChannel` to `outChannel` (`j` = the output channel's place in its group). */
export const kernelSliceIndex = (layout: ChannelLayout, outChannel: number): number => outChannel % layout.outPerGroup;

export type GroupKind = 'standard' | 'grouped' | 'depthwise';

/** Standard (every input feeds every output), depthwise (one input channel per group), or grouped. */
export function groupKind(layout: ChannelLayout): GroupKind {
  if (layout.groups === 1) return 'standard';
  return layout.inPerGroup === 1 ? 'depthwise' : 'grouped';
}

/** In words, for the groups view's heading. */
export function describeGroups(layout: ChannelLayout): string {
  const { groups, inChannels, outChannels, inPerGroup, outPerGroup } = layout;
  const io = `${plural(inChannels, 'input channel')} → ${plural(outChannels, 'output channel')}`;
  switch (groupKind(layout)) {
    case 'standard':
      return `Standard (groups 1): ${io}, every input channel feeds every output channel (${inChannels * outChannels} kernel slices).`;
    case 'depthwise':
      return `Depthwise (groups ${groups} = input channels): ${io}, each input channel feeds only its own ${plural(outPerGroup, 'output channel')} (${inChannels * outPerGroup} kernel slices).`;
    case 'grouped':
      return `Grouped (groups ${groups}): ${io} in ${groups} groups of ${inPerGroup} in → ${outPerGroup} out; channels feed only their own group (${inChannels * outPerGroup} kernel slices).`;
  }
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Every (input channel, output channel) pair joined by a kernel slice: the edges of the groups diagram. */
export function groupEdges(layout: ChannelLayout): (readonly [number, number])[] {
  const edges: (readonly [number, number])[] = [];
  for (let ci = 0; ci < layout.inChannels; ci++) for (const co of outChannelsFedBy(layout, ci)) edges.push([ci, co]);
  return edges;
}

/** Where one plane's steps sit in the whole trace, and how they split into input channels. */
export interface PlaneSteps {
  /** Steps of the whole trace before this plane's first. */
  readonly offset: number;
  /** Steps of this plane: input channels of the group × H × W. */
  readonly count: number;
  /** Steps per input channel (`H·W` of the input). */
  readonly perInChannel: number;
  /** The first input channel of the plane's group. */
  readonly firstInChannel: number;
}

export function planeSteps(layout: ChannelLayout, selection: TransposedChannelSelection, inputRows: number, inputCols: number): PlaneSteps {
  const perInChannel = inputRows * inputCols;
  const count = layout.inPerGroup * perInChannel;
  const plane = selection.batch * layout.outChannels + selection.outChannel;
  return { offset: plane * count, count, perInChannel, firstInChannel: groupOfOutChannel(layout, selection.outChannel) * layout.inPerGroup };
}

/** The input channel the player is on after `step` steps of the plane (the first one at step 0). */
export function inChannelAtStep(steps: PlaneSteps, step: number): number {
  if (step <= 0 || steps.perInChannel === 0) return steps.firstInChannel;
  return steps.firstInChannel + Math.min(Math.floor((step - 1) / steps.perInChannel), Math.max(0, steps.count / steps.perInChannel - 1));
}

/** The player's step once `inChannel`'s contribution is all added (the end of its block). */
export function stepAfterInChannel(steps: PlaneSteps, inChannel: number): number {
  const k = Math.min(Math.max(0, inChannel - steps.firstInChannel), steps.count / Math.max(1, steps.perInChannel) - 1);
  return (k + 1) * steps.perInChannel;
}

/** Element offset of plane `index` of a stack of `rows × cols` matrices. */
const planeOffset = (index: number, rows: number, cols: number): number => index * rows * cols;

/** Matrix `[...index]` of a stack, as a view on its values (no copy). */
export function planeOf(matrix: MatrixView, index: readonly number[]): Float64Array {
  const lead = matrix.lead ?? [];
  let flat = 0;
  lead.forEach((size, axis) => (flat = flat * size + Math.min(index[axis] ?? 0, size - 1)));
  const start = planeOffset(flat, matrix.rows, matrix.cols);
  return matrix.data.subarray(start, start + matrix.rows * matrix.cols);
}

/** The input plane `x[batch, inChannel]` of a layer (the matrix itself for a plain matrix). */
export function inputPlaneIndex(layer: TransposedConvolutionLayer, batch: number, inChannel: number): number[] {
  const lead = layer.input.lead ?? [];
  return lead.length === 2 ? [batch, inChannel] : lead.length === 1 ? [inChannel] : [];
}

/** The weight slice `w[inChannel, j]` from `inChannel` to `outChannel` (the matrix itself for a plain kernel). */
export function kernelPlaneIndex(layer: TransposedConvolutionLayer, layout: ChannelLayout, inChannel: number, outChannel: number): number[] {
  return layer.kernel.lead ? [inChannel, kernelSliceIndex(layout, outChannel)] : [];
}

/**
 * One plane of a whole-layer trace as a trace of its own: steps numbered from 0 within the plane,
 * the output and partial sums of that plane only, and the products behind its cells. A layer of one
 * plane is its own trace, with no copying.
 */
export function planeTrace(full: ConvTransposeTrace, steps: PlaneSteps, selection: TransposedChannelSelection, outRows: number, outCols: number): ConvTransposeTrace {
  if (steps.offset === 0 && steps.count === full.stepCount) return full;
  const planeValues = outRows * outCols;
  const start = (steps.offset / steps.count) * planeValues;
  let scratch: Float64Array | undefined;
  const local = (step: ScatterStep): ScatterStep => ({ ...step, index: step.index - steps.offset });
  return {
    kind: full.kind,
    memory: full.memory,
    order: full.order,
    stepCount: steps.count,
    memoryBytes: full.memoryBytes,
    output: { shape: [outRows, outCols], data: full.output.data.subarray(start, start + planeValues) },
    step(index: number): ScatterStep {
      if (!Number.isSafeInteger(index) || index < 0 || index >= steps.count) throw new RangeError(`step ${index} is outside [0, ${steps.count - 1}]`);
      return local(full.step(steps.offset + index));
    },
    outputAfterSteps(count: number, into?: Float64Array): Tensor {
      scratch ??= new Float64Array(full.output.data.length);
      full.outputAfterSteps(steps.offset + Math.min(Math.max(0, count), steps.count), scratch);
      const data = into ?? new Float64Array(planeValues);
      data.set(scratch.subarray(start, start + planeValues));
      return { shape: [outRows, outCols], data };
    },
    contributionsTo(cell: CellPosition): CellContributions {
      const made = full.contributionsTo({ n: selection.batch, channel: selection.outChannel, row: cell.row, col: cell.col });
      return { ...made, contributions: made.contributions.map((c) => ({ ...c, step: c.step - steps.offset })) };
    },
  };
}

/** One input channel's part of an output channel: its own transposed convolution, and the sum so far. */
export interface ChannelContribution {
  readonly inChannel: number;
  /** `conv_transpose2d(x[n, c], w[c, j])`: what this input channel alone adds. */
  readonly alone: Float64Array;
  /** The output channel after this and every earlier input channel of the group, as the layer adds them. */
  readonly sumSoFar: Float64Array;
}

/**
 * The sum over input channels behind the selected output plane: each channel's contribution alone
 * (computed by the engine on that channel and its kernel slice) and the running total the layer
 * builds, read from the trace at the end of each channel's block, so the last total is the layer's
 * output to the bit.
 */
export function channelContributions(
  layer: TransposedConvolutionLayer,
  layout: ChannelLayout,
  trace: ConvTransposeTrace,
  steps: PlaneSteps,
  selection: TransposedChannelSelection,
): ChannelContribution[] {
  const options = {
    stride: [...layer.params.stride] as [number, number],
    padding: [...layer.params.padding] as [number, number],
    outputPadding: [...layer.params.outputPadding] as [number, number],
    dilation: [...layer.params.dilation] as [number, number],
  };
  return inChannelsFeeding(layout, selection.outChannel).map((inChannel) => {
    const x: Tensor = { shape: [layer.input.rows, layer.input.cols], data: planeOf(layer.input, inputPlaneIndex(layer, selection.batch, inChannel)) };
    const w: Tensor = { shape: [layer.kernel.rows, layer.kernel.cols], data: planeOf(layer.kernel, kernelPlaneIndex(layer, layout, inChannel, selection.outChannel)) };
    return { inChannel, alone: convTranspose2d(x, w, options).data, sumSoFar: trace.outputAfterSteps(stepAfterInChannel(steps, inChannel)).data };
  });
}

/** The kernel an output channel applies to an all-ones input: its slices from the group's input channels, summed. */
export function effectiveKernel(layer: TransposedConvolutionLayer, layout: ChannelLayout, outChannel: number): Float64Array {
  const sum = new Float64Array(layer.kernel.rows * layer.kernel.cols);
  for (const inChannel of inChannelsFeeding(layout, outChannel)) {
    const slice = planeOf(layer.kernel, kernelPlaneIndex(layer, layout, inChannel, outChannel));
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (slice[i] as number);
  }
  return sum;
}

/** The label of a plane, `image 0, output channel 1`, and of a layer's shapes, `[1, 2, 3, 3]`. */
export const planeLabel = (layout: ChannelLayout, selection: TransposedChannelSelection): string =>
  `${layout.batch > 1 ? `image ${selection.batch}, ` : ''}output channel ${selection.outChannel}`;

/** A plane's index as written after a tensor's name: `[0, 1]`. */
export const indexText = (index: readonly number[]): string => `[${index.join(', ')}]`;
