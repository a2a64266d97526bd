import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import {
  assertNever,
  isFromWebviewMessage,
  isPersistedPanelState,
  restoreMatrix,
  type PanelSnapshot,
  type ToWebviewMessage,
  type TransposedConvolutionLayer,
} from '../protocol/messages';
import { readSettings } from '../config';
import { LayerError } from '../engine/errors';
import { outputShape } from '../engine/index';
import { OperandTracker, type OperandSource, type OperandUpdate } from './operandTracker';
import { localResourceRoots, webviewHtml } from './webviewHtml';

const TITLE = 'Layer Lens: Transposed Convolution';

/**
 * A Layer Lens panel: one webview per source (a document, or the command's arguments), reused
 * (revealed and updated) when the user inspects the same source again. It holds the latest snapshot
 * and sends it whenever the page says it is ready, so a page that was hidden and rebuilt, or that
 * loaded after the snapshot changed, always draws the current state. Parameter edits made in the
 * page are folded into the snapshot, so they survive the page being rebuilt.
 */
export class LayerLensPanel extends Disposable {
  static readonly viewType = 'layerLens.panel';
  private static readonly open = new Map<string, LayerLensPanel>();

  private snapshot: PanelSnapshot = { kind: 'empty' };
  private pageReady = false;
  private tracker: OperandTracker | undefined;

  /**
   * Shows `layer` in the panel of its source, creating it or revealing the existing one. `sources`
   * say where its operands came from, so the panel follows them as the user edits.
   */
  static show(extensionUri: vscode.Uri, layer: TransposedConvolutionLayer, sources: { readonly input?: OperandSource; readonly kernel?: OperandSource } = {}): LayerLensPanel {
    const source = panelKey(layer);
    const snapshot: PanelSnapshot = { kind: 'ready', layer };
    let panel = LayerLensPanel.open.get(source);
    if (!panel) {
      const webviewPanel = vscode.window.createWebviewPanel(LayerLensPanel.viewType, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
      panel = new LayerLensPanel(webviewPanel, extensionUri, source);
    }
    panel.update(snapshot);
    panel.follow(sources);
    panel.panel.reveal(panel.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
    return panel;
  }

  /** Brings back panels that were open when VS Code last closed, from the state their pages kept. */
  static registerSerializer(extensionUri: vscode.Uri): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(LayerLensPanel.viewType, {
      deserializeWebviewPanel: async (webviewPanel, state: unknown) => {
        webviewPanel.webview.options = webviewOptions(extensionUri);
        const layer = isPersistedPanelState(state) ? state.layer : undefined;
        // Two restored panels may share a source; each keeps its own page.
        const key = layer && !LayerLensPanel.open.has(panelKey(layer)) ? panelKey(layer) : `restored:${crypto.randomUUID()}`;
        const panel = new LayerLensPanel(webviewPanel, extensionUri, key);
        panel.update(
          layer
            ? { kind: 'ready', layer: { ...layer, input: restoreMatrix(layer.input), kernel: restoreMatrix(layer.kernel) } }
            : { kind: 'invalid', problems: ['This panel’s matrices were too large to keep across the restart: run “Layer Lens: Transposed Convolution” again.'] },
        );
      },
    });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: string,
  ) {
    super();
    LayerLensPanel.open.set(source, this);
    this.register(panel);
    panel.title = TITLE;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, TITLE);
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
      const matrix = { rows: reading.matrix.shape[0] ?? 0, cols: reading.matrix.shape[1] ?? 0, data: reading.matrix.data };
      layer = role === 'input' ? { ...layer, input: matrix, source: reading.caption } : { ...layer, kernel: matrix };
    }
    const tooLarge = outputTooLarge(layer);
    if (tooLarge) problems.push(tooLarge);
    this.update(problems.length > 0 ? { kind: 'ready', layer: this.snapshot.layer, sourceProblem: problems.join(' ') } : { kind: 'ready', layer });
  }

  update(snapshot: PanelSnapshot): void {
    this.snapshot = snapshot;
    if (this.pageReady) this.post({ type: 'show', snapshot });
  }

  private receive(message: unknown): void {
    if (!isFromWebviewMessage(message)) {
      console.warn('[Layer Lens] ignored an unexpected message from the panel', message);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.post({ type: 'show', snapshot: this.snapshot });
        break;
      case 'paramsChanged':
        if (this.snapshot.kind === 'ready') this.snapshot = { kind: 'ready', layer: { ...this.snapshot.layer, params: message.params } };
        break;
      default:
        assertNever(message);
    }
  }

  private post(message: ToWebviewMessage): void {
    void this.panel.webview.postMessage(message);
  }

  override dispose(): void {
    this.tracker?.dispose();
    if (LayerLensPanel.open.get(this.source) === this) LayerLensPanel.open.delete(this.source);
    super.dispose();
  }
}

/** The setting's message when the edited layer's output would be too large to draw, else `undefined`. */
function outputTooLarge(layer: TransposedConvolutionLayer): string | undefined {
  const { maxOutputElements } = readSettings();
  const { stride, padding, outputPadding, dilation } = layer.params;
  try {
    const { shape } = outputShape('convTranspose2d', [layer.input.rows, layer.input.cols], { kernelSize: [layer.kernel.rows, layer.kernel.cols], stride, padding, outputPadding, dilation });
    const size = shape.reduce((a, b) => a * b, 1);
    if (size <= maxOutputElements) return undefined;
    return `The output would be ${shape.join(' × ')} = ${size.toLocaleString('en-US')} values, more than layerLens.maxOutputElements (${maxOutputElements.toLocaleString('en-US')}).`;
  } catch (error) {
    if (error instanceof LayerError) return undefined; // the panel explains invalid parameters itself
    throw error;
  }
}

/** One panel per source document; matrices given as arguments or typed in share one. */
function panelKey(layer: { readonly sourceUri?: string }): string {
  return layer.sourceUri ?? 'typed';
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
}
