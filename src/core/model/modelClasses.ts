/**
 * The model classes of a Python file, for the CodeLens, the hover and Inspect Model: each
 * `class Name(…Module):` line (`nn.Module`, `torch.nn.Module`, `Module`), with where its name is;
 * in a file that imports Keras, also each builder `def` whose body makes a `Model(…)` or
 * `Sequential(…)` and each module-level `name = …Model(…)` / `…Sequential(…)` (kerasModel.ts reads
 * them). Read line by line, not parsed: a CodeLens must not wait on the model reader.
 */

export interface ModelClass {
  readonly name: string;
  /** 0-based line of the `class` statement. */
  readonly line: number;
  /** Columns of the class name on that line. */
  readonly nameStart: number;
  readonly nameEnd: number;
  /** Set for a Keras model (a builder function or a variable holding one); a PyTorch class has none. */
  readonly framework?: 'keras';
}

const CLASS_LINE = /^class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:/;

/** Whether a base list names torch's Module (`nn.Module`, `torch.nn.Module`, `Module`). */
function derivesFromModule(bases: string): boolean {
  return bases.split(',').some((b) => /^(?:(?:torch\.)?nn\.)?Module$/.test(b.trim()));
}

const KERAS_IMPORT = /^[ \t]*(?:import|from)[ \t]+(?:tensorflow|keras|tf_keras)\b/m;
const DEF_LINE = /^def[ \t]+([A-Za-z_]\w*)[ \t]*\(/;
const MODEL_CALL = /\b(?:Model|Sequential)[ \t]*\(/;
const MODEL_ASSIGNMENT = /^([A-Za-z_]\w*)[ \t]*=[ \t]*(?:[\w.]+\.)?(?:Model|Sequential)[ \t]*\(/;

/** The Keras builders (`def` lines whose body, up to the next top-level line, calls `Model(`/`Sequential(`) and module-level model variables of `lines`. */
function kerasModels(lines: readonly string[], limit: number): ModelClass[] {
  const found: ModelClass[] = [];
  for (let line = 0; line < lines.length && found.length < limit; line++) {
    const text = lines[line] as string;
    const def = DEF_LINE.exec(text);
    const assignment = def ? null : MODEL_ASSIGNMENT.exec(text);
    const name = def?.[1] ?? assignment?.[1];
    if (name === undefined) continue;
    if (def) {
      let end = line + 1;
      while (end < lines.length && !/^[^\s#)\]}]/.test(lines[end] as string)) end++;
      if (!lines.slice(line + 1, end).some((l) => MODEL_CALL.test(l))) continue;
    }
    const nameStart = text.indexOf(name, def ? 4 : 0);
    found.push({ name, line, nameStart, nameEnd: nameStart + name.length, framework: 'keras' });
  }
  return found;
}

/** The models of `text`, in order: `nn.Module` classes, and Keras builders and model variables in a file that imports Keras; at most `limit`. */
export function findModelClasses(text: string, limit = 200): ModelClass[] {
  const lines = text.split(/\r?\n/);
  const torch = findTorchClasses(lines, limit);
  if (!KERAS_IMPORT.test(text)) return torch;
  // One name, one entry (a variable assigned twice keeps its first line).
  const names = new Set<string>();
  return [...torch, ...kerasModels(lines, limit)]
    .filter((c) => !names.has(c.name) && names.add(c.name))
    .sort((a, b) => a.line - b.line)
    .slice(0, limit);
}

function findTorchClasses(lines: readonly string[], limit: number): ModelClass[] {
  const found: ModelClass[] = [];
  for (let line = 0; line < lines.length && found.length < limit; line++) {
    const match = CLASS_LINE.exec(lines[line] as string);
    if (!match || !derivesFromModule(match[2] as string)) continue;
    const name = match[1] as string;
    const nameStart = (lines[line] as string).indexOf(name, 5);
    found.push({ name, line, nameStart, nameEnd: nameStart + name.length });
  }
  return found;
}

/**
 * The modules a file imports from (`from .unet_parts import Up` → `.unet_parts`, `import models.parts`
 * → `models.parts`), leaving out the libraries Layer Lens knows itself (torch, numpy, math…).
 */
export function importedModules(text: string): string[] {
  const known = /^(torch|torchvision|tensorflow|keras|tf_keras|numpy|math|functools|typing|collections|itertools|os|sys|re|abc|dataclasses|einops|__future__)(\.|$)/;
  const modules = new Set<string>();
  for (const match of text.matchAll(/^[ \t]*from\s+(\.*[\w.]*)\s+import\b|^[ \t]*import\s+([\w.]+(?:\s*,\s*[\w.]+)*)/gm)) {
    const names = match[1] !== undefined ? [match[1]] : (match[2] ?? '').split(',').map((n) => n.trim());
    for (const name of names) if (name && name.replace(/^\.+/, '') !== '' && !known.test(name)) modules.add(name);
  }
  return [...modules];
}

/** The file paths (relative, `/`-separated) a module name may be, from the importing file's folder or the workspace root. */
export function moduleFileCandidates(module: string): { readonly fromFile: string[]; readonly fromRoot: string[] } {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const parts = module.slice(dots).split('.');
  const path = parts.join('/');
  const up = dots > 1 ? '../'.repeat(dots - 1) : '';
  const files = (base: string) => [`${base}.py`, `${base}/__init__.py`];
  return { fromFile: files(`${up}${path}`), fromRoot: dots > 0 ? [] : files(path) };
}
