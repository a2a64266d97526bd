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
import { VolumePanel } from './volumePanel';

export interface VolumeLayerResult {
  readonly op: string;
  /** The input's shape as the layer read it (a sequence or volume gains its batch and channel axes). */
  readonly inputShape: number[];
  readonly shape: number[];
  readonly data: number[];
  /** Whether the panel was opened. */
  readonly panel: boolean;
}

export interface VolumeCommandContext {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
}

/** `source`: what the panel says it shows (Inspect Layer names the call and its place); by default, the command's arguments. */
export function volumeLayerCommand(context: VolumeCommandContext, rawArguments: unknown, command: string, source = `${command} arguments`): Promise<VolumeLayerResult | undefined> {
  return reportingProblems(async () => {
    const { call: given, show } = readVolumeArguments(rawArguments, command);
    const call = liftedCall(given);
    // The shape first: it validates every parameter in the engine's words and bounds the work.
    checkOutputSize(volumeLayerShape(call).shape, readSettings(undefined).maxOutputElements);
    const output = await computeVolumeLayer(context.engine, call);
    if (show) VolumePanel.show(context.extensionUri, call, source);
    return { op: call.op, inputShape: [...call.input.shape], shape: [...output.shape], data: toNumberArray(output.data), panel: show };
  });
}
