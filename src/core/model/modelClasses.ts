/**
 * The model classes of a Python file, for the CodeLens, the hover and Inspect Model: each
 * `class Name(…Module):` line (`nn.Module`, `torch.nn.Module`, `Module`), with where its name is.
 * Read line by line, not parsed: a CodeLens must not wait on the model reader.
 */

export interface ModelClass {
  readonly name: string;
  /** 0-based line of the `class` statement. */
  readonly line: number;
  /** Columns of the class name on that line. */
  readonly nameStart: number;
  readonly nameEnd: number;
}

const CLASS_LINE = /^class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:/;

/** Whether a base list names torch's Module (`nn.Module`, `torch.nn.Module`, `Module`). */
function derivesFromModule(bases: string): boolean {
  return bases.split(',').some((b) => /^(?:(?:torch\.)?nn\.)?Module$/.test(b.trim()));
}

/** The classes of `text` that derive from `nn.Module` directly, in order; at most `limit`. */
export function findModelClasses(text: string, limit = 200): ModelClass[] {
  const found: ModelClass[] = [];
  const lines = text.split(/\r?\n/);
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
  const known = /^(torch|torchvision|numpy|math|functools|typing|collections|itertools|os|sys|re|abc|dataclasses|einops|__future__)(\.|$)/;
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
