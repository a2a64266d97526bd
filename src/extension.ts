/**
 * Layer Lens's entry point. It only composes: each feature registers its own commands and
 * providers, and everything is disposed with the extension. Activation comes from
 * `contributes` (a command being run) and from opening a document in a language Layer Lens reads
 * (`onLanguage:` events), never at VS Code startup; registering the editor providers parses nothing.
 */
import * as vscode from 'vscode';
import { TRANSPOSED_CONVOLUTION_COMMAND, transposedConvolutionCommand } from './commands/transposedConvolution';
import { registerPanelCommands } from './commands/panelCommands';
import { registerEditorFeatures } from './editor/index';
import { LayerLensPanel } from './panel/layerLensPanel';
import { EngineWorkerClient } from './worker/engineWorkerClient';

export function activate(context: vscode.ExtensionContext): void {
  // The worker thread starts on the first large computation, not here.
  const engine = new EngineWorkerClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'engineWorker.js').fsPath);
  const commandContext = { extensionUri: context.extensionUri, engine };
  context.subscriptions.push(
    engine,
    vscode.commands.registerCommand(TRANSPOSED_CONVOLUTION_COMMAND, (args: unknown) => transposedConvolutionCommand(commandContext, args)),
    LayerLensPanel.registerSerializer(commandContext),
    ...registerPanelCommands(),
    registerEditorFeatures(),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
