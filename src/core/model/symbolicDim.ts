/**
 * Sizes as formulas in the input's named sizes (`N`, `H`, `W`, `L`, `D`): the symbolic shapes of the
 * model view (`[N, 128, ⌊H/2⌋, ⌊W/2⌋]`). A size is a sum of integer multiples of atoms plus a
 * constant, an atom being a named size or the floor of a size divided by an integer ≥ 2. That is
 * enough for every layer whose output size is affine in its input size up to floor division
 * (convolution, transposed convolution, pooling without ceil mode, padding, integer upsampling,
 * pixel shuffle, concatenation), and small enough that each simplification below is an identity
 * over the integers, so a simplified formula equals the unsimplified one for every input size:
 *
 * - ⌊(X + s·Y)/s⌋ = ⌊X/s⌋ + Y for integer-valued Y (multiples of the divisor move out; the
 *   constant left inside is in 0 … s − 1, so `⌊(H − 1)/2⌋ + 1` is written `⌊(H + 1)/2⌋`);
 * - ⌊(g·X + r)/(g·s)⌋ = ⌊(X + ⌊r/g⌋)/s⌋ where g divides every coefficient of X;
 * - ⌊(⌊X/a⌋ + r)/s⌋ = ⌊(X + r·a)/(a·s)⌋ (nested floors of positive integer divisors).
 *
 * Values are plain data (they cross the worker boundary in the model trace).
 */

/** A named size (`H`) or `⌊num / div⌋` with an integer div ≥ 2. */
export type DimAtom = { readonly name: string } | { readonly num: Dim; readonly div: number };

export interface DimTerm {
  /** A non-zero integer. */
  readonly coef: number;
  readonly atom: DimAtom;
}

/** `c + Σ coef·atom`, terms in a canonical order (see {@link dimKey}), no two with the same atom. */
export interface Dim {
  readonly c: number;
  readonly terms: readonly DimTerm[];
}

/** The order named sizes are written in. */
const NAME_ORDER = ['N', 'C', 'D', 'H', 'W', 'L'];

export function dimConst(c: number): Dim {
  return { c, terms: [] };
}

export function dimName(name: string): Dim {
  return { c: 0, terms: [{ coef: 1, atom: { name } }] };
}

export function isConstDim(d: Dim): boolean {
  return d.terms.length === 0;
}

function atomKey(a: DimAtom): string {
  if ('name' in a) return `0${String(NAME_ORDER.indexOf(a.name) + 10).padStart(2, '0')}${a.name}`;
  return `1(${dimKey(a.num)})/${a.div}`;
}

/** A text that two sizes share exactly when they are the same formula. */
export function dimKey(d: Dim): string {
  return `${d.terms.map((t) => `${t.coef}*${atomKey(t.atom)}`).join('+')}|${d.c}`;
}

export function dimEquals(a: Dim, b: Dim): boolean {
  return dimKey(a) === dimKey(b);
}

/** Sums terms, merging those of one atom and dropping zeros, in the canonical order. */
function normal(c: number, terms: readonly DimTerm[]): Dim {
  const byKey = new Map<string, DimTerm>();
  for (const t of terms) {
    const key = atomKey(t.atom);
    const had = byKey.get(key);
    byKey.set(key, { coef: (had?.coef ?? 0) + t.coef, atom: t.atom });
  }
  const merged = [...byKey.entries()].filter(([, t]) => t.coef !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { c, terms: merged.map(([, t]) => t) };
}

export function dimAdd(a: Dim, b: Dim): Dim {
  return normal(a.c + b.c, [...a.terms, ...b.terms]);
}

export function dimPlus(a: Dim, n: number): Dim {
  return { c: a.c + n, terms: a.terms };
}

/** `k·a` for an integer k. */
export function dimTimes(a: Dim, k: number): Dim {
  if (k === 0) return dimConst(0);
  return { c: a.c * k, terms: a.terms.map((t) => ({ coef: t.coef * k, atom: t.atom })) };
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
const mod = (a: number, s: number): number => ((a % s) + s) % s;

/** `⌊a / s⌋` for an integer s ≥ 1, simplified by the identities of the module comment. */
export function dimFloorDiv(a: Dim, s: number): Dim {
  if (s === 1) return a;
  // Whole multiples of s move out of the floor.
  const out: DimTerm[] = [];
  const rest: DimTerm[] = [];
  for (const t of a.terms) (t.coef % s === 0 ? out : rest).push(t.coef % s === 0 ? { coef: t.coef / s, atom: t.atom } : t);
  const outside = normal(Math.floor(a.c / s), out);
  let r = mod(a.c, s);
  if (rest.length === 0) return outside;
  // A common factor of the coefficients and the divisor cancels (the constant rounds down with it).
  const g = rest.reduce((acc, t) => gcd(acc, t.coef), s);
  let div = s;
  let inner = rest;
  if (g > 1) {
    inner = rest.map((t) => ({ coef: t.coef / g, atom: t.atom }));
    div = s / g;
    r = Math.floor(r / g);
    if (div === 1) return dimAdd(outside, normal(r, inner));
  }
  // ⌊(⌊X/a⌋ + r)/s⌋ = ⌊(X + r·a)/(a·s)⌋.
  const only = inner.length === 1 ? (inner[0] as DimTerm) : undefined;
  if (only && only.coef === 1 && 'num' in only.atom) {
    return dimAdd(outside, dimFloorDiv(dimPlus(only.atom.num, r * only.atom.div), only.atom.div * div));
  }
  return dimAdd(outside, { c: 0, terms: [{ coef: 1, atom: { num: normal(r, inner), div } }] });
}

/** `⌈a / s⌉ = ⌊(a + s − 1) / s⌋`. */
export function dimCeilDiv(a: Dim, s: number): Dim {
  return dimFloorDiv(dimPlus(a, s - 1), s);
}

/** `a·b` when one of them is a constant (the product of two named sizes is not a size here). */
export function dimProduct(a: Dim, b: Dim): Dim | undefined {
  if (isConstDim(a)) return dimTimes(b, a.c);
  if (isConstDim(b)) return dimTimes(a, b.c);
  return undefined;
}

/** The size for the named sizes' values in `env` (undefined when a name has no value). */
export function dimValue(d: Dim, env: Readonly<Record<string, number>>): number | undefined {
  let total = d.c;
  for (const t of d.terms) {
    const v = 'name' in t.atom ? env[t.atom.name] : atomFloor(t.atom, env);
    if (v === undefined) return undefined;
    total += t.coef * v;
  }
  return total;
}

function atomFloor(a: { readonly num: Dim; readonly div: number }, env: Readonly<Record<string, number>>): number | undefined {
  const n = dimValue(a.num, env);
  return n === undefined ? undefined : Math.floor(n / a.div);
}

/** `⌊(H + 1)/2⌋`, `2·⌊H/2⌋`, `H − 2`, `128`. */
export function dimText(d: Dim): string {
  const parts: string[] = [];
  for (const t of d.terms) {
    const atom = 'name' in t.atom ? t.atom.name : floorText(t.atom);
    const size = Math.abs(t.coef);
    // A constructor's name reads as written (`ngf·8`); an axis's as in formulas (`2·H`).
    const body = size === 1 ? atom : 'name' in t.atom && atom.length > 1 ? `${atom}·${size}` : `${size}·${atom}`;
    parts.push(parts.length === 0 ? (t.coef < 0 ? `−${body}` : body) : t.coef < 0 ? ` − ${body}` : ` + ${body}`);
  }
  if (parts.length === 0) return d.c < 0 ? `−${-d.c}` : String(d.c);
  if (d.c !== 0) parts.push(d.c < 0 ? ` − ${-d.c}` : ` + ${d.c}`);
  return parts.join('');
}

function floorText(a: { readonly num: Dim; readonly div: number }): string {
  const inner = dimText(a.num);
  const simple = a.num.c === 0 && a.num.terms.length === 1;
  return `⌊${simple ? inner : `(${inner})`}/${a.div}⌋`;
}
