/**
 * The layer panel (`layerLens.gather`): convolution, pooling, upsampling and pixel shuffle, stepped
 * through one output cell at a time. One panel per source document (one for matrices typed or given
 * as arguments), revealed and updated when a command runs again. The page computes and traces the
 * layer itself with the engine, so editing a parameter answers at once; it tells the host the new
 * call, which the host keeps for Copy and for restoring the panel after a reload. The handshake,
 * validation of what the page sends and the notices are the kit's (src/host/kit/webviewHost.ts).
 */
import * as vscode from 'vscode';
import { GATHER_LAYER_NAMES, gatherLayerShape, type GatherLayerCall } from '../../core/engine/index';
import { LayerError } from '../../core/engine/errors';
import type { Tensor } from '../../core/engine/tensor';
import { COPY_FORMAT_LABELS, matrixText } from '../../core/text/matrixText';
import { COPY_FORMATS, type CopyFormat } from '../../core/protocol/common';
import { isFromLayerMessage, restoredLayerSnapshot, type FromLayerMessage, type LayerMatrixRole, type LayerSnapshot, type ToLayerMessage } from '../../core/protocol/layer';
import { PanelRegistry } from '../kit/panelRegistry';
import type { HostHandlers } from '../kit/pageConnection';
import { createWebviewPanel, restoreSerializer, WebviewHost } from '../kit/webviewHost';
import { computeGatherLayer } from '../worker/computeLayer';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';

export interface LayerServices {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
}

/** The key of the panel for matrices that came from no document. */
const NO_DOCUMENT = '';

export class LayerPanel extends WebviewHost<ToLayerMessage, FromLayerMessage> {
  static readonly viewType = 'layerLens.gather';
  private static readonly open = new PanelRegistry<LayerPanel>();

  private snapshot: LayerSnapshot = { kind: 'empty' };

  protected readonly handlers: HostHandlers<FromLayerMessage> = {
    paramsChanged: (message) => this.keep(message.call),
    copy: (message) => this.copy(message.matrix, message.format),
  };

  /** Shows `call` in its document's layer panel, creating or revealing it. */
  static show(services: LayerServices, call: GatherLayerCall, source: string | undefined, sourceUri: string | undefined): LayerPanel {
    const key = sourceUri ?? NO_DOCUMENT;
    let panel = LayerPanel.open.get(key);
    if (!panel) panel = new LayerPanel(createWebviewPanel(services.extensionUri, 'layer', titleOf(call)), services, key);
    else panel.reveal();
    panel.update({ kind: 'ready', call, ...(source !== undefined ? { source } : {}) });
    return panel;
  }

  /**
   * Shows, in the layer panel of `sourceUri` (opened for it when there is none), that `text` is
   * being computed, so the panel is not blank while a large layer runs in the engine worker. The
   * function returned puts back what the panel showed before, or closes the panel opened for it,
   * when no layer came (cancelled, refused); {@link show} replaces it otherwise.
   */
  static showWorking(services: LayerServices, call: GatherLayerCall, sourceUri: string | undefined, text: string): () => void {
    const key = sourceUri ?? NO_DOCUMENT;
    const existing = LayerPanel.open.get(key);
    const panel = existing ?? new LayerPanel(createWebviewPanel(services.extensionUri, 'layer', titleOf(call)), services, key);
    const before = panel.snapshot;
    if (existing) panel.reveal();
    panel.update({ kind: 'working', text });
    // A reused panel still had the title of the layer it showed before.
    panel.panel.title = titleOf(call);
    return () => {
      if (panel.snapshot.kind !== 'working') return;
      if (existing) panel.update(before);
      else panel.panel.dispose();
    };
  }

  /** The open layer panel of a document (`undefined` for the one of matrices from no document). */
  static of(uri: vscode.Uri | undefined): LayerPanel | undefined {
    return LayerPanel.open.get(uri?.toString() ?? NO_DOCUMENT);
  }

  /** Brings a layer panel back after a reload with the layer its page kept. */
  static serializer(services: LayerServices): vscode.WebviewPanelSerializer {
    return restoreSerializer(services.extensionUri, (webviewPanel, state) => {
      // Restored panels are not tied to a document any more: the next command opens its own.
      const panel = new LayerPanel(webviewPanel, services, PanelRegistry.restoredKey());
      panel.update(restoredLayerSnapshot(state) ?? { kind: 'invalid', problems: ['This layer was not kept across the reload: run the command again.'] });
    });
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: LayerServices,
    private readonly key: string,
  ) {
    super(panel, services.extensionUri, { page: 'layer', name: 'layer panel', isFromPage: isFromLayerMessage });
    LayerPanel.open.add(key, this);
  }

  get current(): LayerSnapshot {
    return this.snapshot;
  }

  protected showMessage(): ToLayerMessage {
    return { type: 'show', snapshot: this.snapshot };
  }

  private update(snapshot: LayerSnapshot): void {
    this.snapshot = snapshot;
    if (snapshot.kind === 'ready') this.panel.title = titleOf(snapshot.call);
    this.refresh();
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
      // A refused layer is a line in the page; cancelling is silent; anything else is a bug, shown too.
      this.fail(error);
      return false;
    }
    await vscode.env.clipboard.writeText(matrixText(tensor, chosen));
    this.notice('info', `Copied the ${role} (${tensor.shape.join('×')}) as ${COPY_FORMAT_LABELS[chosen]}.`);
    return true;
  }

  override dispose(): void {
    LayerPanel.open.remove(this.key, this);
    super.dispose();
  }
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
