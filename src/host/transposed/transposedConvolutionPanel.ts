import * as vscode from 'vscode';
import { Disposable } from '../kit/dispose';
import { assertNever, restoreMatrix, viewShape, type MatrixView } from '../../core/protocol/common';
import { isFromTransposedMessage, isPersistedPanelState, type LayerLinks, type OperandRole, type PanelSection, type PanelSnapshot, type ToTransposedMessage, type TransposedConvolutionLayer } from '../../core/protocol/transposed';
import { readSettings } from '../common/settings';
import type { Tensor } from '../../core/engine/tensor';
import { LayerError } from '../../core/engine/errors';
import { outputShape } from '../../core/engine/index';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { insertUnavailableReason } from '../../core/text/literalText';
import type { LiteralLink } from './literalLink';
import { operandView, pairOperands, sameView, type ShapeReading } from './operandShapes';
import { OperandTracker, type OperandSource, type OperandUpdate } from './operandTracker';
import { copyFromPanel, editCell, insertResultLiteral, openLabOn, saveImage, type PanelHandle } from './panelActions';
import { localResourceRoots, webviewHtml } from '../kit/webviewHtml';

/** What every panel needs from the extension. */
export interface PanelServices {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
}

/** The host's links from the operands to their literals; an operand without one was typed or given as an argument. */
export interface OperandLinks {
  readonly input?: LiteralLink;
  readonly kernel?: LiteralLink;
}

const TITLE = 'Layer Lens: Transposed Convolution';

/**
 * A Layer Lens panel: one webview per source (a document, or the command's arguments), reused
 * (revealed and updated) when the user inspects the same source again. It holds the latest snapshot
 * and sends it whenever the page says it is ready, so a page that was hidden and rebuilt, or that
 * loaded after the snapshot changed, always draws the current state. Parameter edits made in the
 * page are folded into the snapshot, so they survive the page being rebuilt.
 */
export class LayerLensPanel extends Disposable implements PanelHandle {
  static readonly viewType = 'layerLens.panel';
  private static readonly open = new Map<string, LayerLensPanel>();
  private static lastActive: LayerLensPanel | undefined;

  static get openCount(): number {
    return LayerLensPanel.open.size;
  }

  private snapshot: PanelSnapshot = { kind: 'empty' };
  private pageReady = false;
  /** A section to bring into view once the page has drawn the snapshot (asked for before it was ready). */
  private pendingReveal: PanelSection | undefined;
  private pendingCell: readonly [number, number] | undefined;
  private links: OperandLinks = {};
  private tracker: OperandTracker | undefined;

  /** The panel the user looked at last (the one the panel commands act on), if any is open. */
  static get active(): LayerLensPanel | undefined {
    return LayerLensPanel.lastActive;
  }

  /**
   * Shows `layer` in the panel of its source, creating it or revealing the existing one. `links`
   * lead back to the operands' literals (for writing back; the panel takes ownership of them);
   * `sources` say where the operands came from, so the panel follows them as the user edits.
   */
  static show(
    services: PanelServices,
    layer: TransposedConvolutionLayer,
    links: OperandLinks = {},
    sources: { readonly input?: OperandSource; readonly kernel?: OperandSource } = {},
  ): LayerLensPanel {
    const source = panelKey(layer);
    const panel = LayerLensPanel.open.get(source) ?? LayerLensPanel.create(services, source);
    panel.replaceLinks(links);
    panel.update({ kind: 'ready', layer: { ...layer, links: describeLinks(links) } });
    panel.follow(sources);
    panel.panel.reveal(panel.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
    LayerLensPanel.lastActive = panel;
    return panel;
  }

  /**
   * Opens the panel for `sourceUri` while the command is still asking its last question, showing
   * what it waits for: creating a webview and loading its page takes several hundred milliseconds
   * in the workbench, and this way they overlap the user's typing instead of following the answer.
   * A panel already open for that source is left as it is. The returned function closes a panel
   * opened here that never got a layer (the command was cancelled or refused the answer).
   */
  static openEarly(services: PanelServices, sourceUri: string | undefined, waitingFor: string): () => void {
    const source = panelKey(sourceUri === undefined ? {} : { sourceUri });
    if (LayerLensPanel.open.has(source)) return () => undefined;
    const panel = LayerLensPanel.create(services, source);
    panel.update({ kind: 'pending', waitingFor });
    return () => {
      if (panel.snapshot.kind === 'pending') panel.panel.dispose();
    };
  }

  private static create(services: PanelServices, source: string): LayerLensPanel {
    const webviewPanel = vscode.window.createWebviewPanel(LayerLensPanel.viewType, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(services.extensionUri));
    return new LayerLensPanel(webviewPanel, services, source);
  }

  /** Brings back panels that were open when VS Code last closed, from the state their pages kept. */
  static serializer(services: PanelServices): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (webviewPanel, state: unknown) => {
        webviewPanel.webview.options = webviewOptions(services.extensionUri);
        const layer = isPersistedPanelState(state) ? state.layer : undefined;
        // Two restored panels may share a source; each keeps its own page.
        const key = layer && !LayerLensPanel.open.has(panelKey(layer)) ? panelKey(layer) : `restored:${crypto.randomUUID()}`;
        const panel = new LayerLensPanel(webviewPanel, services, key);
        // Only what the page may tell the host: the links to the literals are not among it.
        panel.update(
          layer
            ? { kind: 'ready', layer: { input: restoreMatrix(layer.input), kernel: restoreMatrix(layer.kernel), params: layer.params, source: layer.source, sourceUri: layer.sourceUri } }
            : { kind: 'invalid', problems: ['This panel’s matrices were too large to keep across the restart: run “Layer Lens: Transposed Convolution” again.'] },
        );
      },
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    private readonly source: string,
  ) {
    super();
    const extensionUri = services.extensionUri;
    LayerLensPanel.open.set(source, this);
    LayerLensPanel.lastActive = this;
    setPanelOpenContext();
    this.register(panel);
    this.register(panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.active) LayerLensPanel.lastActive = this;
    }));
    panel.title = TITLE;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, TITLE, 'transposed');
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
  }

  /** Follows the operands' sources from now on (replacing what was followed before). */
  private follow(sources: { readonly input?: OperandSource; readonly kernel?: OperandSource }): void {
    this.tracker?.dispose();
    this.tracker = new OperandTracker(sources, (update) => this.sourceEdited(update));
  }

  /** New readings of the operands after an edit: redraw with them, or say why they cannot be read. */
  private sourceEdited(update: OperandUpdate): void {
    if (this.snapshot.kind !== 'ready') return;
    let layer = this.snapshot.layer;
    const problems: string[] = [];
    for (const role of ['input', 'kernel'] as const) {
      const reading = update[role];
      if (!reading) continue;
      if (!reading.ok) {
        problems.push(reading.problem);
        continue;
      }
      layer = role === 'input' ? { ...layer, input: reading.matrix, source: reading.caption } : { ...layer, kernel: reading.matrix };
    }
    // A matrix beside an operand with channels is one channel; the channels must still agree.
    const paired = pairOperands(layer.input, layer.kernel, { input: update.input?.ok ? update.input.caption : undefined });
    if (paired.ok) layer = { ...layer, ...paired.value };
    else problems.push(paired.problem);
    const tooLarge = outputTooLarge(layer);
    if (tooLarge) problems.push(tooLarge);
    // The panel already shows these values (an edit it wrote back, or one undone and redone): no redraw.
    const current = this.snapshot;
    if (problems.length === 0 && current.sourceProblem === undefined && layer.source === current.layer.source && sameView(layer.input, current.layer.input) && sameView(layer.kernel, current.layer.kernel)) return;
    this.update(problems.length > 0 ? { kind: 'ready', layer: this.snapshot.layer, sourceProblem: problems.join(' ') } : { kind: 'ready', layer });
  }

  update(snapshot: PanelSnapshot): void {
    this.snapshot = snapshot;
    if (this.pageReady) this.post({ type: 'show', snapshot });
  }

  get engine(): EngineWorkerClient {
    return this.services.engine;
  }

  layer(): TransposedConvolutionLayer | undefined {
    return this.snapshot.kind === 'ready' ? this.snapshot.layer : undefined;
  }

  link(role: OperandRole): LiteralLink | undefined {
    return this.links[role];
  }

  replaceOperand(role: OperandRole, matrix: MatrixView): void {
    const layer = this.layer();
    if (!layer) return;
    this.update({ kind: 'ready', layer: { ...layer, [role]: matrix } });
  }

  /**
   * Shows `kernel` in place of the panel's kernel (Set Kernel): linked to its literal when it came
   * from a document, so cell edits write back and edits of the literal are followed. Undefined
   * when the panel shows no layer to set it in; a problem in words when the kernel does not fit
   * the panel's input (its channels).
   */
  setKernel(kernel: Tensor, link: LiteralLink | undefined, source: OperandSource | undefined): ShapeReading<true> | undefined {
    const layer = this.layer();
    const refuse = (problem?: string) => {
      link?.dispose();
      return problem === undefined ? undefined : ({ ok: false, problem } as const);
    };
    if (!layer) return refuse();
    const view = operandView('kernel', kernel);
    if (!view.ok) return refuse(view.problem);
    const paired = pairOperands(layer.input, view.value);
    if (!paired.ok) return refuse(paired.problem);
    const { kernel: previous, ...rest } = this.links;
    previous?.dispose();
    this.links = link ? { ...rest, kernel: link } : rest;
    this.tracker?.replace('kernel', source);
    this.update({ kind: 'ready', layer: { ...layer, kernel: paired.value.kernel, links: describeLinks(this.links) } });
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
    return { ok: true, value: true };
  }

  /** Scrolls the page to `section` and focuses it (now, or as soon as the page has drawn). */
  reveal(section: PanelSection): void {
    if (this.pageReady) this.post({ type: 'reveal', section });
    else this.pendingReveal = section;
  }

  /** Picks output cell (row, col) and lists the products that made it (now, or as soon as the page has drawn). */
  selectCell(row: number, col: number): void {
    if (this.pageReady) this.post({ type: 'selectCell', row, col });
    else this.pendingCell = [row, col];
  }

  redraw(): void {
    this.update(this.snapshot);
  }

  notify(tone: 'info' | 'error', text: string): void {
    if (this.pageReady) this.post({ type: 'notice', tone, text });
  }

  private replaceLinks(links: OperandLinks): void {
    this.links.input?.dispose();
    this.links.kernel?.dispose();
    this.links = links;
  }

  private receive(message: unknown): void {
    if (!isFromTransposedMessage(message)) {
      console.warn('[Layer Lens] ignored an unexpected message from the panel', message);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.post({ type: 'show', snapshot: this.snapshot });
        if (this.pendingReveal) this.post({ type: 'reveal', section: this.pendingReveal });
        if (this.pendingCell) this.post({ type: 'selectCell', row: this.pendingCell[0], col: this.pendingCell[1] });
        this.pendingReveal = undefined;
        this.pendingCell = undefined;
        break;
      case 'paramsChanged':
        if (this.snapshot.kind === 'ready') this.snapshot = { kind: 'ready', layer: { ...this.snapshot.layer, params: message.params } };
        break;
      case 'editCell':
        void editCell(this, message);
        break;
      case 'copy':
        void copyFromPanel(this, message.target);
        break;
      case 'insertResult':
        void insertResultLiteral(this);
        break;
      case 'saveImage':
        void saveImage(this, message.format, message.bytes);
        break;
      case 'compareUpsampling':
        void openLabOn(this);
        break;
      default:
        assertNever(message);
    }
  }

  private post(message: ToTransposedMessage): void {
    void this.panel.webview.postMessage(message);
  }

  override dispose(): void {
    this.tracker?.dispose();
    if (LayerLensPanel.open.get(this.source) === this) LayerLensPanel.open.delete(this.source);
    if (LayerLensPanel.lastActive === this) LayerLensPanel.lastActive = undefined;
    setPanelOpenContext();
    this.replaceLinks({});
    super.dispose();
  }
}

/** The setting's message when the edited layer's output would be too large to draw, else `undefined`. */
function outputTooLarge(layer: TransposedConvolutionLayer): string | undefined {
  const { maxOutputElements } = readSettings();
  const { stride, padding, outputPadding, dilation, groups } = layer.params;
  try {
    const { shape } = outputShape('convTranspose2d', viewShape(layer.input), { weightShape: viewShape(layer.kernel), stride, padding, outputPadding, dilation, ...(groups !== undefined ? { groups } : {}) });
    const size = shape.reduce((a, b) => a * b, 1);
    if (size <= maxOutputElements) return undefined;
    return `The output would be ${shape.join(' × ')} = ${size.toLocaleString('en-US')} values, more than layerLens.maxOutputElements (${maxOutputElements.toLocaleString('en-US')}).`;
  } catch (error) {
    if (error instanceof LayerError) return undefined; // the panel explains invalid parameters itself
    throw error;
  }
}

/** `layerLens.panelOpen`: the panel commands are offered in the Command Palette while a panel is open. */
function setPanelOpenContext(): void {
  void vscode.commands.executeCommand('setContext', 'layerLens.panelOpen', LayerLensPanel.openCount > 0);
}

/** What the page needs to know of the links: which operands write back, and whether the result can be inserted. */
function describeLinks(links: OperandLinks): LayerLinks {
  const insertUnavailable = links.input
    ? insertUnavailableReason(links.input.notation)
    : 'The input was not read from a document (it was typed or given as an argument), so there is no statement to add the result after: copy the output instead.';
  return {
    ...(links.input ? { input: links.input.place() } : {}),
    ...(links.kernel ? { kernel: links.kernel.place() } : {}),
    ...(insertUnavailable ? { insertUnavailable } : {}),
  };
}

/** One panel per source document; matrices given as arguments or typed in share one. */
function panelKey(layer: { readonly sourceUri?: string }): string {
  return layer.sourceUri ?? 'typed';
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
}
