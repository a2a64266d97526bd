/** What the integration suites share: the samples folder, Layer Lens's settings, opening a sample, waiting. */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The repository's samples/ folder (the suites run from out/test/integration/). */
export const samples = path.resolve(__dirname, '../../../samples');

/** Layer Lens's settings. */
export const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('layerLens');

/** Opens samples/`name` in an editor and returns its document. */
export async function open(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(path.join(samples, name));
  await vscode.window.showTextDocument(document);
  return document;
}

export { until } from '../shared/until';

/**
 * A new untitled document holding `content`. Just after an untitled document closed, the extension
 * host may still hold it when VS Code hands its name to the next one, and `openTextDocument` then
 * returns the stale document with the old text: ask again until the document has the text asked for.
 */
export async function openUntitled(language: string, content: string): Promise<vscode.TextDocument> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const document = await vscode.workspace.openTextDocument({ language, content });
    if (document.getText() === content || Date.now() > deadline) return document;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The error notifications shown while `body` runs. Layer Lens's bundle and this test share the
 * extension's `vscode` API object, so wrapping `showErrorMessage` here sees the extension's calls.
 */
export async function errorsDuring(body: () => PromiseLike<unknown>): Promise<string[]> {
  return (await shownDuring('showErrorMessage', body)).shown;
}

/** The information notifications shown while `body` runs, and what it returned (as {@link errorsDuring}). */
export async function infosDuring<T>(body: () => PromiseLike<T>): Promise<{ result: T; infos: string[] }> {
  const { result, shown } = await shownDuring('showInformationMessage', body);
  return { result, infos: shown };
}

async function shownDuring<T>(method: 'showErrorMessage' | 'showInformationMessage', body: () => PromiseLike<T>): Promise<{ result: T; shown: string[] }> {
  const window = vscode.window as Record<typeof method, (message: string) => Thenable<undefined>>;
  const original = window[method];
  const shown: string[] = [];
  window[method] = (message: string) => {
    shown.push(message);
    return Promise.resolve(undefined);
  };
  try {
    return { result: await body(), shown };
  } finally {
    window[method] = original;
  }
}
