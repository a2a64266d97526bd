/**
 * A 1-D or 3-D layer run from "Transposed Convolution" or "Inspect Layer" given `{ op, input,
 * weight, options, show }`: the layer is computed (in the engine worker when large), drawn in the
 * volume panel unless `show` is false, and its output returned as data, as the 2-D commands do.
 */
import type * as vscode from 'vscode';
import { liftedCall, volumeLayerShape } from '../../core/engine/volumeLayer';
import { readSettings } from '../common/settings';
import { checkOutputSize } from '../common/previewedInput';
import { reportingProblems } from '../common/problems';
import { toNumberArray } from '../common/result';
import { computeVolumeLayer } from '../worker/computeLayer';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { readVolumeArguments } from './volumeArguments';
import { literalMatrix, literalSource, readLiteralFor } from './volumeLiteral';
import type { Tensor } from '../../core/engine/tensor';
import { VolumePanel } from './volumePanel';

export interface VolumeLayerResult {
  readonly op: string;
  /** The input's shape as the layer read it (a sequence or volume gains its batch and channel axes). */
  readonly inputShape: number[];
  readonly shape: number[];
  readonly data: number[];
  /** Whether the panel was opened. */
  readonly panel: boolean;
  /** For an input read from a literal: how its axes were read (`read as [D, H, W] = 2×3×4: …`). */
  readonly reading?: string;
}

export interface VolumeCommandContext {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
}

/** `source`: what the panel says it shows (Inspect Layer names the call and its place); by default, the command's arguments. */
export function volumeLayerCommand(context: VolumeCommandContext, rawArguments: unknown, command: string, source = `${command} arguments`): Promise<VolumeLayerResult | undefined> {
  return reportingProblems(async () => {
    const { call: given, literal, show } = readVolumeArguments(rawArguments, command);
    let reading: string | undefined;
    let shownSource = source;
    let input = given.input;
    if (literal) {
      // A literal of a document: read for the op as PyTorch reads a tensor of its rank, and said so.
      const matrix = await literalMatrix(literal.literal, context.engine);
      const read = readLiteralFor(matrix, given.op, given.op);
      input = read.input;
      reading = read.description;
      shownSource = literalSource(matrix, read);
    }
    const call = liftedCall({ ...given, input: input as Tensor });
    // The shape first: it validates every parameter in the engine's words and bounds the work.
    checkOutputSize(volumeLayerShape(call).shape, readSettings(undefined).maxOutputElements);
    const output = await computeVolumeLayer(context.engine, call);
    if (show) VolumePanel.show(context.extensionUri, call, shownSource);
    return { op: call.op, inputShape: [...call.input.shape], shape: [...output.shape], data: toNumberArray(output.data), panel: show, ...(reading ? { reading } : {}) };
  });
}
