/**
 * The transposed-convolution panel's actions as commands too ("Layer Lens: Copy…", "Copy PyTorch
 * Snippet", "Insert Result as Literal"): from the Command Palette, keybindings and other extensions.
 * They act on the transposed-convolution panel looked at last. Arguments are optional and checked;
 * the copy commands return the text they put on the clipboard.
 */
import * as vscode from 'vscode';
import { TransposedConvolutionPanel } from './transposedConvolutionPanel';
import { copyFromPanel, insertResultLiteral } from './transposedPanelActions';
import { COPY_FORMAT_LABELS } from '../../core/text/matrixText';
import { COPY_FORMATS, type CopyFormat } from '../../core/protocol/common';
import { isCopyTarget } from '../../core/protocol/transposed';

export const COPY_COMMAND = 'layerLens.copy';
export const COPY_SNIPPET_COMMAND = 'layerLens.copyPyTorchSnippet';
export const INSERT_RESULT_COMMAND = 'layerLens.insertResult';
export const COPY_RESULT_AS_COMMAND = 'layerLens.copyResultAs';

type TransposedPanelCommandId = typeof COPY_COMMAND | typeof COPY_SNIPPET_COMMAND | typeof INSERT_RESULT_COMMAND | typeof COPY_RESULT_AS_COMMAND;

function activePanel(): TransposedConvolutionPanel | undefined {
  const panel = TransposedConvolutionPanel.active;
  if (!panel) void vscode.window.showErrorMessage('Layer Lens: no Layer Lens panel is open. Run “Layer Lens: Transposed Convolution (ConvTranspose2d)” first.');
  return panel;
}

/** The handlers of the four commands, by id (src/host/features.ts registers them with the others). */
export function transposedPanelCommands(): Record<TransposedPanelCommandId, (args: unknown) => Promise<unknown>> {
  return {
    // `{ kind: 'matrix', matrix: 'output', format: 'numpy' }` copies without asking; anything else asks.
    [COPY_COMMAND]: async (target: unknown) => {
      const panel = activePanel();
      return panel && copyFromPanel(panel, isCopyTarget(target) ? target : undefined);
    },
    [COPY_SNIPPET_COMMAND]: async () => {
      const panel = activePanel();
      return panel && copyFromPanel(panel, { kind: 'snippet' });
    },
    // `{ format: 'latex' }` copies without asking; otherwise a quick pick of the six notations.
    [COPY_RESULT_AS_COMMAND]: async (args: unknown) => {
      const format = formatArgument(args);
      if (format === null) return undefined;
      const panel = activePanel();
      if (!panel) return undefined;
      const chosen = format ?? (await pickFormat());
      return chosen && copyFromPanel(panel, { kind: 'matrix', matrix: 'output', format: chosen });
    },
    [INSERT_RESULT_COMMAND]: async () => {
      const panel = activePanel();
      return panel ? insertResultLiteral(panel) : false;
    },
  };
}

/** The `format` of `{ format }`; undefined when none is given, null (after saying why) when it names no notation. */
function formatArgument(args: unknown): CopyFormat | undefined | null {
  if (typeof args !== 'object' || args === null || !('format' in args)) return undefined;
  const format = (args as { format: unknown }).format;
  if ((COPY_FORMATS as readonly unknown[]).includes(format)) return format as CopyFormat;
  void vscode.window.showErrorMessage(`Layer Lens: Argument "format" must be one of ${COPY_FORMATS.join(', ')}, not ${JSON.stringify(format)}.`);
  return null;
}

async function pickFormat(): Promise<CopyFormat | undefined> {
  const items = COPY_FORMATS.map((format) => ({ label: COPY_FORMAT_LABELS[format], format }));
  const choice = await vscode.window.showQuickPick(items, { title: 'Layer Lens: Copy Result As', placeHolder: 'The notation to copy the output in' });
  return choice?.format;
}
