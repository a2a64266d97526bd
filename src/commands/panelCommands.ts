/**
 * The panel's actions as commands too ("Layer Lens: Copy…", "Copy PyTorch Snippet", "Insert Result
 * as Literal"): from the Command Palette, keybindings and other extensions. They act on the Layer
 * Lens panel looked at last. Arguments are optional and checked; the copy commands return the text
 * they put on the clipboard.
 */
import * as vscode from 'vscode';
import { LayerLensPanel } from '../panel/layerLensPanel';
import { copyFromPanel, insertResultLiteral } from '../panel/panelActions';
import { isCopyTarget } from '../protocol/messages';

export const COPY_COMMAND = 'layerLens.copy';
export const COPY_SNIPPET_COMMAND = 'layerLens.copyPyTorchSnippet';
export const INSERT_RESULT_COMMAND = 'layerLens.insertResult';

function activePanel(): LayerLensPanel | undefined {
  const panel = LayerLensPanel.active;
  if (!panel) void vscode.window.showErrorMessage('Layer Lens: no Layer Lens panel is open. Run “Layer Lens: Transposed Convolution” first.');
  return panel;
}

export function registerPanelCommands(): vscode.Disposable[] {
  return [
    // `{ kind: 'matrix', matrix: 'output', format: 'numpy' }` copies without asking; anything else asks.
    vscode.commands.registerCommand(COPY_COMMAND, async (target: unknown) => {
      const panel = activePanel();
      return panel && copyFromPanel(panel, isCopyTarget(target) ? target : undefined);
    }),
    vscode.commands.registerCommand(COPY_SNIPPET_COMMAND, async () => {
      const panel = activePanel();
      return panel && copyFromPanel(panel, { kind: 'snippet' });
    }),
    vscode.commands.registerCommand(INSERT_RESULT_COMMAND, async () => {
      const panel = activePanel();
      return panel ? insertResultLiteral(panel) : false;
    }),
  ];
}
