/**
 * How every Layer Lens command ends when something is wrong: a problem the user (or the caller)
 * can fix is shown as an error notification naming it and the place, with a **Show** button when
 * it points into a document, and the command returns `undefined`; anything else is a bug and
 * propagates.
 */
import * as vscode from 'vscode';
import { LayerError } from '../../core/engine/errors';
import { UserFacingError } from './arguments';

/** Runs a command body, turning the user's problems into notifications and cancellation into `undefined`. */
export async function reportingProblems<T>(body: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof vscode.CancellationError) return undefined;
    if (error instanceof UserFacingError || error instanceof LayerError) {
      void showProblem(error);
      return undefined;
    }
    throw error;
  }
}

export async function showProblem(error: UserFacingError | LayerError): Promise<void> {
  const message = `Layer Lens: ${error.message}`;
  const reveal = error instanceof UserFacingError ? error.reveal : undefined;
  if (!reveal) {
    await vscode.window.showErrorMessage(message);
    return;
  }
  const choice = await vscode.window.showErrorMessage(message, 'Show');
  if (choice === 'Show') {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(reveal.uri));
    const range = new vscode.Range(document.positionAt(reveal.start), document.positionAt(reveal.end));
    await vscode.window.showTextDocument(document, { selection: range });
  }
}
