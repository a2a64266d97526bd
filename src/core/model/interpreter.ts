/**
 * Evaluates a model's Python statically: module-level constants and imports, classes, `__init__`
 * (building the module tree) and `forward` (tensor shapes through the data flow). No user code is
 * ever run: this interpreter knows only Python's core, torch.nn's layers and containers and the
 * tensor operations of `tensorOps.ts`; anything else becomes {@link Unknown} with the reason, and
 * loops are bounded so that no input makes it run long.
 */
import type { ClassDef, Expr, FunctionDef, Stmt } from './pyAst';
import { parsedModule } from './pyParser';
import { LineIndex } from './pyTokens';
import { LISTED, layerSymbols, runLayer, transposedAxes } from './nnLayers';
import type { TraceRecorder } from './modelTrace';
import type { LayerRecord } from './layerRecord';
import { callBuiltin } from './pyBuiltins';
import { catShape, dimIndex } from './shapeOps';
import { arg, callTensorFunction, tensorList, type Keywords } from './tensorOps';
import { Evaluator, namedOperand } from './evaluator';
import { madeBy, producingLayer } from './producingLayer';
import type { MismatchOperand, ShapeMismatch } from './shapeMismatch';
import { functionSupport, layerSupport, withSupport } from './supportFlow';
import { functionSymbols, joinedSymbols, withSymbols } from './symbolFlow';
import { unionSupport, type Support } from './support';
import { addChild, constructModule, dictKey, lookup, moduleMethod, newNode, normalizeIndex, setModuleAttr, torchInit } from './moduleTree';
import {
  asTensor,
  int,
  isObj,
  itemsOf,
  kindOf,
  list,
  moduleValue,
  NotKnown,
  Scope,
  shapeText,
  spatialText,
  tensor,
  TorchRaise,
  tuple,
  unknown,
  type BuiltinValue,
  type ClassValue,
  type FunctionValue,
  type ModuleNode,
  type Value,
} from './values';

type Flow = { readonly kind: 'return'; readonly value: Value } | 'break' | 'continue' | undefined;

const DEPTH_LIMIT = 200;

/** The keywords of a call that passes none (never written to). */
export const NO_KEYWORDS: Keywords = new Map();

interface SourceFile {
  readonly text: string;
  readonly lines: LineIndex;
  readonly body: readonly Stmt[];
  globals?: Scope;
}

export class Interpreter extends Evaluator {
  private readonly files = new Map<string, SourceFile>();
  records: LayerRecord[] | null = null;
  /** The tensors of the `torch.cat` being read (for its mismatch's data). */
  private catValues: readonly Value[] = [];
  /** Every step of the run, for the model view (null: not traced). */
  trace: TraceRecorder | null = null;
  /** The modules whose forward() runs, outermost first (their `named_modules()` names). */
  private readonly scopes: string[] = [];

  constructor(source: string, files: Readonly<Record<string, string>> = {}) {
    super();
    this.addFile('', source);
    for (const [name, text] of Object.entries(files)) this.addFile(name, text);
  }

  private addFile(name: string, text: string): void {
    this.files.set(name, { text, lines: new LineIndex(text), body: parsedModule(text, name) });
  }

  /** Runs `run` as code of `file` (`lenient`: an `__init__`-like body that goes on past what it cannot read). */
  within<T>(file: string, lenient: boolean, run: () => T): T {
    this.frames.push({ file, lenient });
    try {
      return run();
    } finally {
      this.frames.pop();
    }
  }

  lineOf(at: number, file = this.frame.file): number {
    return this.files.get(file)?.lines.line(at) ?? 0;
  }

  /** The globals of a file, its module-level statements run once (imports, constants, classes, functions). */
  globalsOf(file: string): Scope {
    const source = this.files.get(file);
    if (!source) throw new NotKnown(`the file ${file} is not among the files given`);
    if (source.globals) return source.globals;
    const scope = new Scope();
    source.globals = scope;
    scope.set('__name__', file === '' ? 'model' : file);
    this.frames.push({ file, lenient: true });
    try {
      for (const stmt of source.body) this.moduleStatement(stmt, scope);
    } finally {
      this.frames.pop();
    }
    return scope;
  }

  /** Module level: definitions and imports; assignments evaluated (unknown when they cannot be); calls and `if __name__…` not run. */
  protected moduleStatement(stmt: Stmt, scope: Scope): void {
    if (stmt.t === 'expr' || stmt.t === 'if' || stmt.t === 'for' || stmt.t === 'while') return;
    try {
      this.exec(stmt, scope);
    } catch (e) {
      if (!(e instanceof NotKnown || e instanceof TorchRaise)) throw e;
      if (stmt.t === 'assign') for (const target of stmt.targets) if (target.t === 'name') scope.set(target.id, unknown(e.message));
    }
  }

  /** Finds a class by name in the main source, then in the other files. */
  findClass(name: string): ClassValue {
    for (const file of this.files.keys()) {
      const v = this.globalsOf(file).vars.get(name);
      if (isObj(v ?? null, 'class')) return v as ClassValue;
    }
    throw new NotKnown(`no class ${name} in the source`);
  }

  // ---- statements ----

  execBlock(body: readonly Stmt[], scope: Scope): Flow {
    for (const stmt of body) {
      const flow = this.execGuarded(stmt, scope);
      if (flow !== undefined) return flow;
    }
    return undefined;
  }

  private execGuarded(stmt: Stmt, scope: Scope): Flow {
    try {
      return this.exec(stmt, scope);
    } catch (e) {
      if (e instanceof TorchRaise || e instanceof NotKnown) {
        if (e.at < 0) {
          e.at = stmt.line;
          e.file = this.frame.file;
        }
        if (!this.frame.lenient) this.trace?.fail({ kind: 'op', op: '', path: '', scope: this.scopes.at(-1) ?? '', line: e.at, file: e.file });
        if (e instanceof NotKnown && this.frame.lenient && stmt.t === 'assign') {
          const reason = e.reason;
          for (const target of stmt.targets) this.assignUnknown(target, reason, scope);
          return undefined;
        }
        // A call made for its effect in __init__ (`self._init_weights()`) that cannot be read changes
        // no module that later code does not name: anything it would have added is reported where used.
        if (e instanceof NotKnown && this.frame.lenient && stmt.t === 'expr') return undefined;
      }
      throw e;
    }
  }

  private assignUnknown(target: Expr, reason: string, scope: Scope): void {
    if (target.t === 'name') scope.set(target.id, unknown(reason));
    else if (target.t === 'tuple' || target.t === 'list') for (const t of target.items) this.assignUnknown(t, reason, scope);
    else if (target.t === 'attr') {
      const obj = this.eval(target.obj, scope);
      if (isObj(obj, 'module')) obj.m.attrs.set(target.name, unknown(reason));
    }
  }

  exec(stmt: Stmt, scope: Scope): Flow {
    this.tick();
    switch (stmt.t) {
      case 'expr':
        this.eval(stmt.e, scope);
        return undefined;
      case 'assign': {
        const value = this.eval(stmt.value, scope);
        for (const target of stmt.targets) this.assign(target, value, scope);
        return undefined;
      }
      case 'aug': {
        const current = this.eval(stmt.target, scope);
        if (stmt.op === '+' && isObj(current, 'list')) {
          current.items.push(...itemsOf(this.eval(stmt.value, scope)));
          return undefined;
        }
        if (stmt.op === '+' && isObj(current, 'module') && (current.m.kind === 'list' || current.m.kind === 'sequential')) {
          for (const m of itemsOf(this.eval(stmt.value, scope))) addChild(current.m, m);
          return undefined;
        }
        this.assign(stmt.target, this.binary(stmt.op, current, this.eval(stmt.value, scope), stmt.target.at), scope);
        return undefined;
      }
      case 'if': {
        for (const [cond, body] of stmt.branches) {
          const c = this.eval(cond, scope);
          if (this.truth(c, cond)) return this.execBlock(body, scope);
        }
        return this.execBlock(stmt.orelse, scope);
      }
      case 'for': {
        const items = itemsOf(this.eval(stmt.iter, scope));
        for (const item of items) {
          this.assign(stmt.target, item, scope);
          const flow = this.execBlock(stmt.body, scope);
          if (flow === 'break') break;
          if (flow !== undefined && flow !== 'continue') return flow;
        }
        return undefined;
      }
      case 'while': {
        while (this.truth(this.eval(stmt.cond, scope), stmt.cond)) {
          this.tick();
          const flow = this.execBlock(stmt.body, scope);
          if (flow === 'break') break;
          if (flow !== undefined && flow !== 'continue') return flow;
        }
        return undefined;
      }
      case 'return':
        return { kind: 'return', value: stmt.e ? this.eval(stmt.e, scope) : null };
      case 'break':
      case 'continue':
        return stmt.t;
      case 'def':
        scope.set(stmt.def.name, this.makeFunction(stmt.def, scope));
        return undefined;
      case 'class':
        scope.set(stmt.def.name, this.makeClass(stmt.def, scope));
        return undefined;
      case 'import':
        for (const [dotted, alias] of stmt.names) {
          // `import torch.nn as nn` binds torch.nn; `import torch.nn` binds torch.
          scope.set(alias === dotted ? (dotted.split('.')[0] as string) : alias, { k: 'builtin', name: alias === dotted ? (dotted.split('.')[0] as string) : dotted });
        }
        return undefined;
      case 'from':
        this.importFrom(stmt.module, stmt.names, scope);
        return undefined;
      case 'raise':
        throw new NotKnown('the model raises an exception here');
      case 'with':
        return this.execBlock(stmt.body, scope);
      case 'try': {
        const flow = this.execBlock(stmt.body, scope);
        return flow ?? this.execBlock(stmt.final, scope);
      }
      case 'other':
        if (stmt.text && !['assert', 'global', 'nonlocal', 'del', 'print', 'else', 'elif', 'except', 'finally', 'async'].includes(stmt.text)) {
          throw new NotKnown(`this line is not Python Layer Lens reads (${stmt.text})`);
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private importFrom(module: string, names: readonly (readonly [string, string])[], scope: Scope): void {
    const local = module.startsWith('.') || this.fileFor(module) !== undefined;
    const file = this.fileFor(module);
    if (local) {
      if (file === undefined) {
        for (const [, alias] of names) scope.set(alias, unknown(`${module} is not among the files given`));
        return;
      }
      const globals = this.globalsOf(file);
      for (const [name, alias] of names) {
        if (name === '*') for (const [k, v] of globals.vars) scope.set(k, v);
        else scope.set(alias, globals.vars.get(name) ?? unknown(`${name} is not defined in ${file}`));
      }
      return;
    }
    for (const [name, alias] of names) scope.set(alias, { k: 'builtin', name: `${module}.${name}` });
  }

  /** The key of `files` a module path names (`.unet_parts`, `models.parts` → `…/parts.py`). */
  private fileFor(module: string): string | undefined {
    const last = module.replace(/^\.+/, '').split('.').pop() ?? '';
    if (!last) return undefined;
    for (const name of this.files.keys()) {
      if (name === '') continue;
      const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
      if (base === `${last}.py` || base === last) return name;
    }
    return undefined;
  }

  makeFunction(def: FunctionDef, scope: Scope, owner?: ClassValue): FunctionValue {
    const defaults = new Map<string, Value>();
    for (const p of def.params) {
      if (!p.default) continue;
      try {
        defaults.set(p.name, this.eval(p.default, scope));
      } catch (e) {
        if (!(e instanceof NotKnown)) throw e;
        defaults.set(p.name, unknown(e.reason));
      }
    }
    return { k: 'fn', def, file: this.frame.file, scope, owner, defaults };
  }

  private makeClass(def: ClassDef, scope: Scope): ClassValue {
    let base: ClassValue | undefined;
    let torchBase = 'Module';
    for (const b of def.bases) {
      const v = this.eval(b, scope);
      if (isObj(v, 'class')) {
        base = v;
        torchBase = v.torchBase;
      } else if (isObj(v, 'builtin')) {
        const last = v.name.split('.').pop() as string;
        if (['Sequential', 'ModuleList', 'ModuleDict', 'Module'].includes(last)) torchBase = last;
      }
    }
    const classScope = new Scope(scope);
    const cls: ClassValue = { k: 'class', def, scope: classScope, base, torchBase };
    for (const stmt of def.body) {
      if (stmt.t === 'def') classScope.set(stmt.def.name, this.makeFunction(stmt.def, scope, cls));
      else if (stmt.t === 'assign') this.moduleStatement(stmt, classScope);
    }
    return cls;
  }

  // ---- assignment ----

  assign(target: Expr, value: Value, scope: Scope): void {
    switch (target.t) {
      case 'name':
        scope.set(target.id, value);
        return;
      case 'tuple':
      case 'list': {
        const items = itemsOf(value);
        const star = target.items.findIndex((t) => t.t === 'star');
        if (star < 0 && items.length !== target.items.length) {
          throw new TorchRaise(`cannot unpack ${items.length} values into ${target.items.length} names`, -1, '');
        }
        target.items.forEach((t, i) => {
          if (t.t === 'star') this.assign(t.e, list(items.slice(i, items.length - (target.items.length - 1 - i))), scope);
          else this.assign(t, star >= 0 && i > star ? (items[items.length - (target.items.length - i)] as Value) : (items[i] as Value), scope);
        });
        return;
      }
      case 'attr': {
        const obj = this.eval(target.obj, scope);
        if (isObj(obj, 'module')) setModuleAttr(obj.m, target.name, value);
        return;
      }
      case 'sub': {
        const obj = this.eval(target.obj, scope);
        const index = this.eval(target.index, scope);
        if (isObj(obj, 'list')) obj.items[normalizeIndex(int(index, 'index'), obj.items.length)] = value;
        else if (isObj(obj, 'dict')) obj.map.set(dictKey(index), value);
        else if (isObj(obj, 'module') && isObj(value, 'module')) obj.m.children.set(String(index), value.m);
        return;
      }
      default:
        throw new NotKnown('an assignment target Layer Lens does not read');
    }
  }

  // ---- calls ----

  protected evalCall(e: Extract<Expr, { t: 'call' }>, scope: Scope): Value {
    const fn = this.eval(e.fn, scope);
    const args: Value[] = [];
    // Most calls pass no keyword: they share one empty map (validInputSizes makes thousands of calls).
    const kw = e.args.some((a) => a.name !== undefined || a.star === 2) ? new Map<string, Value>() : (NO_KEYWORDS as Map<string, Value>);
    for (const a of e.args) {
      if (a.star === 1) args.push(...itemsOf(this.eval(a.value, scope)));
      else if (a.star === 2) {
        const d = this.eval(a.value, scope);
        if (isObj(d, 'dict')) for (const [k, v] of d.map) kw.set(String(k), v);
        else if (!isObj(d, 'unknown')) throw new NotKnown('** of something that is not a dict');
      } else if (a.name) kw.set(a.name, this.eval(a.value, scope));
      else args.push(this.eval(a.value, scope));
    }
    try {
      if (isObj(fn, 'builtin') && (fn.name === 'torch.cat' || fn.name === 'torch.stack' || fn.name === 'torch.concat')) return this.traced(fn.name.slice('torch.'.length), args, this.cat(fn.name, e, args, kw), e.at);
      return this.call(fn, args, kw, e.at);
    } catch (err) {
      if ((err instanceof TorchRaise || err instanceof NotKnown) && err.at < 0) {
        err.at = this.lineOf(e.at);
        err.file = this.frame.file;
      }
      throw err;
    }
  }

  private cat(name: string, e: Extract<Expr, { t: 'call' }>, args: Value[], kw: Keywords): Value {
    this.catValues = itemsOf(arg(args, kw, 0, 'tensors'));
    const shapes = tensorList(arg(args, kw, 0, 'tensors'));
    const dim = int(arg(args, kw, 1, 'dim', 0), 'dim');
    const first = e.args[0]?.value;
    const names = first && (first.t === 'list' || first.t === 'tuple') ? first.items.map((x) => (x.t === 'name' ? x.id : undefined)) : [];
    const label = (i: number): string => names[i] ?? `tensor ${i}`;
    const line = this.lineOf(e.at);
    if (name === 'torch.stack') {
      const s0 = shapes[0];
      if (!s0) throw new TorchRaise('stack expects a non-empty TensorList', -1, '');
      const bad = shapes.findIndex((s) => shapeText(s) !== shapeText(s0));
      if (bad >= 0) {
        const raise = new TorchRaise(`torch.stack at line ${line}: ${label(0)} has shape ${shapeText(s0)} but ${label(bad)} has ${shapeText(shapes[bad] as number[])}; stack expects each tensor to be equal size${this.forInput()}`, line, this.frame.file);
        const axis = s0.findIndex((n, i) => n !== shapes[bad]?.[i]);
        raise.mismatch = this.mismatch('torch.stack', e, bad, Math.max(0, axis), line);
        throw raise;
      }
      return joinedSymbols(this.symbols, true, arg(args, kw, 0, 'tensors'), dim, tensor([...s0.slice(0, dimIndex(dim, s0.length + 1)), shapes.length, ...s0.slice(dimIndex(dim, s0.length + 1))]));
    }
    const result = catShape(shapes, dim);
    if ('shape' in result) {
      // Along the channels, every position is reached by what reaches it in any of the parts.
      const parts = itemsOf(arg(args, kw, 0, 'tensors')).map((t) => (isObj(t, 'tensor') ? t.support : undefined));
      let support: Support | undefined = dimIndex(dim, result.shape.length) === 1 ? parts[0] : undefined;
      for (const part of parts.slice(1)) support = support && part ? unionSupport(support, part) : undefined;
      return joinedSymbols(this.symbols, false, arg(args, kw, 0, 'tensors'), dim, withSupport(tensor(result.shape), support));
    }
    const a = shapes[0] as readonly number[];
    const b = shapes[result.mismatch] as readonly number[];
    const spatial = result.axis >= 2 && a.length === 4;
    const what = spatial ? `${label(0)} is ${spatialText(a)} but ${label(result.mismatch)} is ${spatialText(b)}` : `${label(0)} has shape ${shapeText(a)} but ${label(result.mismatch)} has ${shapeText(b)}`;
    const raise = new TorchRaise(
      `torch.cat at line ${line}: ${what}${this.forInput()} (sizes must match except in dimension ${dimIndex(dim, a.length)}: expected size ${a[result.axis]} but got size ${b[result.axis]} for tensor number ${result.mismatch} in the list)`,
      line,
      this.frame.file,
    );
    raise.mismatch = this.mismatch('torch.cat', e, result.mismatch, result.axis, line);
    throw raise;
  }

  /** The data of a `torch.cat`/`torch.stack` whose first tensor and tensor `other` do not line up. */
  private mismatch(op: string, e: Extract<Expr, { t: 'call' }>, other: number, axis: number, line: number): ShapeMismatch {
    const first = e.args[0]?.value;
    const written = first && (first.t === 'list' || first.t === 'tuple') ? first.items : [];
    const values = this.catValues;
    const operand = (i: number): MismatchOperand => {
      const v = values[i] ?? null;
      const layer = producingLayer(v);
      const expr = written[i];
      return { shape: isObj(v, 'tensor') ? v.shape : [], ...(expr ? namedOperand(expr) : {}), ...(layer ? { layer } : {}) };
    };
    return { op, start: e.at, line, file: this.frame.file, axis, operands: [operand(0), operand(other)], inputShape: this.inputShape };
  }

  call(fn: Value, args: readonly Value[], kw: Keywords, at: number): Value {
    this.tick();
    if (fn === null || typeof fn !== 'object') throw new NotKnown(`${kindOf(fn)} is not callable`);
    switch (fn.k) {
      case 'fn':
        return this.callFunction(fn, args, kw);
      case 'class':
        return moduleValue(this.instantiate(fn, args, kw, at));
      case 'module':
        return this.callModule(fn.m, args, kw);
      case 'builtin':
        return this.callBuiltinValue(fn, args, kw, at);
      case 'unknown':
        return fn;
      default:
        throw new NotKnown(`a ${fn.k} is not callable`);
    }
  }

  callFunction(fn: FunctionValue, args: readonly Value[], kw: Keywords): Value {
    if (this.frames.length > DEPTH_LIMIT) throw new NotKnown('the calls nest too deeply (recursion?)');
    const scope = new Scope(fn.scope);
    const all = fn.self !== undefined ? [fn.self, ...args] : [...args];
    const used = new Set<string>();
    fn.def.params.forEach((p, i) => {
      if (p.star === 1) {
        scope.set(p.name, tuple(all.slice(i)));
        return;
      }
      if (p.star === 2) {
        const map = new Map<string | number, Value>();
        for (const [k, v] of kw) if (!used.has(k)) map.set(k, v);
        scope.set(p.name, { k: 'dict', map });
        return;
      }
      used.add(p.name);
      const given = i < all.length && !fn.def.params.slice(0, i).some((q) => q.star === 1) ? all[i] : kw.get(p.name);
      const v = given !== undefined ? given : fn.defaults?.get(p.name);
      scope.set(p.name, v !== undefined ? v : unknown(`the argument ${p.name} of ${fn.def.name}() is not given`));
    });
    if ('expr' in fn.def) return this.eval(fn.def.expr, scope);
    const owner = fn.owner;
    this.frames.push({ file: fn.file, owner, self: fn.self, lenient: fn.def.name === '__init__' || this.frame.lenient && fn.def.name !== 'forward' });
    try {
      const flow = this.execBlock(fn.def.body, scope);
      return flow !== undefined && typeof flow === 'object' ? flow.value : null;
    } finally {
      this.frames.pop();
    }
  }

  instantiate(cls: ClassValue, args: readonly Value[], kw: Keywords, at: number): ModuleNode {
    const kind = cls.torchBase === 'Sequential' ? 'sequential' : cls.torchBase === 'ModuleList' ? 'list' : cls.torchBase === 'ModuleDict' ? 'dict' : 'instance';
    const node: ModuleNode = Object.assign(newNode(kind, cls.def.name, this.lineOf(at), this.frame?.file ?? '', cls), at >= 0 ? { offset: at } : {});
    const init = lookup(cls, '__init__');
    const self = moduleValue(node);
    if (isObj(init ?? null, 'fn')) this.callFunction({ ...(init as FunctionValue), self }, args, kw);
    else torchInit(node, args);
    return node;
  }

  /** `nn.Sequential.forward`: each child on the previous one's output. */
  private runSequential(m: ModuleNode, input: Value): Value {
    let x = input;
    for (const child of m.children.values()) x = this.callModule(child, [x], NO_KEYWORDS);
    return x;
  }

  callModule(m: ModuleNode, args: readonly Value[], kw: Keywords): Value {
    const forward = m.cls ? lookup(m.cls, 'forward') : undefined;
    if (isObj(forward ?? null, 'fn')) {
      if (!this.trace) return this.callFunction({ ...(forward as FunctionValue), self: moduleValue(m) }, args, kw);
      this.trace.modules[m.path] = m.type;
      this.scopes.push(m.path);
      try {
        return this.trace.block(m, [...args, ...kw.values()], this.callFunction({ ...(forward as FunctionValue), self: moduleValue(m) }, args, kw));
      } finally {
        this.scopes.pop();
      }
    }
    if (m.kind === 'sequential' && this.trace) this.trace.modules[m.path] = m.type;
    if (m.kind === 'sequential') return this.trace ? this.trace.block(m, [args[0] ?? null], this.runSequential(m, args[0] ?? null)) : this.runSequential(m, args[0] ?? null);
    if (m.kind === 'layer') {
      const given = asTensor(args[0] ?? null, `the input of ${m.type}`);
      const input = given.shape;
      let run;
      try {
        run = runLayer(m, input);
      } catch (e) {
        if (e instanceof TorchRaise && m.path !== undefined && !e.message.includes(' at line ')) Object.assign(e, { message: `${m.path || m.type} (${m.type}): ${e.message}${this.forInput()}`, layerOffset: m.offset });
        if (e instanceof TorchRaise || e instanceof NotKnown) this.trace?.fail({ kind: 'layer', op: m.type, path: m.path ?? '', scope: this.scopes.at(-1) ?? '', line: m.line, file: m.file });
        throw e;
      }
      if (this.records && LISTED.has(m.type) && m.path !== undefined) {
        this.records.push({ path: m.path, op: m.type, inputShape: input, outputShape: run.output, macs: run.macs, params: typeof m.params === 'number' ? m.params : Number.NaN, line: m.line, file: m.file });
      }
      const out = withSymbols(this.symbols, given.support ? withSupport(tensor(run.output), layerSupport(m, given.support, run.output)) : tensor(run.output), this.symbols && given.sym && (m.path !== undefined || !this.symbols.sizesRead) ? layerSymbols(m, input, run.output, given.sym) : undefined);
      // A layer that keeps the shape (a norm, an activation, a 3×3 convolution with padding 1) leaves
      // the size to the layer that set it: that is the one whose arguments a fix changes.
      const keeps = given.from && run.output.length === input.length && run.output.every((n, i) => i < 2 || n === input[i]);
      let result: Value = keeps && given.from ? { ...out, from: given.from } : madeBy(out, m, input);
      // MaxPool2d(return_indices=True) gives (output, indices).
      if (m.type.startsWith('AdaptiveMax') || m.type === 'MaxPool2d') {
        if (m.args?.get('return_indices') === true) result = tuple([tensor(run.output), tensor(run.output)]);
      }
      if (this.trace) {
        const transposed = transposedAxes(m);
        const step = { kind: 'layer', op: m.type, path: m.path, scope: this.scopes.at(-1) ?? '', params: typeof m.params === 'number' ? m.params : Number.NaN, macs: run.macs, line: m.line, file: m.file, ...(m.offset === undefined ? {} : { offset: m.offset }) } as const;
        this.trace.record(transposed ? { ...step, transposed } : step, [given], result);
      }
      return result;
    }
    throw new TorchRaise(`Module [${m.type}] is missing the required "forward" function`, -1, '');
  }

  protected override noteOp(op: string, inputs: readonly Value[], output: Value, at: number): void {
    this.traced(op, inputs, output, at);
  }

  /** Records a tensor operation in the trace (when tracing) and gives its result back. */
  private traced(op: string, inputs: readonly Value[], output: Value, at: number): Value {
    this.trace?.record({ kind: 'op', op, path: '', scope: this.scopes.at(-1) ?? '', params: 0, macs: 0, line: this.lineOf(at), file: this.frame.file }, inputs, output);
    return output;
  }

  protected callBuiltinValue(fn: BuiltinValue, args: readonly Value[], kw: Keywords, at: number): Value {
    if (fn.partialArgs && fn.name === 'functools.partial') {
      const target = fn.partialArgs[0] as Value;
      const merged = new Map(fn.partialKw ?? []);
      for (const [k, v] of kw) merged.set(k, v);
      return this.call(target, [...fn.partialArgs.slice(1), ...args], merged, at);
    }
    const name = fn.name;
    const last = name.slice(name.lastIndexOf('.') + 1);
    if (name === 'builtins.super') return { k: 'builtin', name: 'super', self: this.frame.self, partialArgs: [this.frame.owner ?? null] };
    if (name === 'functools.partial') return { k: 'builtin', name, partialArgs: args, partialKw: kw };
    // Weight initialisation (`nn.init.kaiming_normal_(m.weight)`) changes values, not shapes.
    if (name.startsWith('torch.nn.init.')) return null;
    if (name.startsWith('torchinit.')) {
      const self = fn.self !== undefined && isObj(fn.self, 'module') ? fn.self.m : undefined;
      if (last === '__init__' && self) torchInit(self, args);
      else if (last === 'forward' && self?.kind === 'sequential') return this.runSequential(self, args[0] ?? null);
      else if (last !== '__init__') throw new NotKnown(`super().${last}() is not read`);
      return null;
    }
    if (name.startsWith('torch.nn.') && !name.startsWith('torch.nn.functional.') && name.split('.').length === 3) return constructModule(last, args, kw, this.lineOf(at), this.frame.file, at);
    const self = name.startsWith('tensor.') ? fn.self : undefined;
    if (self !== undefined || name.startsWith('torch.nn.functional.') || /^torch\.[a-z_]+$/.test(name)) return this.traced(last, [...(self !== undefined ? [self] : []), ...args, ...kw.values()], functionSymbols(this.symbols, last, self, args, kw, functionSupport(last, self, args, kw, callTensorFunction(last, self, args, kw))), at);
    if (name.startsWith('module.')) return moduleMethod(fn.self as Value, last, args, kw);
    return callBuiltin(name, fn.self, args, kw, this);
  }
}
