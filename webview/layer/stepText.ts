/**
 * The layer panel's words for a step: cells named in the caller's rank (`[r, c]` for a matrix,
 * `[ch, r, c]` for an image, `[n, ch, r, c]` for a batch, so they match the literal in the user's
 * code), weights as `w[o, i, kh, kw]` (or `w[kh, kw]`), and each layer's heading. The wording
 * itself is shared with the volume panel (webview/shared/gatherStepText.ts).
 */
import type { CellPosition, GatherLayerCall } from '../../src/core/engine/index';
import { describeGatherStep, type GatherStep, type StepNames, type StepText } from '../shared/gatherStepText';

export type { GatherStep, StepText } from '../shared/gatherStepText';

/** `[1, 2]`, `[0, 1, 2]` or `[0, 0, 1, 2]` for a tensor of rank `rank`. */
export function cellName(cell: CellPosition, rank: number): string {
  const all = [cell.n, cell.channel, cell.row, cell.col];
  return `[${all.slice(Math.max(0, 4 - rank)).join(', ')}]`;
}

/** How the layer panel writes the positions of `call`. */
export function layerStepNames(call: GatherLayerCall): StepNames {
  const inRank = call.input.shape.length;
  const weightShape = call.op === 'conv2d' ? call.weight.shape : [];
  // w[o, i, kh, kw] with i the input channel within its group; a [kH, kW] kernel has no channel axes.
  const inPerGroup = weightShape.length === 4 ? (weightShape[1] as number) : 1;
  return {
    // Every layer here keeps the caller's rank; pixel shuffle needs channels, so its output has them too.
    cell: (cell) => cellName(cell, inRank),
    spatial: (place) => `[${place.row}, ${place.col}]`,
    weight: (outChannel, channel, tap) => (weightShape.length === 4 ? `w[${outChannel}, ${channel % inPerGroup}, ${tap.row}, ${tap.col}]` : `w[${tap.row}, ${tap.col}]`),
    ...(call.op === 'pixelShuffle' ? { upscaleFactor: call.options.upscaleFactor } : {}),
  };
}

export function describeStep(call: GatherLayerCall, step: GatherStep): StepText {
  return describeGatherStep(step, layerStepNames(call));
}

/** What the step section's heading says each layer does. */
export const STEP_HEADINGS: Readonly<Record<GatherLayerCall['op'], string>> = {
  conv2d: 'Step by step: each output cell is its window of the input times the kernel, summed',
  maxPool2d: 'Step by step: each output cell is the largest value of its window',
  avgPool2d: 'Step by step: each output cell is the mean of its window',
  upsample: 'Step by step: each output cell reads the input near where it falls',
  pixelShuffle: 'Step by step: each output cell takes one value from one input channel',
};
