import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { assertNever, isFromWebviewMessage, type PanelSnapshot, type ToWebviewMessage } from '../protocol/messages';
import { localResourceRoots, webviewHtml } from './webviewHtml';

/**
 * The Layer Lens panel: one webview, reused (revealed) when the user computes again. It holds the
 * latest snapshot and sends it whenever the page says it is ready, so a page that was hidden and
 * rebuilt, or that loaded after the snapshot changed, always draws the current state.
 */
export class LayerLensPanel extends Disposable {
  static readonly viewType = 'layerLens.panel';
  private static current: LayerLensPanel | undefined;

  private snapshot: PanelSnapshot = { kind: 'empty' };
  private pageReady = false;

  /** Shows `snapshot` in the panel, creating the panel or revealing the existing one. */
  static show(extensionUri: vscode.Uri, snapshot: PanelSnapshot, title: string): LayerLensPanel {
    const panel = LayerLensPanel.current ?? new LayerLensPanel(extensionUri, title);
    LayerLensPanel.current = panel;
    panel.panel.title = title;
    panel.update(snapshot);
    panel.panel.reveal(panel.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
    return panel;
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(extensionUri: vscode.Uri, title: string) {
    super();
    this.panel = this.register(
      vscode.window.createWebviewPanel(
        LayerLensPanel.viewType,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) },
      ),
    );
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.panel.webview.html = webviewHtml(this.panel.webview, extensionUri, title);
    this.register(this.panel.onDidDispose(() => this.dispose()));
    this.register(this.panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
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
      default:
        assertNever(message.type);
    }
  }

  private post(message: ToWebviewMessage): void {
    void this.panel.webview.postMessage(message);
  }

  override dispose(): void {
    if (LayerLensPanel.current === this) LayerLensPanel.current = undefined;
    super.dispose();
  }
}
