/**
 * The layer panel (`layerLens.gather`): convolution, pooling, upsampling and pixel shuffle, stepped
 * through one output cell at a time. One panel per source document (one for matrices typed or given
 * as arguments), revealed and updated when a command runs again. The page computes and traces the
 * layer itself with the engine, so editing a parameter answers at once; it tells the host the new
 * call, which the host keeps for Copy and for restoring the panel after a reload. Everything the page
 * sends is checked against the shared protocol first.
 */
import * as vscode from 'vscode';
import { Disposable } from '../kit/dispose';
import { GATHER_LAYER_NAMES, gatherLayerShape, type GatherLayerCall } from '../../core/engine/index';
import { LayerError } from '../../core/engine/errors';
import type { Tensor } from '../../core/engine/tensor';
import { COPY_FORMAT_LABELS, matrixText } from '../../core/text/matrixText';
import { localResourceRoots, webviewHtml } from '../kit/webviewHtml';
import { assertNever, COPY_FORMATS, type CopyFormat } from '../../core/protocol/common';
import { isFromLayerMessage, isPersistedLayerState, restoreLayerCall, type FromLayerMessage, type LayerMatrixRole, type LayerSnapshot, type ToLayerMessage } from '../../core/protocol/layer';
import { computeGatherLayer } from '../worker/computeLayer';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';

export interface GatherServices {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
}

/** The key of the panel for matrices that came from no document. */
const NO_DOCUMENT = '';

export class GatherPanel extends Disposable {
  static readonly viewType = 'layerLens.gather';
  private static readonly open = new Map<string, GatherPanel>();

  private snapshot: LayerSnapshot = { kind: 'empty' };
  private pageReady = false;

  /** Shows `call` in its document's layer panel, creating or revealing it. */
  static show(services: GatherServices, call: GatherLayerCall, source: string | undefined, sourceUri: string | undefined): GatherPanel {
    const key = sourceUri ?? NO_DOCUMENT;
    let panel = GatherPanel.open.get(key);
    if (!panel) {
      const webviewPanel = vscode.window.createWebviewPanel(GatherPanel.viewType, titleOf(call), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(services.extensionUri));
      panel = new GatherPanel(webviewPanel, services, key);
    } else {
      panel.panel.reveal(panel.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
    }
    panel.update({ kind: 'ready', call, ...(source !== undefined ? { source } : {}) });
    return panel;
  }

  /** The open layer panel of a document (`undefined` for the one of matrices from no document). */
  static of(uri: vscode.Uri | undefined): GatherPanel | undefined {
    return GatherPanel.open.get(uri?.toString() ?? NO_DOCUMENT);
  }

  /** Brings a layer panel back after a reload with the layer its page kept. */
  static serializer(services: GatherServices): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (webviewPanel, state: unknown) => {
        webviewPanel.webview.options = webviewOptions(services.extensionUri);
        const call = isPersistedLayerState(state) ? restoreLayerCall(state) : undefined;
        // Restored panels are not tied to a document any more: the next command opens its own.
        const panel = new GatherPanel(webviewPanel, services, `restored:${Math.random()}`);
        panel.update(call ? { kind: 'ready', call, ...(isPersistedLayerState(state) && state.source !== undefined ? { source: state.source } : {}) } : { kind: 'invalid', problems: ['This layer was not kept across the reload: run the command again.'] });
      },
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: GatherServices,
    private readonly key: string,
  ) {
    super();
    GatherPanel.open.set(key, this);
    this.register(panel);
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml(panel.webview, services.extensionUri, panel.title, 'layer');
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)));
  }

  get current(): LayerSnapshot {
    return this.snapshot;
  }

  private update(snapshot: LayerSnapshot): void {
    this.snapshot = snapshot;
    if (snapshot.kind === 'ready') this.panel.title = titleOf(snapshot.call);
    if (this.pageReady) this.post({ type: 'show', snapshot });
  }

  private post(message: ToLayerMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private notify(tone: 'info' | 'error', text: string): void {
    this.post({ type: 'notice', tone, text });
  }

  private async receive(message: unknown): Promise<void> {
    if (!isFromLayerMessage(message)) {
      console.warn('[Layer Lens] the layer panel sent a malformed message');
      return;
    }
    await this.handle(message);
  }

  private async handle(message: FromLayerMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.post({ type: 'show', snapshot: this.snapshot });
        return;
      case 'paramsChanged':
        this.keep(message.call);
        return;
      case 'copy':
        await this.copy(message.matrix, message.format);
        return;
      default:
        assertNever(message);
    }
  }

  /** The page's edited layer, kept when the engine accepts it here too (the page is the less trusted side). */
  private keep(call: GatherLayerCall): void {
    try {
      gatherLayerShape(call);
    } catch (error) {
      if (error instanceof LayerError) return;
      throw error;
    }
    // Not re-sent: the page drew it already.
    const source = this.snapshot.kind === 'ready' ? this.snapshot.source : undefined;
    this.snapshot = { kind: 'ready', call, ...(source !== undefined ? { source } : {}) };
    this.panel.title = titleOf(call);
  }

  /** Copies a matrix of the shown layer in a notation (asked with a quick pick unless given). Returns whether it copied. */
  async copy(role: LayerMatrixRole, format?: CopyFormat): Promise<boolean> {
    if (this.snapshot.kind !== 'ready') return false;
    const call = this.snapshot.call;
    if (role === 'weight' && call.op !== 'conv2d') return false;
    const chosen = format ?? (await pickFormat(role));
    if (!chosen) return false;
    let tensor: Tensor;
    try {
      tensor = role === 'input' ? call.input : role === 'weight' && call.op === 'conv2d' ? call.weight : await computeGatherLayer(this.services.engine, call);
    } catch (error) {
      if (error instanceof vscode.CancellationError) return false;
      if (!(error instanceof LayerError)) throw error;
      this.notify('error', error.message);
      return false;
    }
    await vscode.env.clipboard.writeText(matrixText(tensor, chosen));
    this.notify('info', `Copied the ${role} (${tensor.shape.join('×')}) as ${COPY_FORMAT_LABELS[chosen]}.`);
    return true;
  }

  override dispose(): void {
    if (GatherPanel.open.get(this.key) === this) GatherPanel.open.delete(this.key);
    super.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: localResourceRoots(extensionUri) };
}

/** `Layer Lens: Max pooling`. */
function titleOf(call: GatherLayerCall): string {
  return `Layer Lens: ${GATHER_LAYER_NAMES[call.op]}`;
}

async function pickFormat(role: LayerMatrixRole): Promise<CopyFormat | undefined> {
  const items = COPY_FORMATS.map((format) => ({ label: COPY_FORMAT_LABELS[format], format }));
  const choice = await vscode.window.showQuickPick(items, { title: `Layer Lens: Copy the ${role} as…`, placeHolder: 'The notation to copy it in' });
  return choice?.format;
}
