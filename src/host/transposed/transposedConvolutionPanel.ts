/**
 * The transposed-convolution panel (Layer Lens: Transposed Convolution, view type `layerLens.panel`):
 * one webview per source (a document, or the command's arguments), reused (revealed and updated)
 * when the user inspects the same source again. It holds the latest snapshot, which the kit sends
 * whenever the page says it is ready, so a page that was hidden and rebuilt, or that loaded after
 * the snapshot changed, always draws the current state. Parameter edits made in the page are folded
 * into the snapshot, so they survive the page being rebuilt. It follows its operands' literals as
 * the user edits them, and writes cell edits back (./transposedPanelActions.ts).
 */
import * as vscode from 'vscode';
import { viewShape, type MatrixView } from '../../core/protocol/common';
import { PAGES } from '../../core/protocol/pages';
import {
  isFromTransposedMessage,
  isPersistedTransposedState,
  restoreTransposedLayer,
  type FromTransposedMessage,
  type LayerLinks,
  type OperandRole,
  type ToTransposedMessage,
  type TransposedConvolutionLayer,
  type TransposedConvolutionParams,
  type TransposedSection,
  type TransposedSnapshot,
} from '../../core/protocol/transposed';
import { readSettings } from '../common/settings';
import type { Tensor } from '../../core/engine/tensor';
import { LayerError } from '../../core/engine/errors';
import { outputShape } from '../../core/engine/index';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { insertUnavailableReason } from '../../core/text/literalText';
import type { HostHandlers } from '../kit/pageConnection';
import { PanelRegistry } from '../kit/panelRegistry';
import { createWebviewPanel, restoreSerializer, WebviewHost } from '../kit/webviewHost';
import type { LiteralLink } from './literalLink';
import { operandView, pairOperands, sameView, type ShapeReading } from './operandShapes';
import { OperandTracker, type OperandSource, type OperandUpdate } from './operandTracker';
import { copyFromPanel, editCell, insertResultLiteral, openLabOn, saveImage, type TransposedPanelActionTarget } from './transposedPanelActions';

/** What every transposed-convolution panel needs from the extension. */
export interface TransposedPanelServices {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
}

/** The host's links from the operands to their literals; an operand without one was typed or given as an argument. */
export interface OperandLinks {
  readonly input?: LiteralLink;
  readonly kernel?: LiteralLink;
}

const TITLE = PAGES.transposed.title;

export class TransposedConvolutionPanel extends WebviewHost<ToTransposedMessage, FromTransposedMessage> implements TransposedPanelActionTarget {
  static readonly viewType = PAGES.transposed.viewType;
  private static readonly open = new PanelRegistry<TransposedConvolutionPanel>();

  static get openCount(): number {
    return TransposedConvolutionPanel.open.size;
  }

  /** The panel the user looked at last (the one the panel commands act on), if any is open. */
  static get active(): TransposedConvolutionPanel | undefined {
    return TransposedConvolutionPanel.open.active;
  }

  private snapshot: TransposedSnapshot = { kind: 'empty' };
  private links: OperandLinks = {};
  private tracker: OperandTracker | undefined;

  protected readonly handlers: HostHandlers<FromTransposedMessage> = {
    paramsChanged: (message) => this.paramsChanged(message.params),
    editCell: (message) => editCell(this, message),
    copy: (message) => copyFromPanel(this, message.target),
    insertResult: () => insertResultLiteral(this),
    saveImage: (message) => saveImage(this, message.format, message.bytes),
    compareUpsampling: () => openLabOn(this),
  };

  /**
   * Shows `layer` in the panel of its source, creating it or revealing the existing one. `links`
   * lead back to the operands' literals (for writing back; the panel takes ownership of them);
   * `sources` say where the operands came from, so the panel follows them as the user edits.
   */
  static show(
    services: TransposedPanelServices,
    layer: TransposedConvolutionLayer,
    links: OperandLinks = {},
    sources: { readonly input?: OperandSource; readonly kernel?: OperandSource } = {},
  ): TransposedConvolutionPanel {
    const source = panelKey(layer);
    const panel = TransposedConvolutionPanel.open.get(source) ?? TransposedConvolutionPanel.create(services, source);
    panel.replaceLinks(links);
    panel.update({ kind: 'ready', layer: { ...layer, links: describeLinks(links) } });
    panel.follow(sources);
    panel.reveal();
    TransposedConvolutionPanel.open.focused(panel);
    return panel;
  }

  /**
   * Opens the panel for `sourceUri` while the command is still asking its last question, showing
   * what it waits for: creating a webview and loading its page takes several hundred milliseconds
   * in the workbench, and this way they overlap the user's typing instead of following the answer.
   * A panel already open for that source is left as it is. The returned function closes a panel
   * opened here that never got a layer (the command was cancelled or refused the answer).
   */
  static openEarly(services: TransposedPanelServices, sourceUri: string | undefined, waitingFor: string): () => void {
    const source = panelKey(sourceUri === undefined ? {} : { sourceUri });
    if (TransposedConvolutionPanel.open.has(source)) return () => undefined;
    const panel = TransposedConvolutionPanel.create(services, source);
    panel.update({ kind: 'pending', waitingFor });
    return () => {
      if (panel.snapshot.kind === 'pending') panel.panel.dispose();
    };
  }

  private static create(services: TransposedPanelServices, source: string): TransposedConvolutionPanel {
    return new TransposedConvolutionPanel(createWebviewPanel(services.extensionUri, 'transposed', TITLE), services, source);
  }

  /** Brings back panels that were open when VS Code last closed, from the state their pages kept. */
  static serializer(services: TransposedPanelServices): vscode.WebviewPanelSerializer {
    return restoreSerializer(services.extensionUri, (webviewPanel, state) => {
      const layer = isPersistedTransposedState(state) ? state.layer : undefined;
      // Two restored panels may share a source; each keeps its own page.
      const key = layer && !TransposedConvolutionPanel.open.has(panelKey(layer)) ? panelKey(layer) : PanelRegistry.restoredKey();
      const panel = new TransposedConvolutionPanel(webviewPanel, services, key);
      panel.update(
        layer
          ? { kind: 'ready', layer: restoreTransposedLayer(layer) }
          : { kind: 'invalid', problems: ['This panel’s matrices were too large to keep across the restart: run “Layer Lens: Transposed Convolution (ConvTranspose2d)” again.'] },
      );
    });
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: TransposedPanelServices,
    private readonly source: string,
  ) {
    super(panel, services.extensionUri, { page: 'transposed', name: 'transposed-convolution panel', isFromPage: isFromTransposedMessage });
    panel.title = TITLE;
    // Closing the panel from the host (a discarded early panel, the extension's end) closes its webview.
    TransposedConvolutionPanel.open.add(source, this);
    setPanelOpenContext();
  }

  protected override focused(): void {
    TransposedConvolutionPanel.open.focused(this);
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

  /** Shows `snapshot` (now, or when the page is next ready). */
  update(snapshot: TransposedSnapshot): void {
    this.snapshot = snapshot;
    this.refresh();
  }

  protected showMessage(): ToTransposedMessage {
    return { type: 'show', snapshot: this.snapshot };
  }

  /** The user changed a parameter in the page: kept for the next `show` (the page has drawn it already). */
  private paramsChanged(params: TransposedConvolutionParams): void {
    if (this.snapshot.kind === 'ready') this.snapshot = { kind: 'ready', layer: { ...this.snapshot.layer, params } };
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
    this.reveal();
    return { ok: true, value: true };
  }

  /** Scrolls the page to `section` and focuses it (now, or as soon as the page has drawn the `show` before it). */
  revealSection(section: TransposedSection): void {
    this.post({ type: 'reveal', section });
  }

  /** Picks output cell (row, col) and lists the products that made it (now, or as soon as the page has drawn). */
  selectCell(row: number, col: number): void {
    this.post({ type: 'selectCell', row, col });
  }

  redraw(): void {
    this.update(this.snapshot);
  }

  private replaceLinks(links: OperandLinks): void {
    this.links.input?.dispose();
    this.links.kernel?.dispose();
    this.links = links;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.tracker?.dispose();
    TransposedConvolutionPanel.open.remove(this.source, this);
    this.replaceLinks({});
    super.dispose();
    setPanelOpenContext();
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

/** `layerLens.panelOpen`: the panel commands are offered in the Command Palette while a transposed-convolution panel is open. */
function setPanelOpenContext(): void {
  void vscode.commands.executeCommand('setContext', 'layerLens.panelOpen', TransposedConvolutionPanel.openCount > 0);
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
