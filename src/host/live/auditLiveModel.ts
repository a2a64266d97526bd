/**
 * "Layer Lens: Audit Live Model (Debug Session)": the checkerboard audit of the checkpoint editor
 * run on the weights of a module of the paused session (`netG`, `self`). Reads, with one progress
 * notification and its Cancel: the module's upsampling layers and their hyperparameters (the model
 * snippet, no values), then each one's weight and bias as bytes. The weights become a checkpoint
 * whose layers carry the module's own strides, the same audit runs on it, and the checkpoint
 * editor's page shows it in a panel, where a click opens a layer's trained kernel in the
 * transposed-convolution panel. Returns the audit (`{ module, type, layers, … }`).
 */
import * as vscode from 'vscode';
import { auditCheckpoint, type CheckpointAudit } from '../../core/checkpoint/audit';
import { CheckpointError, type CheckpointTensor } from '../../core/checkpoint/types';
import { renderExpression } from '../../core/live/expression';
import { liveCheckpoint, planLiveAudit, readModelListing, type ModelListing } from '../../core/live/liveModel';
import { modelSnippet, reference } from '../../core/live/snippets';
import { UserFacingError } from '../common/arguments';
import { reportingProblems } from '../common/problems';
import { readSettings } from '../common/settings';
import { CheckpointDocument } from '../checkpoint/checkpointDocument';
import { CheckpointView, type CheckpointServices } from '../checkpoint/checkpointEditor';
import { openedView } from '../checkpoint/auditCheckpointCommand';
import { fetchArray } from './fetchArray';
import { readAuditLiveModelArguments } from './liveArguments';
import { evaluateJson, pausedFrame } from './pausedFrame';

/** What the command returns. */
export type LiveModelAudit = CheckpointAudit & {
  /** The module as read (`self`) and its class (`__main__.Generator`). */
  readonly module: string;
  readonly type: string;
  /** How many values were read from the session. */
  readonly values: number;
  /** Upsampling layers no checked expression reaches, and why. */
  readonly skipped: readonly string[];
  /** With `show`: whether the view's page loaded (within 10 s). */
  readonly pageReady?: boolean;
};

/** The URI scheme naming a live model's audit (no file: its last segment is the panel's title). */
const LIVE_SCHEME = 'layer-lens-live';

export function auditLiveModelCommand(services: CheckpointServices, raw: unknown): Promise<LiveModelAudit | undefined> {
  return reportingProblems(async () => {
    const args = await readAuditLiveModelArguments(raw);
    if (!args) return undefined;
    const frame = await pausedFrame(args.choice.frameId);
    const label = renderExpression(args.module);
    const limit = readSettings().maxOutputElements;
    const started = performance.now();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Layer Lens: auditing ${label} (live)`, cancellable: true }, async (progress, token) => {
      let listing: ModelListing;
      try {
        listing = readModelListing(await evaluateJson(frame, modelSnippet(args.module), `the layers of ${label}`, token));
      } catch (error) {
        if (error instanceof UserFacingError || error instanceof vscode.CancellationError) throw error;
        throw new UserFacingError(`the debug session's answer about ${label} cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
      }
      const reading = planLiveAudit(listing, args.module, label, limit);
      if (!reading.ok) throw new UserFacingError(`${reading.problem}.`);
      const { plan } = reading;
      const tensors = new Map<string, CheckpointTensor>();
      let read = 0;
      for (const tensor of plan.reads) {
        const tensorLabel = renderExpression(tensor.expression);
        progress.report({ message: `${tensorLabel} (${read.toLocaleString('en-US')} of ${plan.values.toLocaleString('en-US')} values)`, increment: 0 });
        const fetched = await fetchArray(frame, { source: reference(tensor.expression), label: tensorLabel, limit, quiet: true }, token);
        if (fetched.header.shape.join() !== tensor.shape.join()) throw new UserFacingError(`${tensorLabel} changed shape while Layer Lens read it ([${tensor.shape.join(', ')}] → [${fetched.header.shape.join(', ')}]).`);
        tensors.set(tensor.name, { shape: [...fetched.header.shape], data: fetched.values });
        const count = fetched.values.length;
        read += count;
        progress.report({ increment: plan.values > 0 ? (count / plan.values) * 100 : 0 });
      }
      if (token.isCancellationRequested) return undefined;
      const checkpoint = liveCheckpoint(plan, tensors);
      let audit: CheckpointAudit;
      try {
        audit = auditCheckpoint(checkpoint);
      } catch (error) {
        if (error instanceof CheckpointError) throw new UserFacingError(`${label}: ${error.message}`);
        throw error;
      }
      const result = { ...audit, module: label, type: plan.type, values: plan.values, skipped: [...plan.skipped] };
      if (!args.choice.show) return result;
      const title = `${label} (live${frame.place ? `, paused at ${frame.place}` : ''})`;
      const uri = vscode.Uri.from({ scheme: LIVE_SCHEME, path: `/${title.replaceAll('/', '∕')}` });
      CheckpointView.showInPanel(services, CheckpointDocument.inMemory(uri, checkpoint, performance.now() - started), `Layer Lens: ${label} (live audit)`);
      return { ...result, pageReady: (await openedView(uri))?.pageReady ?? false };
    });
  });
}

