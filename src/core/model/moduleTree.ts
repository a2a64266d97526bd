/**
 * The module tree `__init__` builds: torch.nn layers and containers (`Sequential` from layers or an
 * `OrderedDict`, `ModuleList`, `ModuleDict`), their list-like methods (`append`, `extend`,
 * `add_module`…), and attribute assignment as `nn.Module.__setattr__` does it (a module assigned to
 * `self.x` is registered as a child, keeping the place of a name assigned before).
 */
import { bindLayerArgs, isKnownLayer, layerParams } from './nnLayers';
import type { Keywords } from './tensorOps';
import { int, isObj, itemsOf, kindOf, list, moduleValue, NotKnown, repr, TorchRaise, tuple, unknown, type ClassValue, type ModuleNode, type Value } from './values';

/**
 * `nn.Conv2d(…)`, `nn.Sequential(…)`…: a new module node. `offset`: where the call is, to the
 * character (a line may hold several: `[nn.ReflectionPad2d(3), nn.Conv2d(…)]`), for the stack view.
 */
export function constructModule(type: string, args: readonly Value[], kw: Keywords, line: number, file: string, offset = -1): Value {
  const made = constructNode(type, args, kw, line, file);
  if (offset >= 0 && isObj(made, 'module')) made.m.offset = offset;
  return made;
}

function constructNode(type: string, args: readonly Value[], kw: Keywords, line: number, file: string): Value {
  switch (type) {
    case 'Sequential': {
      const node = newNode('sequential', type, line, file);
      fillSequential(node, args);
      return moduleValue(node);
    }
    case 'ModuleList': {
      const node = newNode('list', type, line, file);
      const items = args[0] ?? kw.get('modules');
      if (items !== undefined && items !== null) for (const m of itemsOf(items)) addChild(node, m);
      return moduleValue(node);
    }
    case 'ModuleDict': {
      const node = newNode('dict', type, line, file);
      const items = args[0] ?? kw.get('modules');
      if (items !== undefined && items !== null) fillDict(node, items);
      return moduleValue(node);
    }
    case 'Module':
      return moduleValue(newNode('instance', type, line, file));
    default:
  }
  if (!isKnownLayer(type)) return unknown(`nn.${type} is not a layer Layer Lens reads`);
  const bound = bindLayerArgs(type, args, kw);
  const node = newNode('layer', type, line, file, undefined, bound);
  node.params = layerParams(type, bound);
  return moduleValue(node);
}

export function moduleMethod(self: Value, name: string, args: readonly Value[], kw: Keywords): Value {
  if (!isObj(self, 'module')) throw new NotKnown(`.${name}() is not read`);
  const m = self.m;
  switch (name) {
    case 'append':
      addChild(m, args[0] ?? null);
      return self;
    case 'extend':
      for (const v of itemsOf(args[0] ?? null)) addChild(m, v);
      return self;
    case 'add_module':
    case 'register_module':
      if (isObj(args[1] ?? null, 'module')) m.children.set(String(args[0]), (args[1] as { m: ModuleNode }).m);
      return null;
    case 'modules':
      return list(namedModules(m).map(([, node]) => moduleValue(node)));
    case 'named_modules':
      return list(namedModules(m).map(([path, node]) => tuple([path, moduleValue(node)])));
    case 'named_children':
      return list([...m.children.entries()].map(([k, v]) => tuple([k, moduleValue(v)])));
    case 'parameters':
    case 'named_parameters':
      return unknown("the parameters' values are not known statically");
    case 'keys':
      return list([...m.children.keys()]);
    case 'values':
    case 'children':
      return list([...m.children.values()].map(moduleValue));
    case 'items':
      return list([...m.children.entries()].map(([k, v]) => tuple([k, moduleValue(v)])));
    case 'register_buffer':
    case 'register_parameter':
      if (typeof args[0] === 'string') m.attrs.set(args[0], args[1] ?? null);
      return null;
    case 'apply':
    case 'train':
    case 'eval':
    case 'to':
    case 'cuda':
    case 'cpu':
    case 'float':
      return self;
    case 'insert': {
      const kids = [...m.children.values()];
      const i = int(args[0] ?? null, 'index');
      if (isObj(args[1] ?? null, 'module')) kids.splice(i < 0 ? i + kids.length : i, 0, (args[1] as { m: ModuleNode }).m);
      m.children.clear();
      kids.forEach((k, j) => m.children.set(String(j), k));
      return null;
    }
    default:
      throw new NotKnown(`${m.type}.${name}() is not read`);
  }
  void kw;
}

/** `nn.Module.__init__` / `nn.Sequential.__init__(*layers)` / `nn.ModuleList.__init__(layers)`. */
export function torchInit(node: ModuleNode, args: readonly Value[]): void {
  if (node.kind === 'sequential') fillSequential(node, args);
  else if (node.kind === 'list' && args[0] !== undefined) for (const m of itemsOf(args[0])) addChild(node, m);
  else if (node.kind === 'dict' && args[0] !== undefined) fillDict(node, args[0]);
}


/** A method or class attribute along the class chain. */
export function lookup(cls: ClassValue, name: string): Value | undefined {
  for (let c: ClassValue | undefined = cls; c; c = c.base) {
    const v = c.scope.vars.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function newNode(kind: ModuleNode['kind'], type: string, line: number, file: string, cls?: ClassValue, args?: ReadonlyMap<string, Value>): ModuleNode {
  return { kind, type, children: new Map(), attrs: new Map(), cls, args, params: 0, line, file, path: undefined as unknown as string };
}

export function setModuleAttr(m: ModuleNode, name: string, value: Value): void {
  if (isObj(value, 'module')) {
    m.attrs.delete(name);
    m.children.set(name, value.m);
  } else {
    m.children.delete(name);
    m.attrs.set(name, value);
  }
}

export function addChild(m: ModuleNode, v: Value): void {
  if (isObj(v, 'module')) m.children.set(String(m.children.size), v.m);
  else if (isObj(v, 'unknown')) m.attrs.set(`unread${m.children.size}`, v);
  else throw new TorchRaise(`${m.type} can only hold modules, not a ${kindOf(v)}`, -1, '');
}

export function fillSequential(node: ModuleNode, args: readonly Value[]): void {
  const first = args[0];
  if (args.length === 1 && first !== undefined && isObj(first, 'dict')) {
    for (const [k, v] of first.map) if (isObj(v, 'module')) node.children.set(String(k), v.m);
    return;
  }
  // OrderedDict([('conv', …), …]) arrives as a list of pairs.
  if (args.length === 1 && first !== undefined && isObj(first, 'builtin') === false && isObj(first, 'list') && first.items.every((p) => isObj(p, 'tuple'))) {
    for (const p of first.items) {
      const [k, v] = (p as { readonly items: readonly Value[] }).items;
      if (isObj(v ?? null, 'module')) node.children.set(String(k), (v as { m: ModuleNode }).m);
    }
    return;
  }
  for (const a of args) addChild(node, a);
}

export function fillDict(node: ModuleNode, items: Value): void {
  const pairs = isObj(items, 'dict') ? [...items.map.entries()] : itemsOf(items).map((p) => itemsOf(p) as [string, Value]);
  for (const [k, v] of pairs) if (isObj(v, 'module')) node.children.set(String(k), v.m);
}

export function dictKey(v: Value): string | number {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return repr(v);
}

export function normalizeIndex(i: number, length: number): number {
  return i < 0 ? i + length : i;
}

export function slicePython<T>(items: readonly T[], lo: number | null, hi: number | null, step: number): T[] {
  const n = items.length;
  if (step === 0) throw new NotKnown('slice step cannot be zero');
  const out: T[] = [];
  if (step > 0) {
    const start = lo === null ? 0 : Math.min(Math.max(lo < 0 ? lo + n : lo, 0), n);
    const stop = hi === null ? n : Math.min(Math.max(hi < 0 ? hi + n : hi, 0), n);
    for (let i = start; i < stop; i += step) out.push(items[i] as T);
  } else {
    const start = lo === null ? n - 1 : Math.min(Math.max(lo < 0 ? lo + n : lo, -1), n - 1);
    const stop = hi === null ? -1 : Math.min(Math.max(hi < 0 ? hi + n : hi, -1), n - 1);
    for (let i = start; i > stop; i += step) out.push(items[i] as T);
  }
  return out;
}


/** `named_modules()`: every module once, depth first, with its dotted name (`''` for `m` itself). */
export function namedModules(m: ModuleNode): [string, ModuleNode][] {
  const seen = new Set<ModuleNode>();
  const out: [string, ModuleNode][] = [];
  const visit = (node: ModuleNode, path: string): void => {
    if (seen.has(node)) return;
    seen.add(node);
    out.push([path, node]);
    for (const [name, child] of node.children) visit(child, path === '' ? name : `${path}.${name}`);
  };
  visit(m, '');
  return out;
}
