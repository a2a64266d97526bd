/**
 * Layer Lens's entry point in Node's extension host (the `main` entry of package.json): the small
 * bundle VS Code loads at activation. The features are a second bundle beside it, dist/features.js
 * (src/host/nodeFeatures.ts), required the first time they are needed; everything else is
 * src/host/activation.ts, shared with the browser entry (src/host/web/extension.ts). The engine worker is a
 * `worker_threads` thread.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateLayerLens } from './activation';
import { registerMcpServerDefinition } from './agents/mcpServerDefinition';

type FeaturesModule = typeof import('./nodeFeatures');

export function activate(context: vscode.ExtensionContext): void {
  activateLayerLens(context, async () => {
    // Not bundled into this one: scripts/build.mjs writes it beside it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createFeatures, nodeWorkerStarter, nodeFileSource } = require(join(__dirname, 'features.js')) as FeaturesModule;
    return createFeatures(context, nodeWorkerStarter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'engineWorker.js').fsPath), nodeFileSource);
  });
  // The MCP server runs as a process of its own: Node's extension host only.
  registerMcpServerDefinition(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
