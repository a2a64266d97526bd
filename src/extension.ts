/**
 * Layer Lens's entry point in Node's extension host (the `main` entry of package.json). It starts
 * the engine worker as a `worker_threads` thread; everything else is src/activation.ts, shared with
 * the browser entry (src/web/extension.ts).
 */
import * as vscode from 'vscode';
import { activateLayerLens } from './activation';
import { nodeWorkerStarter } from './worker/nodeWorker';

export function activate(context: vscode.ExtensionContext): void {
  activateLayerLens(context, nodeWorkerStarter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'engineWorker.js').fsPath));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
