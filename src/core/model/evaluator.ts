/**
 * The expression half of the model interpreter: Python expressions, operators, attribute reads and
 * indexing (of values, modules and tensor shapes). Statements and calls are the {@link Interpreter}'s,
 * which derives from this class.
 */
import type { Expr } from './pyAst';
import { parseExpression } from './pyParser';
import { pyTokens } from './pyTokens';
import { broadcastShapes, sliceLength } from './shapeOps';
import { callTensorFunction, type Keywords } from './tensorOps';
import { dictKey, lookup, newNode, slicePython } from './moduleTree';
import { unionSupport } from './support';
import { producingLayer } from './producingLayer';
import { binarySymbols, indexedSymbols, withSymbols } from './symbolFlow';
import type { SymbolState } from './symbolicShape';
import type { SizeNaming } from './namedSizes';
import type { MismatchOperand } from './shapeMismatch';
import {
  equals,
  int,
  isObj,
  itemsOf,
  kindOf,
  list,
  moduleValue,
  NotKnown,
  num,
  repr,
  Scope,
  shapeText,
  tensor,
  type Tensor,
  TorchRaise,
  truthy,
  tuple,
  unknown,
  type BuiltinValue,
  type ClassValue,
  type ModuleNode,
  type Value,
} from './values';

/** The builtins the reader knows (pyBuiltins.ts); any other free name is not defined. */
const PYTHON_BUILTINS = new Set(
  'range len int float str bool list tuple dict set enumerate zip reversed sorted min max sum abs round any all map isinstance type getattr setattr hasattr print super Ellipsis'.split(' '),
);

const MATH_CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, inf: Number.POSITIVE_INFINITY, tau: 2 * Math.PI };

export interface Frame {
  readonly file: string;
  readonly owner?: ClassValue;
  readonly self?: Value;
  /** `__init__` bodies keep going past what they cannot read (the attribute becomes unknown). */
  readonly lenient: boolean;
}

/** How many loop iterations and calls one reading may take before it gives up (never a hang). */
const STEP_LIMIT = 2_000_000;

export abstract class Evaluator {
  protected frames: Frame[] = [];
  private steps = 0;
  /** `78×78`: the spatial size of the model's input, for messages. */
  inputText = '';
  /** The model's input shape, said in a size mismatch's data. */
  inputShape: readonly number[] = [];
  /** The formulas of sizes followed in this run (the model view's traced run; see symbolicShape.ts), else null. */
  symbols: SymbolState | null = null;
  /** Follows the names channel counts are written with in the model class's `__init__` (namedSizes.ts), while it is built for the model view. */
  naming: SizeNaming | null = null;

  abstract lineOf(at: number, file?: string): number;
  abstract call(fn: Value, args: readonly Value[], kw: Keywords, at: number): Value;
  abstract assign(target: Expr, value: Value, scope: Scope): void;
  protected abstract evalCall(e: Extract<Expr, { t: 'call' }>, scope: Scope): Value;

  get frame(): Frame {
    return this.frames[this.frames.length - 1] as Frame;
  }

  protected tick(): void {
    if (++this.steps > STEP_LIMIT) throw new NotKnown('the model takes too many steps to read (a loop without a known end?)');
  }

  protected truth(v: Value, at: Expr): boolean {
    this.symbols?.decided();
    try {
      return truthy(v);
    } catch (e) {
      if (e instanceof NotKnown) throw new NotKnown(`the condition at line ${this.lineOf(at.at)} depends on something not known: ${e.reason}`);
      throw e;
    }
  }


  eval(e: Expr, scope: Scope): Value {
    switch (e.t) {
      case 'num':
        return e.v;
      case 'str':
        return e.format ? this.format(e.v, scope) : e.v;
      case 'name': {
        const v = scope.get(e.id);
        if (v !== undefined) return v;
        return callBuiltinName(e.id);
      }
      case 'attr':
        return this.getAttr(this.eval(e.obj, scope), e.name);
      case 'call': {
        const v = this.symbols ? this.symbols.during(e.args, () => this.evalCall(e, scope)) : this.evalCall(e, scope);
        if (this.naming && isObj(v, 'module')) this.naming.note(v.m, e.args, scope, this.frame.owner);
        return v;
      }
      case 'sub':
        return this.getItem(this.eval(e.obj, scope), e.index, scope);
      case 'tuple':
        return tuple(this.evalItems(e.items, scope));
      case 'list':
        return list(this.evalItems(e.items, scope));
      case 'set':
        return list(this.evalItems(e.items, scope));
      case 'dict': {
        const map = new Map<string | number, Value>();
        for (const [k, v] of e.entries) map.set(dictKey(this.eval(k, scope)), this.eval(v, scope));
        return { k: 'dict', map };
      }
      case 'bin':
        try {
          return this.binary(e.op, this.eval(e.l, scope), this.eval(e.r, scope), e.at);
        } catch (err) {
          // The operands as written: a fix names them.
          if (err instanceof TorchRaise && err.mismatch && err.mismatch.start === e.at) {
            const [l, r] = err.mismatch.operands;
            err.mismatch = { ...err.mismatch, operands: [{ ...l, ...namedOperand(e.l) }, { ...r, ...namedOperand(e.r) }] };
          }
          throw err;
        }
      case 'un': {
        const v = this.eval(e.e, scope);
        if (e.op === 'not') return !truthy(v);
        if (isObj(v, 'tensor') || isObj(v, 'unknown')) return v;
        const n = num(v, 'operand');
        return e.op === '-' ? -n : e.op === '~' ? ~n : n;
      }
      case 'cmp':
        return this.compare(e.ops, e.items, scope);
      case 'bool': {
        // `a or b` decides which value comes out on a's truth: a decision on a number (symbolicShape.ts).
        this.symbols?.decided();
        let v: Value = null;
        for (const item of e.items) {
          v = this.eval(item, scope);
          if (isObj(v, 'unknown')) return v;
          if (truthy(v) === (e.op === 'or')) return v;
        }
        return v;
      }
      case 'ifexp':
        return this.truth(this.eval(e.cond, scope), e.cond) ? this.eval(e.a, scope) : this.eval(e.b, scope);
      case 'comp':
        return this.comprehension(e, scope);
      case 'lambda':
        return { k: 'fn', def: { name: '<lambda>', params: e.params, expr: e.body }, file: this.frame.file, scope, defaults: new Map() };
      case 'slice':
        return tuple([]);
      case 'star':
        throw new NotKnown('a starred expression here is not read');
      default:
        throw new NotKnown('an expression Layer Lens does not read');
    }
  }

  protected evalItems(items: readonly Expr[], scope: Scope): Value[] {
    const out: Value[] = [];
    for (const item of items) {
      if (item.t === 'star') out.push(...itemsOf(this.eval(item.e, scope)));
      else out.push(this.eval(item, scope));
    }
    return out;
  }

  protected format(template: string, scope: Scope): string {
    return template.replace(/\{([^{}]*)\}/g, (_, inner: string) => {
      const expr = parseExpression(pyTokens(inner.split(/[:!](?![=])/)[0] as string));
      return repr(this.eval(expr, scope));
    });
  }

  protected comprehension(e: Extract<Expr, { t: 'comp' }>, outer: Scope): Value {
    const scope = new Scope(outer);
    const out: Value[] = [];
    const map = new Map<string | number, Value>();
    const loop = (g: number): void => {
      const gen = e.gens[g];
      if (!gen) {
        if (e.kind === 'dict') map.set(dictKey(this.eval(e.key as Expr, scope)), this.eval(e.elt, scope));
        else out.push(this.eval(e.elt, scope));
        return;
      }
      for (const item of itemsOf(this.eval(gen.iter, scope))) {
        this.tick();
        this.assign(gen.target, item, scope);
        if (gen.conds.every((c) => this.truth(this.eval(c, scope), c))) loop(g + 1);
      }
    };
    loop(0);
    return e.kind === 'dict' ? { k: 'dict', map } : list(out);
  }

  protected compare(ops: readonly string[], items: readonly Expr[], scope: Scope): Value {
    this.symbols?.decided();
    let left = this.eval(items[0] as Expr, scope);
    for (let i = 0; i < ops.length; i++) {
      const right = this.eval(items[i + 1] as Expr, scope);
      const op = ops[i] as string;
      let result: boolean;
      if (isObj(left, 'unknown')) return left;
      if (isObj(right, 'unknown')) return right;
      switch (op) {
        case '==':
        case 'is':
          result = equals(left, right);
          break;
        case '!=':
        case 'is not':
          result = !equals(left, right);
          break;
        case 'in':
        case 'not in': {
          const found = isObj(right, 'dict') ? right.map.has(dictKey(left)) : typeof right === 'string' ? right.includes(String(left)) : itemsOf(right).some((x) => equals(x, left));
          result = op === 'in' ? found : !found;
          break;
        }
        default: {
          if ((isObj(left, 'tuple') || isObj(left, 'list')) && (isObj(right, 'tuple') || isObj(right, 'list'))) {
            throw new NotKnown('comparing sequences is not read');
          }
          if (isObj(left, 'tensor') || isObj(right, 'tensor')) throw new NotKnown('comparing tensors depends on their values');
          const a = typeof left === 'string' ? left : num(left, 'operand');
          const b = typeof right === 'string' ? right : num(right, 'operand');
          result = op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
        }
      }
      if (!result) return false;
      left = right;
    }
    return true;
  }

  /** A tensor operation ran (the model view's trace; see modelTrace.ts): nothing by default. */
  protected noteOp(_op: string, _inputs: readonly Value[], _output: Value, _at: number): void {}

  binary(op: string, l: Value, r: Value, at: number): Value {
    if (isObj(l, 'unknown')) return l;
    if (isObj(r, 'unknown')) return r;
    if (isObj(l, 'tensor') || isObj(r, 'tensor')) {
      const a = isObj(l, 'tensor') ? l.shape : [];
      const b = isObj(r, 'tensor') ? r.shape : [];
      if (op === '@') return callTensorFunction('matmul', undefined, [l, r], new Map());
      try {
        const shape = broadcastShapes(a, b);
        const sl = isObj(l, 'tensor') ? l.support : undefined;
        const sr = isObj(r, 'tensor') ? r.support : undefined;
        // `x + f(x)`: both branches reach the sum; a number leaves the support as it is.
        const support = isObj(l, 'tensor') && isObj(r, 'tensor') ? (sl && sr ? unionSupport(sl, sr) : undefined) : (sl ?? sr);
        const result: Value = binarySymbols(this.symbols, l, r, support && shape.length === 4 ? { k: 'tensor', shape, support } : tensor(shape));
        this.noteOp(op, [l, r], result, at);
        return result;
      } catch (e) {
        if (e instanceof TorchRaise) {
          e.message = `\`${op}\` at line ${this.lineOf(at)}: ${e.message} (${shapeText(a)} ${op} ${shapeText(b)})${this.forInput()}`;
          e.at = this.lineOf(at);
          e.file = this.frame.file;
          e.mismatch = {
            op,
            start: at,
            line: e.at,
            file: e.file,
            axis: broadcastMismatchAxis(a, b),
            operands: [operandOf(l, a), operandOf(r, b)],
            inputShape: this.inputShape,
          };
        }
        throw e;
      }
    }
    if (op === '+' && (isObj(l, 'list') || isObj(l, 'tuple')) && (isObj(r, 'list') || isObj(r, 'tuple'))) {
      const items = [...l.items, ...r.items];
      return isObj(l, 'list') ? list(items) : tuple(items);
    }
    if (op === '*' && (isObj(l, 'list') || isObj(l, 'tuple')) && typeof r === 'number') {
      const items = Array.from({ length: Math.max(0, r) }, () => l.items).flat();
      return isObj(l, 'list') ? list(items) : tuple(items);
    }
    if (typeof l === 'string' && op === '+' && typeof r === 'string') return l + r;
    if (typeof l === 'string' && op === '%') return percentFormat(l, isObj(r, 'tuple') ? r.items : [r]);
    const a = num(l, 'left operand');
    const b = num(r, 'right operand');
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throw new NotKnown('division by zero');
        return a / b;
      case '//':
        if (b === 0) throw new NotKnown('division by zero');
        return Math.floor(a / b);
      case '%':
        if (b === 0) throw new NotKnown('division by zero');
        return a - b * Math.floor(a / b);
      case '**':
        return a ** b;
      case '<<':
        return a << b;
      case '>>':
        return a >> b;
      case '&':
        return a & b;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      default:
        throw new NotKnown(`the operator ${op} is not read`);
    }
  }

  forInput(): string {
    return this.inputText ? ` for an input of ${this.inputText}` : '';
  }

  // ---- attributes and items ----

  getAttr(obj: Value, name: string): Value {
    if (obj === null || typeof obj !== 'object') {
      if (typeof obj === 'string' || typeof obj === 'number') return { k: 'builtin', name: `${typeof obj === 'string' ? 'str' : 'num'}.${name}`, self: obj };
      throw new NotKnown(`${kindOf(obj)} has no attribute ${name}`);
    }
    switch (obj.k) {
      case 'builtin':
        if (obj.name === 'super') return this.superAttr(obj, name);
        if (obj.name === 'functools.partial' && obj.partialArgs && name === 'func') return obj.partialArgs[0] as Value;
        if (obj.name === 'math' && name in MATH_CONSTANTS) return MATH_CONSTANTS[name] as number;
        return { k: 'builtin', name: `${obj.name}.${name}` };
      case 'module':
        return this.moduleAttr(obj.m, name, obj);
      case 'tensor':
        switch (name) {
          case 'shape':
            if (this.symbols) this.symbols.sizesRead = true;
            return tuple(obj.shape);
          case 'ndim':
            return obj.shape.length;
          case 'is_cuda':
            return false;
          case 'T':
            return withSymbols(this.symbols, tensor([...obj.shape].reverse()), obj.sym && [...obj.sym].reverse());
          case 'device':
          case 'dtype':
            return unknown(`the tensor's ${name} is not known statically`);
          default:
            return { k: 'builtin', name: `tensor.${name}`, self: obj };
        }
      case 'list':
      case 'tuple':
      case 'dict':
        return { k: 'builtin', name: `${obj.k}.${name}`, self: obj };
      case 'class': {
        const found = lookup(obj, name);
        if (found !== undefined) return found;
        throw new NotKnown(`class ${obj.def.name} has no attribute ${name}`);
      }
      case 'unknown':
        return obj;
      default:
        throw new NotKnown(`${kindOf(obj)} has no attribute ${name}`);
    }
  }

  protected moduleAttr(m: ModuleNode, name: string, self: Value): Value {
    const child = m.children.get(name);
    if (child) return moduleValue(child);
    const attr = m.attrs.get(name);
    if (attr !== undefined) return attr;
    if (m.cls) {
      const found = lookup(m.cls, name);
      if (found !== undefined) return isObj(found, 'fn') ? { ...found, self } : found;
    }
    if (m.args?.has(name)) return m.args.get(name) as Value;
    if (name === 'training') return false;
    if (['weight', 'bias', 'running_mean', 'running_var'].includes(name)) return unknown(`${m.type}.${name}'s values are not known statically`);
    return { k: 'builtin', name: `module.${name}`, self };
  }

  protected superAttr(sup: BuiltinValue, name: string): Value {
    const owner = sup.partialArgs?.[0];
    const self = sup.self as Value;
    if (isObj(owner ?? null, 'class') && (owner as ClassValue).base) {
      const found = lookup((owner as ClassValue).base as ClassValue, name);
      if (found !== undefined) return isObj(found, 'fn') ? { ...found, self } : found;
    }
    return { k: 'builtin', name: `torchinit.${name}`, self };
  }

  protected getItem(obj: Value, indexExpr: Expr, scope: Scope): Value {
    if (isObj(obj, 'tensor')) return this.sliceTensor(obj, indexExpr, scope);
    if (indexExpr.t === 'slice') {
      const lo = indexExpr.lo ? this.eval(indexExpr.lo, scope) : null;
      const hi = indexExpr.hi ? this.eval(indexExpr.hi, scope) : null;
      const step = indexExpr.step ? int(this.eval(indexExpr.step, scope), 'step') : 1;
      if (isObj(obj, 'module')) {
        const kids = [...obj.m.children.entries()];
        const picked = slicePython(kids, lo === null ? null : int(lo, 'start'), hi === null ? null : int(hi, 'stop'), step);
        const node = newNode(obj.m.kind, obj.m.type, obj.m.line, obj.m.file);
        picked.forEach(([key, child], i) => node.children.set(obj.m.kind === 'sequential' ? key : String(i), child));
        return moduleValue(node);
      }
      const items = typeof obj === 'string' ? [...obj] : itemsOf(obj);
      const picked = slicePython(items, lo === null ? null : int(lo, 'start'), hi === null ? null : int(hi, 'stop'), step);
      return typeof obj === 'string' ? picked.join('') : isObj(obj, 'list') ? list(picked) : tuple(picked);
    }
    const index = this.eval(indexExpr, scope);
    if (isObj(obj, 'unknown')) return obj;
    if (isObj(obj, 'dict')) {
      const v = obj.map.get(dictKey(index));
      if (v === undefined) throw new NotKnown(`the key ${repr(index)} is not in the dict`);
      return v;
    }
    if (isObj(obj, 'module')) {
      if (obj.m.kind === 'dict') {
        const child = obj.m.children.get(String(index));
        if (!child) throw new TorchRaise(`KeyError: '${repr(index)}' is not in the ModuleDict`, -1, '');
        return moduleValue(child);
      }
      const kids = [...obj.m.children.values()];
      const i = int(index, 'index');
      const child = kids[i < 0 ? i + kids.length : i];
      if (!child) throw new TorchRaise(`index ${i} is out of range`, -1, '');
      return moduleValue(child);
    }
    const items = typeof obj === 'string' ? [...obj] : itemsOf(obj);
    const i = int(index, 'index');
    const item = items[i < 0 ? i + items.length : i];
    if (item === undefined) throw new NotKnown(`index ${i} is out of range of ${items.length} items`);
    return item;
  }

  /** `x[:, :, 1:-1]`, `x[..., None]`, `x[0]`: basic indexing on a shape. */
  protected sliceTensor(x: Tensor, indexExpr: Expr, scope: Scope): Value {
    const shape = x.shape;
    const parts = indexExpr.t === 'tuple' ? indexExpr.items : [indexExpr];
    const out: number[] = [];
    // Per output axis: the input axis it keeps whole, a new axis, or a slice (for the formulas of sizes).
    const kept: (number | 'new' | { slice: number })[] = [];
    let axis = 0;
    const ellipsisAt = parts.findIndex((p) => p.t === 'name' && p.id === 'Ellipsis');
    const consumed = parts.filter((p) => !(p.t === 'name' && (p.id === 'Ellipsis' || p.id === 'None'))).length;
    for (const p of parts) {
      if (p.t === 'name' && p.id === 'Ellipsis') {
        const skip = shape.length - consumed;
        for (let i = 0; i < skip; i++) {
          kept.push(axis);
          out.push(shape[axis++] as number);
        }
        continue;
      }
      if (p.t === 'name' && p.id === 'None') {
        kept.push('new');
        out.push(1);
        continue;
      }
      const size = shape[axis];
      if (size === undefined) throw new TorchRaise(`too many indices for tensor of dimension ${shape.length}`, -1, '');
      if (p.t === 'slice') {
        const lo = p.lo ? this.eval(p.lo, scope) : null;
        const hi = p.hi ? this.eval(p.hi, scope) : null;
        const step = p.step ? int(this.eval(p.step, scope), 'step') : 1;
        kept.push(lo === null && hi === null && step === 1 ? axis : { slice: axis });
        out.push(sliceLength(size, lo === null ? null : int(lo, 'start'), hi === null ? null : int(hi, 'stop'), step));
      } else {
        const v = this.eval(p, scope);
        if (isObj(v, 'tensor')) throw new NotKnown('indexing with a tensor depends on its values');
        const i = int(v, 'index');
        if (i >= size || i < -size) throw new TorchRaise(`index ${i} is out of bounds for dimension ${axis} with size ${size}`, -1, '');
      }
      axis++;
    }
    void ellipsisAt;
    for (let rest = axis; rest < shape.length; rest++) kept.push(rest);
    return indexedSymbols(this.symbols, x, kept, tensor([...out, ...shape.slice(axis)]));
  }
}

function callBuiltinName(id: string): Value {
  switch (id) {
    case 'True':
      return true;
    case 'False':
      return false;
    case 'None':
      return null;
    default:
      if (!PYTHON_BUILTINS.has(id)) throw new NotKnown(`${id} is not defined where it is used`);
      return { k: 'builtin', name: `builtins.${id}` };
  }
}

/** `'dense%d' % (i + 1)`: printf-style formatting of ints, floats and strings; anything else is not read. */
function percentFormat(template: string, values: readonly Value[]): string {
  let next = 0;
  const out = template.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([diusrfg%])/g, (_, flags: string, kind: string) => {
    if (kind === '%') return '%';
    const v = values[next++];
    if (v === undefined) throw new NotKnown('not enough arguments for format string');
    if (kind === 's' || kind === 'r') return repr(v);
    const n = num(v, 'a formatted number');
    const precision = /\.(\d+)/.exec(flags)?.[1];
    if (kind === 'f') return n.toFixed(precision === undefined ? 6 : Number(precision));
    if (kind === 'g') return String(n);
    return String(Math.trunc(n));
  });
  if (next !== values.length) throw new NotKnown('not all arguments converted during string formatting');
  return out;
}

/** The axis of the longer shape where two shapes fail to broadcast (sizes differ and neither is 1). */
function broadcastMismatchAxis(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 1; i <= n; i++) {
    const x = a[a.length - i] ?? 1;
    const y = b[b.length - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return n - i;
  }
  return n - 1;
}

function operandOf(v: Value, shape: readonly number[]): MismatchOperand {
  const layer = producingLayer(v);
  return layer ? { shape, layer } : { shape };
}

/** A plain variable's name and offsets (`x1`), for the fixes that rewrite it. */
export function namedOperand(e: Expr): Pick<MismatchOperand, 'name' | 'start' | 'end'> {
  return e.t === 'name' ? { name: e.id, start: e.at, end: e.at + e.id.length } : {};
}
