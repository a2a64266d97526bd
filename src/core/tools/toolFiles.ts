/**
 * How a tool that reads files gets them: through the host that runs it, never by itself (the core
 * has no file system). VS Code reads through `workspace.fs` (so untrusted and virtual workspaces
 * behave), the MCP server and the command line through Node's `fs`. Paths are the caller's own
 * (absolute, or relative to the workspace folder or current directory); the host resolves them.
 */

export interface ToolFiles {
  /**
   * The file's bytes. Rejects with a {@link FileProblem} naming the file when it does not exist
   * (`missing`), is a folder, or holds more than `maxBytes` (checked before it is read).
   */
  read(path: string, maxBytes: number): Promise<Uint8Array>;
  /**
   * The names of the files (not folders) directly in `folder` (`''`: the workspace folder or the
   * current directory); `[]` when it is not a folder. Hosts that cannot list leave it out.
   */
  list?(folder: string): Promise<string[]>;
}

/** A file a tool could not read, in words naming it. `missing`: it does not exist (an import that is not a workspace file). */
export class FileProblem extends Error {
  override readonly name = 'FileProblem';
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
  }
}

/** The largest model source read (a model file is a few hundred lines; this is thousands of them). */
export const MAX_SOURCE_BYTES = 4 * 2 ** 20;
/** The largest checkpoint read: it is read whole into memory (VS Code's file system has no partial reads). */
export const MAX_CHECKPOINT_BYTES = 2 ** 30;

/** `n` bytes in words (`1.5 GB`, `300 KB`). */
export function byteSize(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** The refusal of a file larger than a tool reads, the same words in every host. */
export function tooLarge(path: string, size: number, maxBytes: number): FileProblem {
  return new FileProblem(`${path} is ${byteSize(size)}; Layer Lens reads files of at most ${byteSize(maxBytes)} here`);
}

/** The folder part of a path as written (`models/unet.py` → `models`, `unet.py` → `''`), `/` or `\`. */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? '' : path.slice(0, cut);
}

/** `folder` + `name`, with the folder's own separator (`''` + `x.py` → `x.py`). */
export function joinPath(folder: string, name: string): string {
  if (folder === '') return name;
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder}${separator}${name}`;
}
