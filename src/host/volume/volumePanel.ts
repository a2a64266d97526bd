/**
 * The volume panel (`layerLens.volume`): a 1-D layer drawn as strips, a 3-D layer as slices with a
 * depth slider, stepped through with the step player. One panel, revealed and updated when a
 * command runs again. The page computes the layer, its trace and its overlap itself with the
 * engine; the host only hands it the call. The handshake, validation and notices are the kit's.
 */
import * as vscode from 'vscode';
import { isFromVolumeMessage, type FromVolumeMessage, type ToVolumeMessage, type VolumeLayerCall, type VolumeSnapshot } from '../../core/protocol/volume';
import type { HostHandlers } from '../kit/pageConnection';
import { createWebviewPanel, restoreSerializer, WebviewHost } from '../kit/webviewHost';

export class VolumePanel extends WebviewHost<ToVolumeMessage, FromVolumeMessage> {
  static readonly viewType = 'layerLens.volume';
  private static current: VolumePanel | undefined;

  private snapshot: VolumeSnapshot = { kind: 'empty' };

  protected readonly handlers: HostHandlers<FromVolumeMessage> = {};

  /** Shows `call` in the volume panel, creating or revealing it. */
  static show(extensionUri: vscode.Uri, call: VolumeLayerCall, source: string | undefined): VolumePanel {
    let panel = VolumePanel.current;
    if (!panel) panel = new VolumePanel(createWebviewPanel(extensionUri, 'volume', titleOf(call)), extensionUri);
    else panel.reveal();
    panel.snapshot = { kind: 'ready', call, ...(source !== undefined ? { source } : {}) };
    panel.panel.title = titleOf(call);
    panel.refresh();
    return panel;
  }

  /** The open volume panel, if any (tests read it). */
  static get open(): VolumePanel | undefined {
    return VolumePanel.current;
  }

  /** After a reload the panel says to run the command again (the call is not kept: a volume may be large). */
  static serializer(extensionUri: vscode.Uri): vscode.WebviewPanelSerializer {
    return restoreSerializer(extensionUri, (webviewPanel) => {
      const panel = new VolumePanel(webviewPanel, extensionUri);
      panel.snapshot = { kind: 'invalid', problems: ['This layer was not kept across the reload: run the command again.'] };
      panel.refresh();
    });
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    super(panel, extensionUri, { page: 'volume', name: 'volume panel', isFromPage: isFromVolumeMessage });
    VolumePanel.current = this;
  }

  get shown(): VolumeSnapshot {
    return this.snapshot;
  }

  protected showMessage(): ToVolumeMessage {
    return { type: 'show', snapshot: this.snapshot };
  }

  override dispose(): void {
    if (VolumePanel.current === this) VolumePanel.current = undefined;
    super.dispose();
  }
}

/** `Layer Lens: convTranspose1d`. */
function titleOf(call: VolumeLayerCall): string {
  return `Layer Lens: ${call.op}`;
}
