/**
 * The integer constants a model file names its sizes with (`nz, ngf, nc = 100, 64, 3`,
 * `def __init__(self, latent_dim=128, base=64)`), and the arithmetic authors write with them
 * (`ngf * 8`, `base // 2`, `(ngf*4)`). A name bound to two different values in the file is left
 * unbound: Layer Lens never picks one of two readings.
 */
import { withLineFeeds } from './lineBreaks';

/** Names bound to one integer value each in a file. */
export type ConstantBindings = ReadonlyMap<string, number>;

/** `name = 12`, `a, b, c = 1, 2, 3` at the start of a line (any indentation); `name=12` defaults in a `def` signature. */
const ASSIGNMENT = /^[ \t]*([A-Za-z_][\w]*(?:[ \t]*,[ \t]*[A-Za-z_][\w]*)*)[ \t]*=[ \t]*([-+\d][\d_ \t,+\-*/()]*?)[ \t]*(?:#.*)?$/gm;
const DEF = /\bdef[ \t]+\w+[ \t]*\(([^)]*)\)/g;
const DEFAULT = /(?:^|,)\s*(?:\*\s*,\s*)?([A-Za-z_]\w*)\s*(?::\s*int\s*)?=\s*(-?\d+)\s*(?=,|$)/g;

/** Every integer constant of `text` that has a single value. */
export function readConstants(document: string): ConstantBindings {
  const text = withLineFeeds(document);
  const seen = new Map<string, number | 'ambiguous'>();
  const bind = (name: string, value: number | undefined) => {
    if (value === undefined || !Number.isSafeInteger(value)) return;
    const known = seen.get(name);
    seen.set(name, known === undefined || known === value ? value : 'ambiguous');
  };
  for (const match of text.matchAll(ASSIGNMENT)) {
    const names = (match[1] as string).split(',').map((n) => n.trim());
    const values = splitTopLevel(match[2] as string);
    if (names.length !== values.length) continue;
    names.forEach((name, i) => bind(name, evaluateInteger(values[i] as string, new Map())));
  }
  for (const def of text.matchAll(DEF)) {
    for (const param of (def[1] as string).replace(/\s+/g, ' ').matchAll(DEFAULT)) bind(param[1] as string, Number(param[2]));
  }
  const bindings = new Map<string, number>();
  for (const [name, value] of seen) if (value !== 'ambiguous') bindings.set(name, value);
  return bindings;
}

/** `text` split at the commas outside brackets (`32, (7, 7), affine=False` → three parts, untrimmed). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const last = text.slice(start);
  if (last.trim() !== '' || parts.length === 0) parts.push(last);
  return parts;
}

/**
 * The value of an integer expression of literals and bound names (`ngf * 8`, `self.base // 2`,
 * `(c + 1) * 2`), or `undefined` when a name is unbound or the result is not an integer.
 * `self.` and `cls.` prefixes are read as the plain name: attributes set from constructor arguments.
 */
export function evaluateInteger(text: string, bindings: ConstantBindings): number | undefined {
  const tokens = text.match(/\d+|[A-Za-z_][\w.]*|\/\/|\*\*|[-+*/()]|\S/g);
  if (!tokens) return undefined;
  let p = 0;
  const peek = () => tokens[p];
  const primary = (): number | undefined => {
    const t = tokens[p++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const v = sum();
      return tokens[p++] === ')' ? v : undefined;
    }
    if (t === '-' || t === '+') {
      const v = power();
      return v === undefined ? undefined : t === '-' ? -v : v;
    }
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) return bindings.get(t.replace(/^(self|cls)\./, ''));
    return undefined;
  };
  const power = (): number | undefined => {
    const base = primary();
    if (peek() !== '**') return base;
    p++;
    const exponent = power();
    return base === undefined || exponent === undefined || exponent < 0 ? undefined : base ** exponent;
  };
  const product = (): number | undefined => {
    let v = power();
    for (let op = peek(); op === '*' || op === '/' || op === '//'; op = peek()) {
      p++;
      const r = power();
      if (v === undefined || r === undefined) return undefined;
      if (op === '*') v *= r;
      else if (r === 0) return undefined;
      else if (op === '//') v = Math.floor(v / r);
      else if (v % r === 0) v /= r;
      else return undefined;
    }
    return v;
  };
  function sum(): number | undefined {
    let v = product();
    for (let op = peek(); op === '+' || op === '-'; op = peek()) {
      p++;
      const r = product();
      if (v === undefined || r === undefined) return undefined;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  }
  const value = sum();
  return p === tokens.length && value !== undefined && Number.isSafeInteger(value) ? value : undefined;
}
