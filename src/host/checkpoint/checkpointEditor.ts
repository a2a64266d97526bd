/**
 * The checkpoint editor (view type `layerLens.checkpoint`): a read-only custom editor on checkpoint
 * files. The page lists the tensors and asks for the statistics of the rows it shows; the host
 * computes them a chunk at a time, yielding between chunks, and drops a request the moment a newer
 * one comes (the user searched or scrolled on). The audit section draws the document's audit; a
 * click on a layer opens it with the trained kernel: a 2-D one in the transposed-convolution panel,
 * a 1-D or 3-D one in the volume panel (the same command, given the volume arguments).
 */
import * as vscode from 'vscode';
import { tensorStats } from '../../core/checkpoint/tensorStats';
import type { CheckpointTensor } from '../../core/checkpoint/types';
import { HISTOGRAM_BINS, isFromCheckpointMessage, type FromCheckpointMessage, type TensorStats, type ToCheckpointMessage } from '../../core/protocol/checkpoint';
import { PAGES } from '../../core/protocol/pages';
import { UserFacingError } from '../common/arguments';
import type { HostHandlers } from '../kit/pageConnection';
import { PanelRegistry } from '../kit/panelRegistry';
import { createWebviewPanel, WebviewHost } from '../kit/webviewHost';
import { CheckpointDocument } from './checkpointDocument';
import type { OpenLocalFile } from './fileSource';
import { trainedLayerArguments } from '../../core/checkpoint/trainedKernel';
import type { TrainedVerdicts } from './trainedVerdicts';

export interface CheckpointServices {
  readonly extensionUri: vscode.Uri;
  readonly openLocal: OpenLocalFile | undefined;
  /** Where the model source each checkpoint was paired with is remembered (the workspace's state). */
  readonly memory?: vscode.Memento;
  /** Where audits made with a model source are published for that source's hovers and CodeLens. */
  readonly verdicts?: TrainedVerdicts;
}

/** Publishes the document's audit for its paired source once computed; an unpaired document withdraws what it published. */
export function publishAudit(services: CheckpointServices, document: CheckpointDocument): void {
  const source = document.pairedSource;
  if (!source) {
    services.verdicts?.forget(document.uri);
    return;
  }
  const audit = document.computedAudit;
  if (audit) services.verdicts?.publish(document.uri, source, audit);
}

/** The model source the `layerLens.checkpoints.modelSource` setting names for a checkpoint, resolved against its workspace folder. */
function configuredSource(checkpoint: vscode.Uri): vscode.Uri | undefined {
  const path = vscode.workspace.getConfiguration('layerLens', checkpoint).get<unknown>('checkpoints.modelSource');
  if (typeof path !== 'string' || path.trim() === '') return undefined;
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path)) return vscode.Uri.file(path);
  const folder = vscode.workspace.getWorkspaceFolder(checkpoint) ?? vscode.workspace.workspaceFolders?.[0];
  return folder && vscode.Uri.joinPath(folder.uri, path);
}

/** The key under which a checkpoint's paired model source is remembered. */
const pairingKey = (uri: vscode.Uri): string => `layerLens.checkpoint.source:${uri.toString()}`;

/** Statistics are posted to the page at most this often while a request runs. */
const POST_EVERY_MS = 50;

const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class CheckpointEditorProvider implements vscode.CustomReadonlyEditorProvider<CheckpointDocument> {
  static readonly viewType = PAGES.checkpoint.viewType;
  /** Options a command gave for a file about to open (`layerLens.auditCheckpoint`'s source and stride). */
  private static readonly pending = new Map<string, (document: CheckpointDocument) => void>();

  constructor(private readonly services: CheckpointServices) {}

  /** Runs `prepare` on the document of `uri` when the editor opens it (or now, if it is open). */
  static prepare(uri: vscode.Uri, prepare: (document: CheckpointDocument) => void): void {
    const open = CheckpointView.documentOf(uri);
    if (open) prepare(open);
    else CheckpointEditorProvider.pending.set(uri.toString(), prepare);
  }

  async openCustomDocument(uri: vscode.Uri): Promise<CheckpointDocument> {
    const document = await CheckpointDocument.open(uri, this.services.openLocal);
    await this.pairAsBefore(document);
    // The audit runs in the background once an editor shows the document; each time it is ready, the paired source's hovers learn it.
    document.onDidChange(() => publishAudit(this.services, document));
    CheckpointEditorProvider.pending.get(uri.toString())?.(document);
    CheckpointEditorProvider.pending.delete(uri.toString());
    return document;
  }

  /**
   * Pairs a state dict with the model source it was paired with last time, or else with the one the
   * `layerLens.checkpoints.modelSource` setting names, if that file is there.
   */
  private async pairAsBefore(document: CheckpointDocument): Promise<void> {
    if (!document.checkpoint || document.checkpoint.layers) return;
    const remembered = this.services.memory?.get<string>(pairingKey(document.uri));
    const uri = remembered !== undefined ? vscode.Uri.parse(remembered, true) : configuredSource(document.uri);
    if (!uri) return;
    try {
      document.pairWith({ uri, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) });
    } catch {
      // The source moved or was deleted: the user pairs again.
    }
  }

  resolveCustomEditor(document: CheckpointDocument, panel: vscode.WebviewPanel): void {
    new CheckpointView(panel, this.services, document);
  }

  /** Remembers the model source a checkpoint is paired with, for the next time it opens. */
  static remember(services: CheckpointServices, checkpoint: vscode.Uri, source: vscode.Uri): void {
    void services.memory?.update(pairingKey(checkpoint), source.toString());
  }
}

export class CheckpointView extends WebviewHost<ToCheckpointMessage, FromCheckpointMessage> {
  private static readonly open = new PanelRegistry<CheckpointView>();
  /** Bumped by every statistics request: a running one stops when it sees a newer number. */
  private statsRequest = 0;

  protected readonly handlers: HostHandlers<FromCheckpointMessage> = {
    stats: (message) => this.computeStats(message.names),
    openLayer: (message) => this.openLayer(message.name),
    pairSource: () => this.pickSource(),
    setStride: (message) => this.document.setStride(message.stride, message.name),
  };

  constructor(
    panel: vscode.WebviewPanel,
    private readonly services: CheckpointServices,
    readonly document: CheckpointDocument,
  ) {
    super(panel, services.extensionUri, { page: 'checkpoint', name: 'checkpoint editor', isFromPage: isFromCheckpointMessage });
    CheckpointView.open.add(document.uri.toString(), this);
    this.register(document.onDidChange(() => this.refresh()));
  }

  /** The open editor of a file, if any (the command and the tests read it). */
  static of(uri: vscode.Uri): CheckpointView | undefined {
    return CheckpointView.open.get(uri.toString());
  }

  /**
   * The checkpoint editor's page in a webview panel of its own, on a document that is no file (a
   * live model's weights): the same tensor list, audit section and click-to-open. The panel owns
   * the document and disposes it when it closes.
   */
  static showInPanel(services: CheckpointServices, document: CheckpointDocument, title: string): CheckpointView {
    CheckpointView.of(document.uri)?.dispose();
    const view = new CheckpointView(createWebviewPanel(services.extensionUri, 'checkpoint', title), services, document);
    view.register(document);
    return view;
  }

  static documentOf(uri: vscode.Uri): CheckpointDocument | undefined {
    return CheckpointView.of(uri)?.document;
  }

  /** Scrolls the page's audit to the layer `name` (the page keeps it until the audit is drawn). */
  revealLayer(name: string): void {
    this.post({ type: 'reveal', name });
  }

  protected showMessage(): ToCheckpointMessage {
    return { type: 'show', snapshot: this.document.snapshot() };
  }

  protected override focused(): void {
    CheckpointView.open.focused(this);
  }

  /** Statistics of `names`, cached ones at once, the others a chunk at a time; a newer request stops this one. */
  private async computeStats(names: readonly string[]): Promise<void> {
    const request = ++this.statsRequest;
    const checkpoint = this.document.checkpoint;
    if (!checkpoint) return;
    const cached = names.flatMap((name) => this.document.stats.get(name) ?? []);
    if (cached.length > 0) this.post({ type: 'stats', stats: cached });
    let batch: TensorStats[] = [];
    let posted = Date.now();
    const stale = () => request !== this.statsRequest || this.isDisposed;
    for (const name of names) {
      if (stale()) return;
      if (this.document.stats.has(name)) continue;
      let stats: TensorStats;
      try {
        const tensor: CheckpointTensor = checkpoint.tensor(name);
        const steps = tensorStats(name, tensor.data, HISTOGRAM_BINS);
        for (let step = steps.next(); ; step = steps.next()) {
          if (step.done) {
            stats = step.value;
            break;
          }
          await nextTurn();
          if (stale()) return;
        }
      } catch (error) {
        stats = { name, min: Number.NaN, max: Number.NaN, mean: Number.NaN, std: Number.NaN, nonFinite: 0, histogram: [], problem: error instanceof Error ? error.message : String(error) };
      }
      this.document.stats.set(name, stats);
      batch.push(stats);
      if (Date.now() - posted >= POST_EVERY_MS) {
        this.post({ type: 'stats', stats: batch });
        batch = [];
        posted = Date.now();
      }
      await nextTurn();
    }
    if (batch.length > 0 && !stale()) this.post({ type: 'stats', stats: batch });
  }

  /** Opens an audited layer with its trained kernel and a constant input: in the transposed-convolution panel, or the volume panel for a 1-D or 3-D one. */
  private async openLayer(name: string): Promise<void> {
    const audited = this.document.audit();
    const checkpoint = this.document.checkpoint;
    const layer = 'audit' in audited ? audited.audit.layers.find((l) => l.name === name) : undefined;
    if (!checkpoint || !layer) return;
    const layout = checkpoint.layers?.find((l) => l.weight === layer.weight)?.weightLayout ?? 'torch';
    const opened = trainedLayerArguments(layer, checkpoint.tensor(layer.weight), layout);
    if (!opened.ok) throw new UserFacingError(opened.problem);
    await vscode.commands.executeCommand('layerLens.transposedConvolution', opened.args);
    if (opened.note) this.notice('info', opened.note);
  }

  /** "Pair with model source…": the Python file that defines the model, read as text (never run). */
  private async pickSource(): Promise<void> {
    const [uri] = (await vscode.window.showOpenDialog({
      title: 'Layer Lens: the model source that made this checkpoint',
      canSelectMany: false,
      filters: { Python: ['py'] },
      openLabel: 'Pair',
    })) ?? [];
    if (!uri) return;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    this.document.pairWith({ uri, text });
    CheckpointEditorProvider.remember(this.services, this.document.uri, uri);
  }

  override dispose(): void {
    this.statsRequest++;
    CheckpointView.open.remove(this.document.uri.toString(), this);
    super.dispose();
  }
}
