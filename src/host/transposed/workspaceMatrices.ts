/**
 * Set Kernel's search of the workspace's files for matrices: each file is read here (asynchronous
 * file system calls) and searched in the engine worker, so the extension host's thread never runs
 * the finder on hundreds of files. The search has a time budget: it stops after
 * {@link SCAN_BUDGET_MS} and says how many files it read; it stops too when its token is
 * cancelled (the picker closed). A file's search is never interrupted (that would stop the shared
 * worker's other jobs); files are at most {@link MAX_FILE_BYTES}, so one search is short.
 */
import * as vscode from 'vscode';
import type { ListedMatrix } from '../../core/worker/matrixListing';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';

/** Workspace files larger than this are not read for the list (open them to use their matrices). */
export const MAX_FILE_BYTES = 512 * 1024;
/** The longest the search of the workspace runs before it stops and says so. */
export const SCAN_BUDGET_MS = 3000;
/** Files searched at most. */
export const MAX_FILES = 200;

/** The languages of the files searched, by extension. */
export const FILE_LANGUAGES: Readonly<Record<string, string>> = {
  py: 'python', json: 'json', m: 'matlab', jl: 'julia', r: 'r', tex: 'latex', md: 'markdown', csv: 'csv', tsv: 'tsv',
};

/** One file's matrices, as the worker listed them. */
export interface FileMatrices {
  readonly uri: vscode.Uri;
  readonly languageId: string;
  readonly matrices: readonly ListedMatrix[];
}

/** How a search ended: files read of those found; `stopped` when the time budget ran out first. */
export interface ScanOutcome {
  readonly read: number;
  readonly total: number;
  readonly stopped: boolean;
}

export interface ScanOptions {
  readonly engine: EngineWorkerClient;
  readonly token: vscode.CancellationToken;
  /** Called with each file's matrices as they arrive. */
  readonly onFile: (file: FileMatrices) => void;
  readonly budgetMs?: number;
}

/** The workspace's files of the languages Set Kernel reads, outside build and dependency folders, in path order. */
export async function workspaceMatrixFiles(token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const uris = await vscode.workspace.findFiles(`**/*.{${Object.keys(FILE_LANGUAGES).join(',')}}`, '**/{node_modules,.git,.cache,out,dist}/**', MAX_FILES, token);
  return uris.sort((a, b) => a.path.localeCompare(b.path));
}

/** Reads `uris` one by one and lists each one's matrices in the worker, within the budget. */
export async function scanFiles(uris: readonly vscode.Uri[], options: ScanOptions): Promise<ScanOutcome> {
  const started = Date.now();
  const budget = options.budgetMs ?? SCAN_BUDGET_MS;
  let read = 0;
  for (const uri of uris) {
    if (options.token.isCancellationRequested) break;
    if (Date.now() - started > budget) return { read, total: uris.length, stopped: true };
    read++;
    const text = await readSmallFile(uri);
    if (text === undefined) continue;
    const extension = uri.path.slice(uri.path.lastIndexOf('.') + 1).toLowerCase();
    const languageId = FILE_LANGUAGES[extension] ?? 'plaintext';
    const matrices = await options.engine.listMatrices(text, languageId);
    if (matrices.length > 0 && !options.token.isCancellationRequested) options.onFile({ uri, languageId, matrices });
  }
  return { read, total: uris.length, stopped: false };
}

/** The file's text, or undefined when it is larger than {@link MAX_FILE_BYTES} or cannot be read (deleted meanwhile, a virtual file system refusing). */
async function readSmallFile(uri: vscode.Uri): Promise<string | undefined> {
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
