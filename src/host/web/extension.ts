/**
 * Layer Lens's entry point in the browser's extension host (the `browser` entry of package.json:
 * vscode.dev, github.dev, and desktop VS Code when told to run it there). Everything but the engine
 * worker is the Node entry's code; the worker is a Web Worker. That host runs an extension as one
 * file (its `require` knows only `vscode`), so the features are in this bundle, behind a dynamic
 * import: esbuild wraps each of their modules in a function that runs on first use, and activation
 * evaluates none of them.
 */
import * as vscode from 'vscode';
import { activateLayerLens } from '../activation';
import { webWorkerStarter } from './webWorker';

export function activate(context: vscode.ExtensionContext): void {
  const startWorker = webWorkerStarter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'engineWorker.js').toString());
  activateLayerLens(context, async () => (await import('../features')).createFeatures(context, startWorker));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
