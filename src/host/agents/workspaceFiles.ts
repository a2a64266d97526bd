/**
 * The tools' files in VS Code: read through `vscode.workspace.fs` only, so a virtual workspace
 * (a remote repository, a `memfs:` folder) is read through its provider and nothing bypasses
 * VS Code. A relative path is taken in the first workspace folder that has it. The size is
 * checked (`stat`) before the file is read.
 */
import * as vscode from 'vscode';
import { FileProblem, tooLarge, type ToolFiles } from '../../core/tools/toolFiles';

/** The URIs a path may name: itself when absolute (a path or a URI), else in each workspace folder. */
function candidates(path: string): vscode.Uri[] {
  if (/^[a-zA-Z][\w+.-]+:\/\//.test(path)) return [vscode.Uri.parse(path)];
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path)) {
    // An absolute path in a virtual workspace is a path of its scheme, not of the local disk.
    const folder = vscode.workspace.workspaceFolders?.[0];
    return [folder && folder.uri.scheme !== 'file' ? folder.uri.with({ path: path.replace(/\\/g, '/') }) : vscode.Uri.file(path)];
  }
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.Uri.joinPath(folder.uri, ...parts));
}

export const workspaceFiles: ToolFiles = {
  async read(path, maxBytes) {
    const uris = candidates(path);
    if (uris.length === 0) throw new FileProblem(`${path} is a relative path and no folder is open to find it in: give an absolute path`, true);
    for (const uri of uris) {
      let stat: vscode.FileStat;
      try {
        stat = await vscode.workspace.fs.stat(uri);
      } catch {
        continue;
      }
      if (stat.type & vscode.FileType.Directory) throw new FileProblem(`${path} is a folder, not a file`);
      if (stat.size > maxBytes) throw tooLarge(path, stat.size, maxBytes);
      try {
        return await vscode.workspace.fs.readFile(uri);
      } catch (error) {
        throw new FileProblem(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new FileProblem(`${path} does not exist${uris.length > 1 ? ' in any workspace folder' : ''}`, true);
  },
  async list(folder) {
    const uri = folder === '' ? vscode.workspace.workspaceFolders?.[0]?.uri : candidates(folder)[0];
    if (!uri) return [];
    try {
      return (await vscode.workspace.fs.readDirectory(uri)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
    } catch {
      return [];
    }
  },
};
