import type * as vscode from 'vscode';
import { window } from 'vscode';

/** The document's indentation: its editor's setting when it is shown, otherwise four spaces (PEP 8). */
export function indentUnitOf(document: vscode.TextDocument): string {
  const options = window.visibleTextEditors.find((editor) => editor.document === document)?.options;
  if (!options) return '    ';
  if (options.insertSpaces === false) return '\t';
  const size = typeof options.indentSize === 'number' ? options.indentSize : typeof options.tabSize === 'number' ? options.tabSize : 4;
  return ' '.repeat(size);
}
