/**
 * Layer Lens's entry point in the browser's extension host (the `browser` entry of package.json:
 * vscode.dev, github.dev, and desktop VS Code when told to run it there). Everything but the engine
 * worker is the Node entry's code; the worker is a Web Worker.
 */
import * as vscode from 'vscode';
import { activateLayerLens } from '../activation';
import { webWorkerStarter } from './webWorker';

export function activate(context: vscode.ExtensionContext): void {
  activateLayerLens(context, webWorkerStarter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'engineWorker.js').toString()));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
