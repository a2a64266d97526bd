/**
 * Layer Lens's entry point. It only composes: each feature registers its own commands and
 * providers, and everything is disposed with the extension. Activation is implicit from
 * `contributes` (a command being run), so nothing here runs at VS Code startup.
 */
import * as vscode from 'vscode';
import { TRANSPOSED_CONVOLUTION_COMMAND, transposedConvolutionCommand } from './commands/transposedConvolution';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(TRANSPOSED_CONVOLUTION_COMMAND, (args: unknown) => transposedConvolutionCommand(context.extensionUri, args)),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
