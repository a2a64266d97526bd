/**
 * The bytes of a checkpoint file as the readers take them (a {@link ByteSource}). In the desktop
 * extension host a local file is read through a Node file handle, only the ranges a reader asks for
 * (a 1 GB safetensors file is listed from its header); that opener is handed in by the Node entry
 * (src/host/nodeFeatures.ts), since the browser's extension host has no Node. Everywhere else (the
 * web extension, a remote or virtual file) the file is read whole with `vscode.workspace.fs`.
 */
import * as vscode from 'vscode';
import { bytesSource, type ByteSource } from '../../core/checkpoint/types';

/** A byte source holding a file open until it is closed. */
export interface FileSource extends ByteSource {
  close(): void;
}

/** Opens a local file by its path for random access (Node only). */
export type OpenLocalFile = (fsPath: string) => FileSource;

export async function openFileSource(uri: vscode.Uri, openLocal: OpenLocalFile | undefined): Promise<FileSource> {
  if (uri.scheme === 'file' && openLocal) return openLocal(uri.fsPath);
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { ...bytesSource(bytes), close: () => undefined };
}
