/**
 * Which layer a call's name refers to: `nn.ConvTranspose2d`, `torch.nn.modules.conv.ConvTranspose2d`,
 * `tf.keras.layers.Conv2DTranspose`, `F.interpolate`, or a bare `ConvTranspose2d` imported from
 * `torch.nn`. The conventional module names (`nn`, `F`, `layers`, `tf`) are understood without
 * their import, which a notebook keeps in another cell and a snippet leaves out; imports seen in
 * the text add their own aliases (`import torch.nn as tnn`, `from torch.nn import Upsample as Up`).
 */
import { NAMESPACES, type LayerSignature, type Namespace } from './layerSignatures';

/** Module paths that hold the layers of each namespace, as written in full or imported. */
const MODULE_NAMESPACES: ReadonlyMap<string, Namespace> = new Map<string, Namespace>([
  ['torch.nn', 'torch.nn'],
  ['torch.nn.modules', 'torch.nn'],
  ['torch.nn.modules.conv', 'torch.nn'],
  ['torch.nn.modules.pooling', 'torch.nn'],
  ['torch.nn.modules.upsampling', 'torch.nn'],
  ['torch.nn.modules.pixelshuffle', 'torch.nn'],
  ['torch.nn.functional', 'torch.nn.functional'],
  ['keras.layers', 'keras.layers'],
  ['tensorflow.keras.layers', 'keras.layers'],
  ['flax.linen', 'flax.linen'],
]);

/**
 * What the first segment of a dotted name conventionally stands for. `nn` is PyTorch's or Flax's;
 * the layer name decides, as the two share none.
 */
const CONVENTIONAL_MODULES: ReadonlyMap<string, readonly string[]> = new Map([
  ['nn', ['torch.nn', 'flax.linen']],
  ['F', ['torch.nn.functional']],
  ['functional', ['torch.nn.functional']],
  ['torch', ['torch']],
  ['layers', ['keras.layers']],
  ['keras', ['keras']],
  ['tf', ['tensorflow']],
  ['tensorflow', ['tensorflow']],
  ['linen', ['flax.linen']],
  ['flax', ['flax']],
]);

/** Class names (not functions: `conv2d(` alone is too common a name) recognised bare, without an import. */
const BARE_CLASSES: ReadonlyMap<string, LayerSignature> = new Map(
  (['torch.nn', 'keras.layers', 'flax.linen'] as const).flatMap((namespace) => [...NAMESPACES[namespace]]),
);

/** Every layer's own name, for screening called names before resolving them. */
const LAYER_NAMES: ReadonlySet<string> = new Set(Object.values(NAMESPACES).flatMap((namespace) => [...namespace.keys()]));

/** Whether defining `name` (a `class` or `def`) can change what a call resolves to: a layer's name or a conventional module's. */
export function isBoundName(name: string): boolean {
  return LAYER_NAMES.has(name) || CONVENTIONAL_MODULES.has(name);
}

/** Names bound by the imports and definitions read so far. */
export class NameScope {
  /** `tnn` → `torch.nn` (from `import torch.nn as tnn` or `from torch import nn as tnn`). */
  private readonly modules = new Map<string, string>();
  /** `Up` → the signature of `torch.nn.Upsample` (from `from torch.nn import Upsample as Up`). */
  private readonly symbols = new Map<string, LayerSignature>();

  /** Records `import <path> as <alias>` (or `from a import b as alias`, with path `a.b`). */
  bindModule(alias: string, path: string): void {
    this.modules.set(alias, path);
    // `from torch.nn import Upsample as Up` reads like a module import until the name is known to be a layer.
    const dot = path.lastIndexOf('.');
    const namespace = MODULE_NAMESPACES.get(path.slice(0, dot));
    const signature = namespace && NAMESPACES[namespace].get(path.slice(dot + 1));
    if (signature) this.symbols.set(alias, signature);
    else this.symbols.delete(alias);
  }

  /** Records `class <name>` or `def <name>`: a bare call of that name is to the user's own code. */
  bindLocal(name: string): void {
    this.modules.set(name, '');
    this.symbols.delete(name);
  }

  /** Records `from <path> import *`: every layer of that module becomes a bare name. */
  bindAll(path: string): void {
    const namespace = MODULE_NAMESPACES.get(path);
    if (namespace) for (const [name, signature] of NAMESPACES[namespace]) this.symbols.set(name, signature);
  }

  /** The layer the called name `text[start, end)` refers to, if any; cheap for the many names that are no layer's. */
  resolveAt(text: string, start: number, end: number): LayerSignature | undefined {
    // Look for the dot within the name only: `lastIndexOf` would read back to the start of the document for every dotless name.
    let dot = end - 1;
    while (dot >= start && text.charCodeAt(dot) !== 46) dot--;
    if (dot >= start && !LAYER_NAMES.has(text.slice(dot + 1, end))) return undefined;
    return this.resolve(text.slice(start, end));
  }

  /** The layer a called name refers to, if any. */
  resolve(dottedName: string): LayerSignature | undefined {
    const dot = dottedName.lastIndexOf('.');
    // A bare name bound to something else (`from mylib import Conv2D`, `class Conv2D:`) is not the framework's.
    if (dot < 0) return this.symbols.get(dottedName) ?? (this.modules.has(dottedName) ? undefined : BARE_CLASSES.get(dottedName));
    const member = dottedName.slice(dot + 1);
    const qualifier = dottedName.slice(0, dot);
    const firstDot = qualifier.indexOf('.');
    const head = firstDot < 0 ? qualifier : qualifier.slice(0, firstDot);
    const rest = firstDot < 0 ? '' : qualifier.slice(firstDot);
    const imported = this.modules.get(head);
    const heads = imported !== undefined ? [imported] : (CONVENTIONAL_MODULES.get(head) ?? []);
    for (const expanded of heads) {
      const namespace = MODULE_NAMESPACES.get(expanded + rest);
      const signature = namespace && NAMESPACES[namespace].get(member);
      if (signature) return signature;
    }
    return undefined;
  }
}
