/**
 * Where a Layer Lens page comes from: the webview options every panel uses and the page's HTML,
 * built from the page table (src/core/protocol/pages.ts) that the build script reads too.
 */
import * as vscode from 'vscode';
import type { PageId } from '../../core/protocol/pages';

/**
 * The folders a Layer Lens webview may load from: the extension's own bundles and static assets,
 * nothing from the workspace and nothing remote.
 */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The options of every Layer Lens webview: scripts on, resources only from `dist/` and `media/`. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: localResourceRoots(extensionUri) };
}

/**
 * A page: the script and stylesheet of its bundle (`dist/<page>.js`, `dist/<page>.css`). The
 * Content-Security-Policy allows only the extension's own stylesheet, images and fonts and the one
 * script carrying this load's nonce; no inline handlers, no remote content.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, page: PageId): string {
  // Web Crypto: the same in Node and in the browser's extension host.
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
  const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('dist', `${page}.css`)}">
  <title>${escapeHtml(title)}</title>
</head>
<body>
  <main id="app" aria-live="polite"></main>
  <script nonce="${nonce}" src="${asset('dist', `${page}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
