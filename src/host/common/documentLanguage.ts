/**
 * The language Layer Lens reads a document in, which is not always VS Code's language id: a `.m`
 * file is `objective-c` in a VS Code without a MATLAB extension, and is read as `matlab` when its
 * text is MATLAB (see src/core/parse/matlabSource.ts). An Objective-C file is not read at all.
 */
import type * as vscode from 'vscode';
import { isMatlabSource } from '../../core/parse/matlabSource';

/** VS Code's id for `.m` files when no MATLAB extension claims them. */
export const OBJECTIVE_C = 'objective-c';

/** `matlab` for a MATLAB `.m` file opened as Objective-C, undefined for real Objective-C, else the document's language id. */
export function readingLanguage(document: Pick<vscode.TextDocument, 'languageId' | 'getText'>, text?: string): string | undefined {
  if (document.languageId !== OBJECTIVE_C) return document.languageId;
  return isMatlabSource(text ?? document.getText()) ? 'matlab' : undefined;
}
