/**
 * Python's builtins, `math`, `collections.OrderedDict` and the methods of lists, dicts and strings,
 * as far as model definitions use them (`range`, `len`, `int`, `zip`, `enumerate`, `reversed`,
 * `list.append`, `dict.items`…). Anything else is {@link NotKnown}.
 */
import type { SymbolState } from './symbolicShape';
import { equals, int, isObj, itemsOf, kindOf, list, NotKnown, num, repr, truthy, tuple, unknown, type BuiltinValue, type Value } from './values';

export interface Caller {
  call(fn: Value, args: readonly Value[], kw: ReadonlyMap<string, Value>, at: number): Value;
  /** The formulas of sizes followed in this run, told when a size is read or a loop's length decided. */
  readonly symbols?: SymbolState | null;
}

/** Longest `range` the reader unrolls: loops in model definitions count layers, not data. */
const RANGE_LIMIT = 100_000;

export function callBuiltin(name: string, self: Value | undefined, args: readonly Value[], kw: ReadonlyMap<string, Value>, caller: Caller): Value {
  const a0 = args[0] ?? null;
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (name.startsWith('builtins.')) return builtin(last, args, kw, caller);
  if (name.startsWith('math.')) return mathFunction(last, args);
  if (name === 'collections.OrderedDict' || name === 'typing.OrderedDict') {
    const map = new Map<string | number, Value>();
    if (args.length > 0) for (const p of isObj(a0, 'dict') ? [...a0.map.entries()] : itemsOf(a0).map((x) => itemsOf(x))) map.set(keyOf(p[0] ?? null), p[1] ?? null);
    return { k: 'dict', map };
  }
  if (self !== undefined) return method(name, last, self, args);
  throw new NotKnown(`${name}() is not something Layer Lens reads`);
}

function keyOf(v: Value): string | number {
  return typeof v === 'string' || typeof v === 'number' ? v : repr(v);
}

function builtin(name: string, args: readonly Value[], kw: ReadonlyMap<string, Value>, caller: Caller): Value {
  const a0 = args[0] ?? null;
  switch (name) {
    case 'range': {
      caller.symbols?.decided();
      const [start, stop, step] = args.length === 1 ? [0, int(a0, 'range'), 1] : [int(a0, 'range'), int(args[1] ?? null, 'range'), args[2] === undefined ? 1 : int(args[2], 'range')];
      if (step === 0) throw new NotKnown('range() step must not be zero');
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count > RANGE_LIMIT) throw new NotKnown(`range of ${count} steps is longer than Layer Lens unrolls`);
      return list(Array.from({ length: count }, (_, i) => start + i * step));
    }
    case 'len':
      if (isObj(a0, 'tensor')) {
        if (caller.symbols) caller.symbols.sizesRead = true;
        if (a0.shape.length === 0) throw new NotKnown('len() of a 0-d tensor');
        return a0.shape[0] as number;
      }
      if (isObj(a0, 'module')) return a0.m.children.size;
      if (isObj(a0, 'dict')) return a0.map.size;
      return typeof a0 === 'string' ? a0.length : itemsOf(a0).length;
    case 'int':
      if (typeof a0 === 'string') return Number.parseInt(a0, 10);
      return Math.trunc(num(a0, 'int()'));
    case 'float':
      return typeof a0 === 'string' ? Number(a0) : num(a0, 'float()');
    case 'bool':
      return truthy(a0);
    case 'str':
      return repr(a0);
    case 'abs':
      return Math.abs(num(a0, 'abs()'));
    case 'round':
      return args.length > 1 ? Number(num(a0, 'round()').toFixed(int(args[1] ?? null, 'ndigits'))) : roundHalfEven(num(a0, 'round()'));
    case 'min':
    case 'max': {
      const items = args.length === 1 ? itemsOf(a0) : [...args];
      const nums = items.map((v) => num(v, `${name}()`));
      if (nums.length === 0) throw new NotKnown(`${name}() of an empty sequence`);
      return name === 'min' ? Math.min(...nums) : Math.max(...nums);
    }
    case 'sum':
      return itemsOf(a0).reduce<number>((s, v) => s + num(v, 'sum()'), args[1] === undefined ? 0 : num(args[1], 'start'));
    case 'list':
    case 'tuple':
    case 'set': {
      const items = args.length === 0 ? [] : isObj(a0, 'dict') ? [...a0.map.keys()] : itemsOf(a0);
      return name === 'tuple' ? tuple(items) : list(items);
    }
    case 'dict': {
      const map = new Map<string | number, Value>();
      if (isObj(a0, 'dict')) for (const [k, v] of a0.map) map.set(k, v);
      else if (args.length > 0) for (const p of itemsOf(a0)) map.set(keyOf(itemsOf(p)[0] ?? null), itemsOf(p)[1] ?? null);
      for (const [k, v] of kw) map.set(k, v);
      return { k: 'dict', map };
    }
    case 'enumerate': {
      const start = args[1] === undefined ? int(kw.get('start') ?? 0, 'start') : int(args[1], 'start');
      return list(itemsOf(a0).map((v, i) => tuple([start + i, v])));
    }
    case 'zip': {
      const lists = args.map(itemsOf);
      const n = Math.min(...lists.map((l) => l.length));
      return list(Array.from({ length: Number.isFinite(n) ? n : 0 }, (_, i) => tuple(lists.map((l) => l[i] as Value))));
    }
    case 'reversed':
      return list(itemsOf(a0).reverse());
    case 'sorted': {
      const items = itemsOf(a0);
      const sorted = items.every((v) => typeof v === 'number') ? [...(items as number[])].sort((x, y) => x - y) : [...items].map(repr).sort();
      return list(kw.get('reverse') === true ? sorted.reverse() : sorted);
    }
    case 'any':
      return itemsOf(a0).some(truthy);
    case 'all':
      return itemsOf(a0).every(truthy);
    case 'map':
      return list(itemsOf(args[1] ?? null).map((v) => caller.call(a0, [v], new Map(), -1)));
    case 'isinstance':
      return isInstance(a0, args[1] ?? null);
    case 'type':
      return { k: 'builtin', name: `type:${isObj(a0, 'module') ? a0.m.type : isObj(a0, 'builtin') ? a0.name : kindOf(a0)}` };
    case 'getattr':
    case 'hasattr':
      throw new NotKnown(`${name}() is not read`);
    case 'print':
    case 'setattr':
      return null;
    default:
      throw new NotKnown(`${name}() is not something Layer Lens reads`);
  }
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function isInstance(v: Value, cls: Value): boolean {
  const classes = isObj(cls, 'tuple') ? cls.items : [cls];
  return classes.some((c) => {
    if (!isObj(c, 'builtin')) {
      if (isObj(c, 'class') && isObj(v, 'module')) return v.m.cls !== undefined && (v.m.cls.def === c.def || v.m.cls.base?.def === c.def);
      return false;
    }
    const name = c.name.replace(/^builtins\./, '');
    switch (name) {
      case 'int':
        return typeof v === 'number' && Number.isInteger(v);
      case 'float':
        return typeof v === 'number';
      case 'str':
        return typeof v === 'string';
      case 'bool':
        return typeof v === 'boolean';
      case 'list':
        return isObj(v, 'list');
      case 'tuple':
        return isObj(v, 'tuple');
      case 'dict':
        return isObj(v, 'dict');
      default: {
        if (isObj(v, 'module')) return name.split('.').pop() === v.m.type;
        if (isObj(v, 'unknown')) throw new NotKnown(v.reason);
        return false;
      }
    }
  });
}

function mathFunction(name: string, args: readonly Value[]): Value {
  const x = num(args[0] ?? null, `math.${name}()`);
  switch (name) {
    case 'log':
      return args.length > 1 ? Math.log(x) / Math.log(num(args[1] ?? null, 'base')) : Math.log(x);
    case 'log2':
      return Math.log2(x);
    case 'log10':
      return Math.log10(x);
    case 'sqrt':
      return Math.sqrt(x);
    case 'isqrt':
      return Math.floor(Math.sqrt(x));
    case 'ceil':
      return Math.ceil(x);
    case 'floor':
      return Math.floor(x);
    case 'exp':
      return Math.exp(x);
    case 'pow':
      return x ** num(args[1] ?? null, 'exponent');
    case 'prod':
      return itemsOf(args[0] ?? null).reduce<number>((p, v) => p * num(v, 'prod()'), 1);
    case 'gcd': {
      let a = Math.abs(x);
      let b = Math.abs(num(args[1] ?? null, 'gcd()'));
      while (b) [a, b] = [b, a % b];
      return a;
    }
    default:
      throw new NotKnown(`math.${name}() is not read`);
  }
}

function method(name: string, last: string, self: Value, args: readonly Value[]): Value {
  const a0 = args[0] ?? null;
  if (isObj(self, 'list')) {
    switch (last) {
      case 'append':
        self.items.push(a0);
        return null;
      case 'extend':
        self.items.push(...itemsOf(a0));
        return null;
      case 'insert': {
        const i = int(a0, 'index');
        self.items.splice(i < 0 ? i + self.items.length : i, 0, args[1] ?? null);
        return null;
      }
      case 'pop': {
        const i = args.length > 0 ? int(a0, 'index') : -1;
        const [v] = self.items.splice(i < 0 ? i + self.items.length : i, 1);
        if (v === undefined) throw new NotKnown('pop from an empty list');
        return v;
      }
      case 'reverse':
        self.items.reverse();
        return null;
      case 'copy':
        return list([...self.items]);
      case 'index':
        return self.items.findIndex((v) => equals(v, a0));
      case 'count':
        return self.items.filter((v) => equals(v, a0)).length;
      default:
    }
  }
  if (isObj(self, 'tuple') && last === 'index') return self.items.findIndex((v) => equals(v, a0));
  if (isObj(self, 'dict')) {
    switch (last) {
      case 'items':
        return list([...self.map.entries()].map(([k, v]) => tuple([k, v])));
      case 'keys':
        return list([...self.map.keys()]);
      case 'values':
        return list([...self.map.values()]);
      case 'get':
        return self.map.get(keyOf(a0)) ?? args[1] ?? null;
      case 'pop': {
        const v = self.map.get(keyOf(a0)) ?? args[1] ?? null;
        self.map.delete(keyOf(a0));
        return v;
      }
      case 'update':
        if (isObj(a0, 'dict')) for (const [k, v] of a0.map) self.map.set(k, v);
        return null;
      case 'setdefault':
        if (!self.map.has(keyOf(a0))) self.map.set(keyOf(a0), args[1] ?? null);
        return self.map.get(keyOf(a0)) as Value;
      default:
    }
  }
  if (typeof self === 'string') {
    switch (last) {
      case 'lower':
        return self.toLowerCase();
      case 'upper':
        return self.toUpperCase();
      case 'startswith':
        return self.startsWith(String(a0));
      case 'endswith':
        return self.endsWith(String(a0));
      case 'join':
        return itemsOf(a0).map(repr).join(self);
      case 'format':
        return unknownText(self);
      default:
    }
  }
  throw new NotKnown(`${name}() is not something Layer Lens reads`);
}

function unknownText(template: string): Value {
  return unknown(`the formatted string ${JSON.stringify(template)} is not read`);
}

export type { BuiltinValue };
