/**
 * The arguments a model is built with. Real model classes seldom build with no arguments: milesial's
 * `UNet(n_channels, n_classes, bilinear=False)`, CycleGAN's `ResnetGenerator(input_nc, output_nc, …)`
 * and ESRGAN's `RRDBNet(in_nc, out_nc, nf, nb)` all require some. Their authors' own code says what
 * they are built with: `UNet(n_channels=3, n_classes=2)` in a training script or `hubconf.py`. So
 * each `__init__` parameter gets its value, in order of precedence, from what the user gave, from a
 * call of the class found in the workspace (only for a parameter without a default, and only a
 * literal: `n_classes=args.classes` says nothing), from its default, or it is missing and said so.
 * Never guessed.
 */
import type { Arg, ClassDef, Expr, FunctionDef, Stmt } from './pyAst';
import { Interpreter } from './interpreter';
import { parseModule } from './pyParser';
import { LineIndex } from './pyTokens';

/** A value a constructor argument may take: a Python literal. */
export type ConstructorArgument = number | string | boolean | null | readonly (number | string | boolean | null)[];

/** One parameter of `__init__` (without `self`). */
export interface ConstructorParameter {
  readonly name: string;
  /** The default as written (`False`, `64`, `'batch'`), absent when there is none. */
  readonly defaultText?: string;
  /** `*args` (1) or `**kwargs` (2): never given a value here. */
  readonly star?: 1 | 2;
}

/** Where an argument's value comes from. */
export type ArgumentOrigin = 'given' | 'call' | 'default' | 'missing';

/** One parameter with its value and where the value comes from. */
export interface ResolvedArgument {
  readonly name: string;
  readonly origin: ArgumentOrigin;
  /** The value as Python writes it (`3`, `False`, `'batch'`), absent when missing. */
  readonly text?: string;
  /** For `call`: where the call is, `train.py:197`. */
  readonly where?: string;
}

/** The arguments a model class is built with. */
export interface ModelConstructor {
  /** How `__init__` is called, as Python would write it: `UNet(n_channels=3, n_classes=?, bilinear=False)`. */
  readonly call: string;
  readonly arguments: readonly ResolvedArgument[];
  /** The keyword arguments to build with: what was given and what a call supplied (defaults are the class's own). */
  readonly values: Readonly<Record<string, ConstructorArgument>>;
  /** The parameters without a value: the model cannot be built until they are given. */
  readonly missing: readonly string[];
  /** Where the class is defined (1-based line, `''` the main source): where a missing argument is reported. */
  readonly definedAt?: { readonly line: number; readonly file: string };
}

/** A call of the class found in a file: its literal arguments by parameter name, and the others' text. */
export interface ConstructorCall {
  readonly where: string;
  readonly literals: ReadonlyMap<string, ConstructorArgument>;
  /** Whether every argument of the call is a literal (the call says all it passes). */
  readonly complete: boolean;
}

/** The files searched for calls hold at most this many characters each; a larger one is not a script. */
const MAX_CALLER_CHARS = 1_000_000;
/** At most this many calls are read per file. */
const MAX_CALLS_PER_FILE = 50;

/**
 * The arguments `className` is built with: `given` by the user, else supplied by a call in one of
 * `callers` (file name → text), else defaults. Null when the class cannot be found.
 */
export function modelConstructor(
  source: string,
  options: { readonly className: string; readonly files?: Readonly<Record<string, string>>; readonly args?: Readonly<Record<string, ConstructorArgument>>; readonly callers?: Readonly<Record<string, string>> },
): ModelConstructor | null {
  let classes: ClassDef[];
  try {
    const interpreter = new Interpreter(source, options.files ?? {});
    classes = [];
    for (let c: ReturnType<Interpreter['findClass']> | undefined = interpreter.findClass(options.className); c && classes.length < 16; c = c.base) classes.push(c.def);
  } catch {
    return null;
  }
  const parameters = constructorParameters(classes);
  const calls = Object.entries(options.callers ?? {}).flatMap(([file, text]) => findConstructorCalls(text, file, options.className, parameters));
  const cls = classes[0] as ClassDef;
  return { ...resolveConstructor(options.className, parameters, options.args ?? {}, calls), definedAt: { line: cls.line, file: cls.file } };
}

/**
 * Why a model with missing arguments cannot be built, said at its class rather than where the
 * missing value is first used (a layer in another file); undefined when none is missing.
 */
export function missingArgumentsProblem(built: ModelConstructor | null): { readonly line: number; readonly file: string; readonly message: string } | undefined {
  if (!built || built.missing.length === 0) return undefined;
  const names = built.missing.join(', ');
  const them = built.missing.length === 1 ? 'it' : 'them';
  return {
    line: built.definedAt?.line ?? 0,
    file: built.definedAt?.file ?? '',
    message: `${built.call.slice(0, built.call.indexOf('('))}.__init__() needs ${names}: no default, and no call of the class with literal arguments gives ${them}: give ${them} as constructor arguments`,
  };
}

/** The parameters of `__init__` in the first of `classes` (a class, then its user base classes) that writes one; none when none does. */
export function constructorParameters(classes: readonly ClassDef[]): ConstructorParameter[] {
  for (const c of classes) {
    const init = c.body.find((s): s is Extract<Stmt, { t: 'def' }> => s.t === 'def' && s.def.name === '__init__')?.def;
    if (init) return parametersOf(init);
  }
  return [];
}

function parametersOf(init: FunctionDef): ConstructorParameter[] {
  return init.params.slice(1).map((p) => ({
    name: p.name,
    ...(p.default ? { defaultText: exprText(p.default) } : {}),
    ...(p.star ? { star: p.star } : {}),
  }));
}

/**
 * The calls of `className` (or of a name it is imported as: `from unet import UNet as _UNet`) in
 * `text`, with their literal arguments named by `parameters`. Calls that pass `*args` or
 * `**kwargs` are left out (what they pass cannot be read).
 */
export function findConstructorCalls(
  text: string,
  file: string,
  className: string,
  parameters: readonly ConstructorParameter[],
  /** Whether calls inside class bodies count (a part built by its model: `Down(64, 128)` in `UNet.__init__`). */
  inClasses = true,
): ConstructorCall[] {
  if (text.length > MAX_CALLER_CHARS || !/^[A-Za-z_]\w*$/.test(className) || !text.includes(className)) return [];
  const names = new Set([className]);
  for (const m of text.matchAll(new RegExp(`\\b${className}\\s+as\\s+([A-Za-z_]\\w*)`, 'g'))) names.add(m[1] as string);
  let body: Stmt[];
  try {
    body = parseModule(text, file);
  } catch {
    return [];
  }
  const lines = new LineIndex(text);
  const calls: ConstructorCall[] = [];
  const positional = parameters.filter((p) => !p.star);
  walkCalls(body, inClasses, (call) => {
    if (calls.length >= MAX_CALLS_PER_FILE || !names.has(calleeName(call.fn))) return;
    if (call.args.some((a) => a.star)) return;
    const literals = new Map<string, ConstructorArgument>();
    let index = 0;
    for (const arg of call.args) {
      const name = arg.name ?? positional[index++]?.name;
      if (name === undefined) return; // more positional arguments than parameters: not this class's call
      const value = literalOf(arg.value);
      if (value !== undefined) literals.set(name, value);
    }
    calls.push({ where: `${file}:${lines.line(call.at)}`, literals, complete: literals.size === call.args.length });
  });
  return calls;
}

/**
 * The arguments to build with. `given` (the user's) wins; a parameter without a default then takes
 * its value from the call that supplies the most of them (the first found on a tie); the rest keep
 * their defaults; what is left is missing.
 */
export function resolveConstructor(className: string, parameters: readonly ConstructorParameter[], given: Readonly<Record<string, ConstructorArgument>>, calls: readonly ConstructorCall[]): ModelConstructor {
  const named = parameters.filter((p) => !p.star);
  const required = named.filter((p) => p.defaultText === undefined && !(p.name in given)).map((p) => p.name);
  let best: ConstructorCall | undefined;
  let bestCount = 0;
  for (const call of calls) {
    const count = required.filter((n) => call.literals.has(n)).length;
    if (count > bestCount) [best, bestCount] = [call, count];
  }
  // Every given argument is passed on, a keyword __init__ does not take too: building then raises
  // Python's TypeError for it, rather than the typo being dropped and a call's value used instead.
  const values: Record<string, ConstructorArgument> = { ...given };
  const resolved: ResolvedArgument[] = [];
  const missing: string[] = [];
  for (const p of named) {
    if (p.name in given) {
      values[p.name] = given[p.name] as ConstructorArgument;
      resolved.push({ name: p.name, origin: 'given', text: pythonLiteral(given[p.name] as ConstructorArgument) });
    } else if (p.defaultText === undefined && best?.literals.has(p.name)) {
      const value = best.literals.get(p.name) as ConstructorArgument;
      values[p.name] = value;
      resolved.push({ name: p.name, origin: 'call', text: pythonLiteral(value), where: best.where });
    } else if (p.defaultText !== undefined) {
      resolved.push({ name: p.name, origin: 'default', text: p.defaultText });
    } else {
      missing.push(p.name);
      resolved.push({ name: p.name, origin: 'missing' });
    }
  }
  const call = `${className}(${resolved.map((a) => `${a.name}=${a.text ?? '?'}`).join(', ')})`;
  return { call, arguments: resolved, values, missing };
}

const isLiteral = (v: unknown): boolean => v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** Constructor arguments as a message or storage holds them: parameter names to Python literals (checked, since either may hold anything). */
export function isConstructorArguments(value: unknown): value is Record<string, ConstructorArgument> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length <= 64 && entries.every(([name, v]) => /^[A-Za-z_]\w*$/.test(name) && (isLiteral(v) || (Array.isArray(v) && v.length <= 64 && v.every(isLiteral))));
}

/** A value as Python writes it. */
export function pythonLiteral(value: ConstructorArgument): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number') return String(value);
  return `[${value.map((v) => pythonLiteral(v)).join(', ')}]`;
}

/**
 * A value typed by the user (`3`, `False`, `'batch'`, `(64, 128)`), read as the Python literal it
 * is, or a message saying what is wrong with it.
 */
export function readArgumentText(text: string): { readonly ok: true; readonly value: ConstructorArgument } | { readonly ok: false; readonly message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'a value is needed (a number, True/False, None, a quoted string, or a list of them)' };
  if (trimmed.length > 1000) return { ok: false, message: 'the value is longer than 1000 characters' };
  let body: Stmt[];
  try {
    body = parseModule(`_ = ${trimmed}\n`);
  } catch {
    body = [];
  }
  const stmt = body.length === 1 ? body[0] : undefined;
  const value = stmt?.t === 'assign' ? literalOf(stmt.value) : undefined;
  if (value === undefined) return { ok: false, message: `${trimmed} is not a Python literal: write a number, True/False, None, a quoted string, or a list or tuple of them` };
  return { ok: true, value };
}

/** The literal value of `e` (numbers, strings, True/False/None, lists and tuples of them), or undefined. */
function literalOf(e: Expr): ConstructorArgument | undefined {
  switch (e.t) {
    case 'num':
      return e.v;
    case 'str':
      return e.format ? undefined : e.v;
    case 'name':
      return e.id === 'True' ? true : e.id === 'False' ? false : e.id === 'None' ? null : undefined;
    case 'un': {
      if (e.op !== '-' && e.op !== '+') return undefined;
      const v = literalOf(e.e);
      return typeof v === 'number' ? (e.op === '-' ? -v : v) : undefined;
    }
    case 'tuple':
    case 'list': {
      const items = e.items.map(literalOf);
      return items.every((v): v is number | string | boolean | null => v !== undefined && !Array.isArray(v)) ? items : undefined;
    }
    default:
      return undefined;
  }
}

function calleeName(fn: Expr): string {
  return fn.t === 'name' ? fn.id : fn.t === 'attr' ? fn.name : '';
}

/** A default written out again (a literal as Python writes it, a name or attribute as is, anything else as `…`). */
function exprText(e: Expr): string {
  const literal = literalOf(e);
  if (literal !== undefined) return pythonLiteral(literal);
  if (e.t === 'name') return e.id;
  if (e.t === 'attr') return `${exprText(e.obj)}.${e.name}`;
  if (e.t === 'call' && e.args.length === 0) return `${exprText(e.fn)}()`;
  return '…';
}

/** Calls `visit` for every call expression in `body`, nested ones included (in class bodies too when `inClasses`). */
function walkCalls(body: readonly Stmt[], inClasses: boolean, visit: (call: Extract<Expr, { t: 'call' }>) => void): void {
  const expr = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.t) {
      case 'call':
        visit(e);
        expr(e.fn);
        e.args.forEach((a: Arg) => expr(a.value));
        return;
      case 'attr':
        return expr(e.obj);
      case 'sub':
        expr(e.obj);
        return expr(e.index);
      case 'tuple':
      case 'list':
      case 'set':
        return e.items.forEach(expr);
      case 'dict':
        return e.entries.forEach(([k, v]) => (expr(k), expr(v)));
      case 'bin':
        expr(e.l);
        return expr(e.r);
      case 'un':
      case 'star':
        return expr(e.e);
      case 'cmp':
      case 'bool':
        return e.items.forEach(expr);
      case 'ifexp':
        expr(e.cond);
        expr(e.a);
        return expr(e.b);
      case 'comp':
        expr(e.elt);
        return e.gens.forEach((g) => (expr(g.iter), g.conds.forEach(expr)));
      default:
        return;
    }
  };
  const stmts = (list: readonly Stmt[]): void => {
    for (const s of list) {
      switch (s.t) {
        case 'expr':
          expr(s.e);
          break;
        case 'assign':
          expr(s.value);
          break;
        case 'aug':
          expr(s.value);
          break;
        case 'return':
          expr(s.e);
          break;
        case 'if':
          s.branches.forEach(([cond, b]) => (expr(cond), stmts(b)));
          stmts(s.orelse);
          break;
        case 'for':
          expr(s.iter);
          stmts(s.body);
          break;
        case 'while':
          expr(s.cond);
          stmts(s.body);
          break;
        case 'with':
          stmts(s.body);
          break;
        case 'try':
          stmts(s.body);
          stmts(s.final);
          break;
        case 'def':
          stmts(s.def.body);
          break;
        case 'class':
          if (inClasses) stmts(s.def.body);
          break;
        default:
          break;
      }
    }
  };
  stmts(body);
}
