/**
 * The base of every Layer Lens panel on the host side. A panel is one subclass that says what it
 * shows (`showMessage`) and how it answers its page (`handlers`, which the compiler checks cover
 * every message the page may send); this base owns the rest, the same way for every panel:
 *
 * - the webview: its options (src/host/kit/webviewHtml.ts), its page's HTML from the page table,
 *   the icon, and its disposal (disposing the host closes the webview and the other way round);
 * - the ready handshake, the queue while the page is not listening, validation of every message
 *   with the page's guard, and dispatch (src/host/kit/pageConnection.ts);
 * - one way to tell the user: `notice` for a line in the page, `fail` for a problem (a
 *   `UserFacingError` or an engine `LayerError` as a notice in the page, anything else as an error
 *   notification too, since it is a bug).
 *
 * Restoring after a reload is `restoreSerializer` below: it gives the webview back its options and
 * hands the page's saved state, unchecked, to the panel's own `restore`, which guards it.
 */
import * as vscode from 'vscode';
import { LayerError } from '../../core/engine/errors';
import type { Message, NoticeTone } from '../../core/protocol/common';
import { PAGES, type PageId } from '../../core/protocol/pages';
import type { Guard } from '../../core/protocol/schema';
import { UserFacingError } from '../common/arguments';
import { Disposable } from './dispose';
import { PageConnection, type HostHandlers } from './pageConnection';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The notice message every page understands. */
type Notice = { readonly type: 'notice'; readonly tone: NoticeTone; readonly text: string };

export interface PageSpec<From extends Message> {
  readonly page: PageId;
  /** The page's name in warnings: `stack view`. */
  readonly name: string;
  readonly isFromPage: Guard<From>;
}

export abstract class WebviewHost<To extends Message, From extends Message> extends Disposable {
  private readonly connection: PageConnection<To | Notice, From>;

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    spec: PageSpec<From>,
  ) {
    super();
    const { title } = PAGES[spec.page];
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, panel.title || title, spec.page);
    this.connection = new PageConnection<To | Notice, From>(panel.webview, {
      name: spec.name,
      isFromPage: spec.isFromPage,
      show: () => this.showMessage(),
      // Read when a message comes: a subclass's handlers exist only after this constructor.
      handlers: () => this.handlers,
      failed: (error) => this.fail(error),
    });
    // Disposing the host closes its webview, and closing the webview disposes the host.
    this.register(panel);
    this.register({ dispose: () => this.connection.dispose() });
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.onDidChangeViewState(({ webviewPanel }) => {
      // A hidden page's document is gone (its context is not retained): it says `ready` again when shown.
      if (!webviewPanel.visible) this.connection.pageGone();
      if (webviewPanel.active) this.focused();
    }));
  }

  /** The `show` message of what the panel shows now: sent whenever the page (re)loads, and by `refresh`. */
  protected abstract showMessage(): To;

  /** How the panel answers each message its page may send (`ready` is the kit's). */
  protected abstract readonly handlers: HostHandlers<From>;

  /** Called when the user brings this panel to the front. */
  protected focused(): void {}

  /** Whether the page has loaded and listens (tests and benchmarks wait for it). */
  get pageReady(): boolean {
    return this.connection.ready;
  }

  /** Sends the current state to the page (or with its next `ready`). */
  protected refresh(): void {
    this.connection.show();
  }

  /** Posts a message to the page, now or once it is ready. */
  protected post(message: To): void {
    this.connection.post(message);
  }

  /** A short outcome of something the user asked for, as a line in the page. */
  notice(tone: NoticeTone, text: string): void {
    this.connection.post({ type: 'notice', tone, text });
  }

  /**
   * Tells the user something failed: a problem they can fix (wrong input, a refused layer) as an
   * error line in the page; anything else is a bug, shown as an error notification as well.
   */
  protected fail(error: unknown): void {
    if (error instanceof vscode.CancellationError) return;
    const text = error instanceof Error ? error.message : String(error);
    this.notice('error', text);
    if (!(error instanceof UserFacingError || error instanceof LayerError)) {
      console.error('[Layer Lens]', error);
      void vscode.window.showErrorMessage(`Layer Lens: ${text}`);
    }
  }

  /** Brings the panel to the front without taking focus from the editor. */
  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
  }
}

/** Creates the webview panel of `page` beside the editor, without taking focus. */
export function createWebviewPanel(extensionUri: vscode.Uri, page: PageId, title: string = PAGES[page].title): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(PAGES[page].viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
}

/**
 * The serializer that brings a page's panels back after a reload. `restore` gets the webview panel
 * (its options already set back) and the state the page kept, unchecked: it must guard it. A
 * restore that fails leaves a panel that says why instead of a blank one.
 */
export function restoreSerializer(extensionUri: vscode.Uri, restore: (panel: vscode.WebviewPanel, state: unknown) => Promise<void> | void): vscode.WebviewPanelSerializer {
  return {
    deserializeWebviewPanel: async (panel, state: unknown) => {
      panel.webview.options = webviewOptions(extensionUri);
      await restore(panel, state);
    },
  };
}
