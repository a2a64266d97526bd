/**
 * The files of the workspace a model file imports (`from .unet_parts import Up` → `unet_parts.py`
 * beside it), read through the host, so `analyzeModel` gets them as its `files`. Only the imports
 * the interpreter resolves are looked for (a relative import, or a dotted name whose last part is a
 * file beside the importer); packages such as torch are never looked for, and a file that does
 * not exist is simply not among the files (the interpreter then says the name is not known).
 */
import { folderOf, joinPath, MAX_SOURCE_BYTES, FileProblem, type ToolFiles } from './toolFiles';
import { utf8 } from '../checkpoint/elements';

/** Packages a model imports that are never workspace files. */
const LIBRARIES = new Set(['torch', 'torchvision', 'torchaudio', 'numpy', 'math', 'typing', 'functools', 'itertools', 'collections', 'os', 'sys', 'einops', 'timm', 'tensorflow', 'keras', 'jax', 'flax', 'dataclasses', 'abc', 'copy', 'warnings', '__future__']);

/** Files read at most, the main one included (a model's parts are a handful of files). */
const MAX_FILES = 32;

export interface ModelSources {
  readonly source: string;
  /** The imported files by path, as `analyzeModel` takes them. */
  readonly files: Readonly<Record<string, string>>;
}

/** The paths a file's imports may name, beside it (or up its folders for `..`). */
export function importCandidates(text: string, path: string): string[] {
  const folder = folderOf(path);
  const found: string[] = [];
  for (const match of text.matchAll(/^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^#\n)]*)/gm)) {
    const dots = (match[1] ?? '').length;
    const parts = (match[2] ?? '').split('.').filter((p) => p !== '');
    if (dots === 0 && (parts.length === 0 || LIBRARIES.has(parts[0] as string))) continue;
    let base = folder;
    for (let up = 1; up < dots; up++) base = folderOf(base);
    if (parts.length === 0) {
      // `from . import unet_parts`: each name is a module beside the importer.
      for (const name of (match[3] ?? '').split(',')) {
        const module = name.trim().split(/\s+/)[0];
        if (module && /^\w+$/.test(module)) found.push(joinPath(base, `${module}.py`));
      }
      continue;
    }
    found.push(joinPath(base, `${parts.join('/')}.py`));
    // `from models.layers import X` run from the project root: the file may also be beside the importer (the interpreter matches by file name).
    if (dots === 0 && parts.length > 1) found.push(joinPath(base, `${parts[parts.length - 1] as string}.py`));
  }
  for (const match of text.matchAll(/^[ \t]*import[ \t]+([\w.]+)/gm)) {
    const parts = (match[1] ?? '').split('.');
    if (LIBRARIES.has(parts[0] as string)) continue;
    found.push(joinPath(folder, `${parts.join('/')}.py`));
  }
  return [...new Set(found)];
}

/** Reads the model file and, transitively, the workspace files it imports. A main file that cannot be read rejects with a {@link FileProblem}. */
export async function readModelSources(files: ToolFiles, path: string): Promise<ModelSources> {
  const source = utf8(await files.read(path, MAX_SOURCE_BYTES));
  const imported: Record<string, string> = {};
  const seen = new Set([path]);
  const queue = importCandidates(source, path);
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const next = queue.shift() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    let text: string;
    try {
      text = utf8(await files.read(next, MAX_SOURCE_BYTES));
    } catch (error) {
      // An import that is not a file of the workspace is a library (or a name the interpreter reports).
      if (error instanceof FileProblem && error.missing) continue;
      throw error;
    }
    imported[next] = text;
    queue.push(...importCandidates(text, next));
  }
  return { source, files: imported };
}

/** The folders looked in for calls of a model class: its own and at most this many above it. */
const CALLER_FOLDERS_UP = 2;
/** Files that may build the class, read at most. */
const MAX_CALLERS = 32;

/**
 * The Python files near a model file that name its class (`hubconf.py`, `train.py` in the folder
 * above `unet/unet_model.py`): where a call of the class may give the arguments its `__init__`
 * requires. Its own folder and up to two above it, not their subfolders, and never above the
 * folder a relative path starts from; nothing when the host cannot list folders.
 */
export async function readCallers(files: ToolFiles, path: string, className: string, known: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  if (!files.list || !/^[A-Za-z_]\w*$/.test(className)) return {};
  const word = new RegExp(`\\b${className}\\b`);
  const callers: Record<string, string> = {};
  let folder = folderOf(path);
  for (let up = 0; up <= CALLER_FOLDERS_UP && Object.keys(callers).length < MAX_CALLERS; up++) {
    for (const name of (await files.list(folder)).filter((n) => n.endsWith('.py')).sort()) {
      const file = joinPath(folder, name);
      if (file === path || Object.keys(callers).length >= MAX_CALLERS) continue;
      let text = known[file];
      if (text === undefined) {
        try {
          text = utf8(await files.read(file, MAX_SOURCE_BYTES));
        } catch {
          continue;
        }
      }
      if (word.test(text)) callers[file] = text;
    }
    const parent = folderOf(folder);
    // Not above where a relative path starts, nor above the root of an absolute one.
    if (folder === '' || parent === folder || (parent === '' && /^[/\\]/.test(path))) break;
    folder = parent;
  }
  return callers;
}
