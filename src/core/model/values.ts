/**
 * The values the model reader computes with: Python's numbers, strings, containers and None, plus
 * tensors (known by their shape only), modules (the tree `__init__` builds) and what cannot be
 * known statically (`unknown`, with the reason). Two kinds of problem stop a reading: PyTorch would
 * raise ({@link TorchRaise}), or something needed is not known ({@link NotKnown}).
 */
import type { KerasMergeMismatch } from './kerasMismatch';
import type { ClassDef, FunctionDef, Param, Expr } from './pyAst';
import type { Support } from './support';
import type { ShapeMismatch } from './shapeMismatch';
import type { SymShape } from './symbolicShape';
import type { Dim } from './symbolicDim';

export type Value =
  | number
  | string
  | boolean
  | null
  | Tensor
  | PyList
  | PyTuple
  | PyDict
  | ModuleValue
  | FunctionValue
  | ClassValue
  | BuiltinValue
  | Unknown;

export interface Tensor {
  readonly k: 'tensor';
  readonly shape: readonly number[];
  /** Which input rows and columns reach each position (analyzeModel only; see support.ts). */
  readonly support?: Support;
  /** The shape as formulas of the input's named sizes (the model view's traced run only; see symbolicShape.ts). */
  readonly sym?: SymShape;
  /** The torch.nn layer that made it and that layer's input shape (for the fixes of a size mismatch). */
  readonly from?: { readonly node: ModuleNode; readonly input: readonly number[] };
}
export interface PyList {
  readonly k: 'list';
  items: Value[];
}
export interface PyTuple {
  readonly k: 'tuple';
  readonly items: readonly Value[];
}
export interface PyDict {
  readonly k: 'dict';
  readonly map: Map<string | number, Value>;
}
export interface ModuleValue {
  readonly k: 'module';
  readonly m: ModuleNode;
}
export interface FunctionValue {
  readonly k: 'fn';
  readonly def: FunctionDef | { readonly name: string; readonly params: readonly Param[]; readonly expr: Expr };
  readonly file: string;
  readonly scope: Scope;
  /** Bound `self` (a method read from an instance). */
  readonly self?: Value;
  readonly owner?: ClassValue;
  /** Default argument values, evaluated where the `def` stands, as Python does. */
  readonly defaults?: ReadonlyMap<string, Value>;
}
export interface ClassValue {
  readonly k: 'class';
  readonly def: ClassDef;
  readonly scope: Scope;
  /** The user class it derives from, if any. */
  readonly base?: ClassValue;
  /** The torch.nn container it derives from: `Module`, `Sequential`, `ModuleList`, `ModuleDict`. */
  readonly torchBase: string;
}
/** A name from a library (`torch.cat`, `nn.Conv2d`, `math.log`), optionally bound to a receiver (`x.view`). */
export interface BuiltinValue {
  readonly k: 'builtin';
  readonly name: string;
  readonly self?: Value;
  /** `functools.partial(f, …)`'s stored arguments. */
  readonly partialArgs?: readonly Value[];
  readonly partialKw?: ReadonlyMap<string, Value>;
}
export interface Unknown {
  readonly k: 'unknown';
  readonly reason: string;
}

/** A module of the model: a layer of torch.nn, a container, or an instance of a class of the source. */
export interface ModuleNode {
  readonly kind: 'layer' | 'sequential' | 'list' | 'dict' | 'instance';
  /** `Conv2d`, `Sequential`, the class name… */
  readonly type: string;
  readonly children: Map<string, ModuleNode>;
  readonly attrs: Map<string, Value>;
  readonly cls?: ClassValue;
  /** A torch.nn layer's arguments, by PyTorch's parameter names (defaults filled in). */
  readonly args?: ReadonlyMap<string, Value>;
  /** The layer's own parameter count, or why it is not known. */
  params: number | Unknown;
  /** The line of the constructor call (in `file`). */
  readonly line: number;
  readonly file: string;
  /** Sizes among its arguments written with names of the model's constructor (`out_channels: ngf·8`; see namedSizes.ts). */
  namedSizes?: Readonly<Record<string, Dim>>;
  /** The constructor call's offset in `file` (where its name starts), set when the call is read from source. */
  offset?: number;
  /** `named_modules()`'s name, set once the whole tree is built. */
  path: string;
}

export class Scope {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent?: Scope) {}
  get(name: string): Value | undefined {
    const v = this.vars.get(name);
    return v !== undefined ? v : this.parent?.get(name);
  }
  set(name: string, value: Value): void {
    this.vars.set(name, value);
  }
}

/** PyTorch would raise here (the message says why in words). */
export class TorchRaise extends Error {
  /** Two tensors that do not line up (see shapeMismatch.ts), when that is why. */
  mismatch?: ShapeMismatch;
  /** A Keras merge layer whose inputs do not line up (see kerasMismatch.ts), when that is why. */
  kerasMerge?: KerasMergeMismatch;
  /** When a torch.nn layer refuses its input: where that layer is constructed (its offset in `file`). */
  layerOffset?: number;
  constructor(
    message: string,
    public at: number,
    public file: string,
  ) {
    super(message);
  }
}

/** Something needed here cannot be known by reading the source. */
export class NotKnown extends Error {
  constructor(
    readonly reason: string,
    public at = -1,
    public file = '',
  ) {
    super(reason);
  }
}

export const tensor = (shape: readonly number[]): Tensor => ({ k: 'tensor', shape });
export const tuple = (items: readonly Value[]): PyTuple => ({ k: 'tuple', items });
export const list = (items: Value[]): PyList => ({ k: 'list', items });
export const unknown = (reason: string): Unknown => ({ k: 'unknown', reason });
export const moduleValue = (m: ModuleNode): ModuleValue => ({ k: 'module', m });

export function kindOf(v: Value): string {
  if (v === null) return 'None';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  return v.k;
}

export function isObj<K extends string>(v: Value, k: K): v is Extract<Value, { k: K }> {
  return v !== null && typeof v === 'object' && v.k === k;
}

/** Python's truth value; `unknown` refuses (the caller decides what not knowing means). */
export function truthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'boolean') return v;
  switch (v.k) {
    case 'list':
    case 'tuple':
      return v.items.length > 0;
    case 'dict':
      return v.map.size > 0;
    case 'unknown':
      throw new NotKnown(v.reason);
    case 'tensor':
      throw new NotKnown('the truth value of a tensor depends on its values');
    default:
      return true;
  }
}

/**
 * Told when a tensor is iterated: how many items come out is then its first size (the batch N),
 * read as a number that decides what runs (the traced run's formulas stop there; see symbolicShape.ts).
 */
let tensorIterated: (() => void) | null = null;
export function watchTensorIteration(hook: (() => void) | null): void {
  tensorIterated = hook;
}

/** The items of an iterable value (lists, tuples, dicts' keys, strings, ModuleLists…). */
export function itemsOf(v: Value): Value[] {
  if (typeof v === 'string') return [...v];
  if (v !== null && typeof v === 'object') {
    switch (v.k) {
      case 'list':
      case 'tuple':
        return [...v.items];
      case 'dict':
        return [...v.map.keys()];
      case 'module':
        if (v.m.kind === 'dict') return [...v.m.children.keys()];
        return [...v.m.children.values()].map(moduleValue);
      case 'tensor':
        if (v.shape.length === 0) break;
        tensorIterated?.();
        return Array.from({ length: v.shape[0] as number }, () => tensor(v.shape.slice(1)));
      case 'unknown':
        throw new NotKnown(v.reason);
      default:
    }
  }
  throw new NotKnown(`cannot iterate over a ${kindOf(v)}`);
}

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isObj(a, 'unknown') || isObj(b, 'unknown')) throw new NotKnown(isObj(a, 'unknown') ? a.reason : (b as Unknown).reason);
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (typeof b === 'boolean' && typeof a === 'number') return Number(b) === a;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if ((a.k === 'list' || a.k === 'tuple') && a.k === b.k) {
    const bi = (b as PyList | PyTuple).items;
    return a.items.length === bi.length && a.items.every((x, i) => equals(x, bi[i] as Value));
  }
  if (a.k === 'builtin' && b.k === 'builtin') return a.name === b.name && a.self === b.self;
  if (a.k === 'class' && b.k === 'class') return a.def === b.def;
  if (a.k === 'module' && b.k === 'module') return a.m === b.m;
  return false;
}

/** A number from a value (bools count as ints, as in Python). */
export function num(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isObj(v, 'unknown')) throw new NotKnown(v.reason);
  throw new NotKnown(`${what} is a ${kindOf(v)}, not a number`);
}

export function int(v: Value, what: string): number {
  const n = num(v, what);
  if (!Number.isInteger(n)) throw new NotKnown(`${what} is ${n}, not an integer`);
  return n;
}

/** An int or a tuple/list of ints (`kernel_size=3` or `(3, 5)`) as one int per axis. */
export function ints(v: Value, rank: number, what: string): number[] {
  if (isObj(v, 'tuple') || isObj(v, 'list')) {
    const out = v.items.map((x) => int(x, what));
    if (out.length === 1 && rank > 1) return Array.from({ length: rank }, () => out[0] as number);
    return out;
  }
  const n = int(v, what);
  return Array.from({ length: rank }, () => n);
}

export function asTensor(v: Value, what: string): Tensor {
  if (isObj(v, 'tensor')) return v;
  if (isObj(v, 'unknown')) throw new NotKnown(v.reason);
  throw new NotKnown(`${what} is a ${kindOf(v)}, not a tensor`);
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function spatialText(shape: readonly number[]): string {
  return shape.slice(2).join('×');
}

export function repr(v: Value): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  switch (v.k) {
    case 'list':
      return `[${v.items.map(repr).join(', ')}]`;
    case 'tuple':
      return `(${v.items.map(repr).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'tensor':
      return `tensor of shape ${shapeText(v.shape)}`;
    case 'module':
      return v.m.type;
    case 'unknown':
      return '?';
    default:
      return v.k;
  }
}
