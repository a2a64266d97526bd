/**
 * The tools' files outside VS Code (the MCP server, the command line): Node's file system, paths
 * relative to the current directory. The size is checked before a byte is read.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { FileProblem, tooLarge, type ToolFiles } from '../core/tools/toolFiles';

export const nodeFiles: ToolFiles = {
  async read(path, maxBytes) {
    let size: number;
    try {
      const info = await stat(path);
      if (info.isDirectory()) throw new FileProblem(`${path} is a folder, not a file`);
      size = info.size;
    } catch (error) {
      if (error instanceof FileProblem) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new FileProblem(code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${(error as Error).message}`, code === 'ENOENT' || code === 'ENOTDIR');
    }
    if (size > maxBytes) throw tooLarge(path, size, maxBytes);
    try {
      return await readFile(path);
    } catch (error) {
      throw new FileProblem(`cannot read ${path}: ${(error as Error).message}`);
    }
  },
  async list(folder) {
    try {
      return (await readdir(folder === '' ? '.' : folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    } catch {
      return [];
    }
  },
};
