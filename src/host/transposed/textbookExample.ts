/**
 * "Layer Lens: Open the Textbook Example" (the walkthrough's first step): the textbook sample,
 * shipped in media/walkthrough/, opened as an untitled Python document (so nothing the user tries
 * changes the extension's copy) with the cursor in the input `x`. Returns the document's URI.
 */
import * as vscode from 'vscode';
import { UserFacingError } from '../common/arguments';
import { reportingProblems } from '../common/problems';

export const OPEN_TEXTBOOK_EXAMPLE_COMMAND = 'layerLens.openTextbookExample';

export function openTextbookExampleCommand(extensionUri: vscode.Uri): Promise<string | undefined> {
  return reportingProblems(async () => {
    const file = vscode.Uri.joinPath(extensionUri, 'media', 'walkthrough', 'textbook.py');
    let content: string;
    try {
      content = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch (error) {
      throw new UserFacingError(`The textbook example could not be read from ${file.toString()}: ${error instanceof Error ? error.message : String(error)}. Reinstall Layer Lens.`);
    }
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
    const offset = content.indexOf('x = [[') + 'x = [['.length;
    if (offset >= 'x = [['.length) {
      const position = document.positionAt(offset);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
    }
    return document.uri.toString();
  });
}
