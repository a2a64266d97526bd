/**
 * Which documents a command may open when it is handed a URI: one the user already has open in VS
 * Code (an editor, an untitled file, a notebook's cell), or a file inside one of the workspace's
 * folders. A URI in a command's arguments can come from anything that runs commands (a link,
 * another extension, a tool), and a restored panel's URI from the page's saved state; neither is
 * the user's own choice, so without this check a command would read any file the extension host
 * can reach and show it in a panel.
 */
import * as vscode from 'vscode';
import { UserFacingError } from './arguments';

/** The document open in VS Code (an editor's, an untitled one, a notebook cell's) at `uri`, if any. */
function openDocumentAt(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  const cells = vscode.workspace.notebookDocuments.flatMap((notebook) => notebook.getCells().map((cell) => cell.document));
  return [...vscode.workspace.textDocuments, ...cells].find((document) => document.uri.toString() === key && !document.isClosed);
}

/** True when `uri` names a file under a workspace folder (same scheme and authority), with no `.` or `..` segment to climb out of it. */
function inWorkspace(uri: vscode.Uri): boolean {
  if (uri.path.split('/').some((segment) => segment === '..' || segment === '.')) return false;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder !== undefined && uri.toString() !== folder.uri.toString();
}

/**
 * The document at `uri` when the user has it open or the workspace holds it, opened if need be;
 * otherwise a {@link UserFacingError} saying why `who` does not open it.
 */
export async function openUserDocument(uri: vscode.Uri, who: string): Promise<vscode.TextDocument> {
  const open = openDocumentAt(uri);
  if (open) return open;
  if (!inWorkspace(uri)) {
    throw new UserFacingError(`${who} opens only a document that is open in VS Code or a file in the workspace; ${uri.toString()} is neither: open it yourself first.`);
  }
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch (error) {
    throw new UserFacingError(`Cannot open ${uri.toString()}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `text` as a URI, or a {@link UserFacingError} naming it. */
export function parseDocumentUri(text: string): vscode.Uri {
  try {
    return vscode.Uri.parse(text, true);
  } catch {
    throw new UserFacingError(`"${text.slice(0, 200)}" is not a document's URI (a string such as "file:///…/model.py").`);
  }
}
