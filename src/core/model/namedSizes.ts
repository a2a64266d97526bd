/**
 * Channel counts by the names they are written with: in the model class's own `__init__`, a layer's
 * `out_channels` / `out_features` written as `ngf * 8` (a constructor parameter, or a module-level
 * constant as DCGAN's `ngf = 64`) is the formula `ngf·8` of symbolicDim.ts. Other names in the
 * expression (a loop's `mult`, a local) count with their value at that moment, so `ngf * mult * 2`
 * with mult = 2 is `ngf·4`; what the algebra cannot write (`min(ngf * 8, 512)`) is left a number.
 * Each name stands for one value in the run (the first it had): a name whose value changes in
 * `__init__` is not used again, so a formula never means two things.
 */
import type { Arg, Expr } from './pyAst';
import { dimAdd, dimConst, dimFloorDiv, dimName, dimProduct, dimTimes, type Dim } from './symbolicDim';
import type { ClassValue, ModuleNode, Scope, Value } from './values';

/** The layer arguments a name is followed for, by layer type pattern: position in PyTorch's signature and name. */
const SIZED_ARGUMENTS: readonly (readonly [RegExp, number, string])[] = [
  [/^Conv(Transpose)?[123]d$/, 1, 'out_channels'],
  [/^Linear$/, 1, 'out_features'],
];

/** Names a formula of sizes already uses for the input's axes. */
const RESERVED = new Set(['N', 'C', 'D', 'H', 'W', 'L']);

export class SizeNaming {
  /** The names used and their values (`{ ngf: 64 }`). */
  readonly env: Record<string, number> = {};
  private readonly unstable = new Set<string>();
  private readonly params: ReadonlySet<string>;

  constructor(private readonly root: ClassValue) {
    const init = root.def.body.find((s) => s.t === 'def' && s.def.name === '__init__');
    this.params = new Set(init?.t === 'def' ? init.def.params.filter((p) => p.star === undefined).map((p) => p.name) : []);
  }

  /** After `node` was built by a call written with `args` in `scope`: its sized arguments' formulas, when it is built in the model class's own `__init__`. */
  note(node: ModuleNode, args: readonly Arg[], scope: Scope, owner: ClassValue | undefined): void {
    if (owner !== this.root || node.kind !== 'layer') return;
    for (const [pattern, index, name] of SIZED_ARGUMENTS) {
      if (!pattern.test(node.type)) continue;
      const written = args.find((a) => a.name === name)?.value ?? (args.slice(0, index + 1).every((a) => a.name === undefined && a.star === undefined) ? args[index]?.value : undefined);
      const dim = written && this.dimOf(written, scope);
      if (dim && dim.terms.length > 0) node.namedSizes = { ...node.namedSizes, [name]: dim };
    }
  }

  /** The expression as a formula of names, or null where the algebra cannot write it. */
  private dimOf(e: Expr, scope: Scope): Dim | null {
    switch (e.t) {
      case 'num':
        return e.int ? dimConst(e.v) : null;
      case 'name':
        return this.nameDim(e.id, scope);
      case 'un':
        return e.op === '-' ? mapDim(this.dimOf(e.e, scope), (d) => dimTimes(d, -1)) : null;
      case 'bin': {
        const l = this.dimOf(e.l, scope);
        const r = this.dimOf(e.r, scope);
        if (!l || !r) return null;
        if (e.op === '+') return dimAdd(l, r);
        if (e.op === '-') return dimAdd(l, dimTimes(r, -1));
        if (e.op === '*') return dimProduct(l, r) ?? null;
        if (e.op === '//' && r.terms.length === 0 && r.c > 0) return dimFloorDiv(l, r.c);
        if (e.op === '**' && l.terms.length === 0 && r.terms.length === 0 && r.c >= 0) return dimConst(l.c ** r.c);
        return null;
      }
      default:
        return null;
    }
  }

  private nameDim(id: string, scope: Scope): Dim | null {
    const value: Value | undefined = scope.get(id);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return null;
    const nameable = !RESERVED.has(id) && !this.unstable.has(id) && (scope.vars.has(id) ? this.params.has(id) : isGlobal(scope, id));
    if (!nameable) return dimConst(value);
    const had = this.env[id];
    if (had !== undefined && had !== value) {
      // The name now holds another value: from here on it is a number, and it is not named again.
      this.unstable.add(id);
      return dimConst(value);
    }
    this.env[id] = value;
    return dimName(id);
  }
}

/** Whether `id` is found in the outermost scope (the file's module level). */
function isGlobal(scope: Scope, id: string): boolean {
  let s: Scope | undefined = scope;
  while (s && !s.vars.has(id)) s = s.parent;
  return s !== undefined && s.parent === undefined;
}

function mapDim(d: Dim | null, f: (d: Dim) => Dim): Dim | null {
  return d ? f(d) : null;
}
