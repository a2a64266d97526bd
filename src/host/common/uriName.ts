import type * as vscode from 'vscode';

/**
 * The last segment of a document's URI (`model.py`, `Untitled-1`), for messages. Read from the URI
 * rather than a file path because a web extension has no Node `path` module and documents there
 * need not be files.
 */
export function uriBaseName(uri: vscode.Uri): string {
  const path = uri.path.replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}
