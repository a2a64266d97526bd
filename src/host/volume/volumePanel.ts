/**
 * The volume panel (`layerLens.volume`): a 1-D layer drawn as strips, a 3-D layer as slices with a
 * depth slider, stepped through with the step player. One panel, revealed and updated when a
 * command runs again. The page computes the layer, its trace and its overlap itself with the
 * engine; the host only hands it the call. The page keeps the call and its step for VS Code, so the
 * panel comes back at that step after a reload. The handshake, validation and notices are the kit's.
 */
import * as vscode from 'vscode';
import { MAX_PERSISTED_VALUES } from '../../core/protocol/common';
import { isFromVolumeMessage, restoredVolumeSnapshot, type FromVolumeMessage, type ToVolumeMessage, type VolumeLayerCall, type VolumeSection, type VolumeSnapshot } from '../../core/protocol/volume';
import type { HostHandlers } from '../kit/pageConnection';
import { createWebviewPanel, restoreSerializer, WebviewHost } from '../kit/webviewHost';

/** Where the page's step player came to rest: which player, its step and its step count. */
export type VolumePlayerPosition = Omit<Extract<FromVolumeMessage, { readonly type: 'stepShown' }>, 'type'>;

export class VolumePanel extends WebviewHost<ToVolumeMessage, FromVolumeMessage> {
  static readonly viewType = 'layerLens.volume';
  private static current: VolumePanel | undefined;

  private snapshot: VolumeSnapshot = { kind: 'empty' };
  /** Where the page's player last came to rest on what is shown now. */
  private position: VolumePlayerPosition | undefined;

  protected readonly handlers: HostHandlers<FromVolumeMessage> = {
    stepShown: ({ player, step, stepCount }) => {
      this.position = { player, step, stepCount };
    },
  };

  /** Shows `call` in the volume panel, creating or revealing it. */
  static show(extensionUri: vscode.Uri, call: VolumeLayerCall, source: string | undefined): VolumePanel {
    let panel = VolumePanel.current;
    if (!panel) panel = new VolumePanel(createWebviewPanel(extensionUri, 'volume', titleOf(call)), extensionUri);
    else panel.reveal();
    panel.snapshot = { kind: 'ready', call, ...(source !== undefined ? { source } : {}) };
    panel.position = undefined;
    panel.panel.title = titleOf(call);
    panel.refresh();
    return panel;
  }

  /** The open volume panel, if any (tests read it). */
  static get open(): VolumePanel | undefined {
    return VolumePanel.current;
  }

  /**
   * Brings a volume panel back after a reload with the layer, source and step its page kept (a layer
   * of at most MAX_PERSISTED_VALUES values; a larger one says to run the command again).
   */
  static serializer(extensionUri: vscode.Uri): vscode.WebviewPanelSerializer {
    return restoreSerializer(extensionUri, (webviewPanel, state) => {
      const panel = new VolumePanel(webviewPanel, extensionUri);
      const restored = restoredVolumeSnapshot(state);
      panel.snapshot = restored ?? { kind: 'invalid', problems: [`This layer was not kept across the reload (a panel keeps a layer of up to ${MAX_PERSISTED_VALUES.toLocaleString('en-US')} values): run the command again.`] };
      if (restored) panel.panel.title = titleOf(restored.call);
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

  /** The page's player as it last came to rest on what is shown: which player, its step and step count (tests read it). */
  get player(): VolumePlayerPosition | undefined {
    return this.position;
  }

  /** Scrolls the page to `section` and focuses it (Show Overlap Map). */
  revealSection(section: VolumeSection): void {
    this.post({ type: 'reveal', section });
  }

  protected showMessage(): ToVolumeMessage {
    // A page that reloads (hidden, then shown again) opens at the step it was on.
    const step = this.position?.step;
    return { type: 'show', snapshot: this.snapshot.kind === 'ready' && step !== undefined ? { ...this.snapshot, step } : this.snapshot };
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
