/**
 * `layerLens.auditCheckpoint` `{ uri, source?, stride?, show?, layer? }`: opens the checkpoint editor on the
 * file (paired with `source`, unpaired weights audited with `stride`) and returns the audit; with
 * `show: false` only returns it, as data, without opening anything. `layer` (a weight's key without
 * `.weight`) scrolls the editor's audit to that layer: the trained verdict's link in a paired
 * source's hover opens it so. From the palette or the explorer's context menu (a URI argument) it
 * opens the editor.
 */
import * as vscode from 'vscode';
import type { CheckpointAudit } from '../../core/checkpoint/audit';
import { UserFacingError } from '../common/arguments';
import { reportingProblems } from '../common/problems';
import { uriBaseName } from '../common/uriName';
import { CheckpointEditorProvider, CheckpointView, publishAudit } from './checkpointEditor';
import { CheckpointDocument, type PairedSource } from './checkpointDocument';
import type { CheckpointServices } from './checkpointEditor';

interface AuditArguments {
  readonly uri: vscode.Uri;
  readonly source?: vscode.Uri;
  readonly stride?: number;
  readonly show: boolean;
  readonly layer?: string;
}

/** What the command returns: the audit, and with `show` whether the editor's page has loaded. */
export type AuditCheckpointResult = CheckpointAudit & { readonly tensors: number; readonly pageReady?: boolean };

export async function auditCheckpointCommand(services: CheckpointServices, raw: unknown): Promise<AuditCheckpointResult | undefined> {
  return reportingProblems(async () => {
    const args = await readArguments(raw);
    if (!args) return undefined;
    const source = args.source && (await readSource(args.source));
    if (!args.show) {
      const document = await CheckpointDocument.open(args.uri, services.openLocal);
      try {
        if (source) document.pairWith(source);
        if (args.stride !== undefined) document.setStride(args.stride);
        return auditOf(document, services);
      } finally {
        document.dispose();
      }
    }
    CheckpointEditorProvider.prepare(args.uri, (document) => {
      if (source) {
        document.pairWith(source);
        CheckpointEditorProvider.remember(services, args.uri, source.uri);
      }
      if (args.stride !== undefined) document.setStride(args.stride);
    });
    await vscode.commands.executeCommand('vscode.openWith', args.uri, CheckpointEditorProvider.viewType);
    const view = await openedView(args.uri);
    const document = view?.document;
    if (!document) return undefined;
    const audited = document.audit();
    if ('problem' in audited) throw new UserFacingError(`${document.fileName}: ${audited.problem}`);
    publishAudit(services, document);
    if (args.layer !== undefined) view.revealLayer(args.layer);
    return { ...audited.audit, tensors: document.checkpoint?.tensors.length ?? 0, pageReady: view.pageReady };
  });
}

/** The audit of a document opened for the command alone, published for its paired source's hovers. */
function auditOf(document: CheckpointDocument, services: CheckpointServices): AuditCheckpointResult {
  const checkpoint = document.checkpoint;
  if (!checkpoint) throw new UserFacingError(`${document.fileName}: ${'problem' in document.reading ? document.reading.problem : 'unreadable'}`);
  const audited = document.audit();
  if ('problem' in audited) throw new UserFacingError(`${document.fileName}: ${audited.problem}`);
  publishAudit(services, document);
  return { ...audited.audit, tensors: checkpoint.tensors.length };
}

/** The editor (or live audit view) open on `uri`, once its page has loaded (or after 10 s, as it is). */
export async function openedView(uri: vscode.Uri): Promise<CheckpointView | undefined> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const view = CheckpointView.of(uri);
    if ((view && view.pageReady) || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readSource(uri: vscode.Uri): Promise<PairedSource> {
  try {
    return { uri, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch (error) {
    throw new UserFacingError(`The model source ${uriBaseName(uri)} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function toUri(value: unknown, name: string): vscode.Uri {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string') return value.includes(':') && !/^[a-zA-Z]:[\\/]/.test(value) ? vscode.Uri.parse(value, true) : vscode.Uri.file(value);
  throw new UserFacingError(`Argument "${name}" must be a URI (or a path), not ${value === null ? 'null' : typeof value}.`);
}

/** The arguments; a URI alone (the explorer's menu) opens it; nothing at all asks for the file. */
async function readArguments(raw: unknown): Promise<AuditArguments | undefined> {
  if (raw instanceof vscode.Uri) return { uri: raw, show: true };
  if (raw === undefined || raw === null) {
    const [uri] = (await vscode.window.showOpenDialog({ title: 'Layer Lens: the checkpoint to audit', canSelectMany: false, filters: { Checkpoints: ['safetensors', 'onnx', 'keras', 'h5', 'pt', 'pth', 'bin', 'npy', 'npz'] } })) ?? [];
    return uri && { uri, show: true };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UserFacingError('Audit Checkpoint takes { uri, source?, stride?, show?, layer? }.');
  const record = raw as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !['uri', 'source', 'stride', 'show', 'layer'].includes(key));
  if (unknown.length > 0) throw new UserFacingError(`Audit Checkpoint does not take ${unknown.map((k) => `"${k}"`).join(', ')}; it takes { uri, source?, stride?, show?, layer? }.`);
  const { stride, show, layer } = record;
  if (layer !== undefined && (typeof layer !== 'string' || layer.length > 1000)) throw new UserFacingError('Argument "layer" must be the name of an audited layer (a weight\'s key without ".weight").');
  if (stride !== undefined && !(typeof stride === 'number' && Number.isSafeInteger(stride) && stride >= 1 && stride <= 64)) {
    throw new UserFacingError(`Argument "stride" must be a whole number from 1 to 64, not ${String(stride)}.`);
  }
  if (show !== undefined && typeof show !== 'boolean') throw new UserFacingError(`Argument "show" must be true or false, not ${String(show)}.`);
  return {
    uri: toUri(record.uri, 'uri'),
    ...(record.source !== undefined ? { source: toUri(record.source, 'source') } : {}),
    ...(stride !== undefined ? { stride } : {}),
    show: show ?? true,
    ...(typeof layer === 'string' ? { layer } : {}),
  };
}
