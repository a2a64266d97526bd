/**
 * The only expressions Layer Lens evaluates in a user's debug session are built here, from a
 * variable reference it has checked: a Python name, then attribute names and integer indices
 * (`x`, `self.up`, `big[0, 5]`, `outs[-1].weight`). Anything else (calls, operators, slices,
 * strings, keywords, dunder names) is refused with the place and the reason, before anything is
 * evaluated. The text sent to the session is rendered from the parsed parts, never copied from the
 * user's text, so what reaches Python is exactly what this grammar allows.
 */

/** One step after the first name: `.name` or `[i, j, …]`. */
export type AccessStep = { readonly kind: 'attribute'; readonly name: string } | { readonly kind: 'index'; readonly indices: readonly number[] };

/** A checked reference: a name and the steps after it. */
export interface LiveExpression {
  readonly name: string;
  readonly steps: readonly AccessStep[];
}

export type ExpressionReading = { readonly ok: true; readonly expression: LiveExpression } | { readonly ok: false; readonly problem: string };

/** Python's keywords: a name that is one is not a variable. */
const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Longest text accepted: a reference is short; a long one is pasted code. */
export const MAX_EXPRESSION_LENGTH = 200;
/** Index values beyond this are refused (Python accepts them, but no tensor axis is this long). */
const MAX_INDEX = 2 ** 31;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*/;
const INTEGER = /^-?[0-9]+/;

/** Reads `text` as a variable reference, or says why it is not one (and where). */
export function parseLiveExpression(text: unknown): ExpressionReading {
  if (typeof text !== 'string') return refuse(`an expression is text such as "x" or "self.up", not ${text === undefined ? 'nothing' : typeof text}`);
  if (text.length > MAX_EXPRESSION_LENGTH) return refuse(`the expression is ${text.length} characters long; Layer Lens reads a variable, an attribute or an indexed element (at most ${MAX_EXPRESSION_LENGTH} characters)`);
  let rest = text.trim();
  const at = () => text.trim().length - rest.length;
  const first = readName(rest);
  if (!first.ok) return refuse(first.problem + where(text, 0));
  rest = rest.slice(first.name.length);
  const steps: AccessStep[] = [];
  while ((rest = rest.replace(/^\s+/, '')).length > 0) {
    if (rest.startsWith('.')) {
      rest = rest.slice(1).replace(/^\s+/, '');
      const attribute = readName(rest);
      if (!attribute.ok) return refuse(attribute.problem + where(text, at()));
      steps.push({ kind: 'attribute', name: attribute.name });
      rest = rest.slice(attribute.name.length);
    } else if (rest.startsWith('[')) {
      const closing = rest.indexOf(']');
      if (closing < 0) return refuse(`an index "[" is never closed${where(text, at())}`);
      const inside = rest.slice(1, closing);
      const parts = inside.split(',');
      if (parts.length > 1 && parts.at(-1)?.trim() === '') parts.pop(); // `x[0,]` is `x[0]`
      const indices: number[] = [];
      for (const part of parts) {
        const item = part.trim().replace(/^-\s+/, '-');
        const integer = INTEGER.exec(item);
        if (!integer || integer[0].length !== item.length) {
          return refuse(`"[${inside}]" is not integer indexing: Layer Lens indexes with whole numbers only (such as "[0, 5]"), no slices, names or expressions${where(text, at())}`);
        }
        const value = Number(integer[0]);
        if (Math.abs(value) > MAX_INDEX) return refuse(`the index ${integer[0]} is out of any tensor's range${where(text, at())}`);
        indices.push(value === 0 ? 0 : value); // -0 → 0
      }
      if (indices.length === 0) return refuse(`an empty index "[]"${where(text, at())}`);
      steps.push({ kind: 'index', indices });
      rest = rest.slice(closing + 1);
    } else {
      return refuse(`"${rest.slice(0, 20)}" cannot follow a reference: Layer Lens evaluates names, attributes (".name") and integer indexing ("[0, 5]") only, no calls or operators${where(text, at())}`);
    }
  }
  return { ok: true, expression: { name: first.name, steps } };
}

/** The expression as Python source: rebuilt from its checked parts, spaced canonically. */
export function renderExpression(expression: LiveExpression): string {
  let text = expression.name;
  for (const step of expression.steps) text += step.kind === 'attribute' ? `.${step.name}` : `[${step.indices.join(', ')}]`;
  return text;
}

/** `expression.attribute` for an attribute name of Layer Lens's own (`weight`, `bias`). */
export function withAttribute(expression: LiveExpression, name: string): LiveExpression {
  const checked = readName(name);
  if (!checked.ok || checked.name !== name) throw new Error(`Layer Lens bug: "${name}" is not an attribute name`);
  return { name: expression.name, steps: [...expression.steps, { kind: 'attribute', name }] };
}

/** `expression[i, j, …]`: a slice of a tensor too large to fetch whole. */
export function withIndex(expression: LiveExpression, indices: readonly number[]): LiveExpression {
  if (!indices.every((i) => Number.isSafeInteger(i))) throw new Error('Layer Lens bug: indices must be integers');
  return { name: expression.name, steps: [...expression.steps, { kind: 'index', indices: [...indices] }] };
}

function readName(text: string): { ok: true; name: string } | { ok: false; problem: string } {
  const match = IDENTIFIER.exec(text);
  if (!match) {
    const shown = text.length === 0 ? 'nothing' : `"${text.slice(0, 20)}"`;
    return { ok: false, problem: `expected a Python name (letters, digits and "_", not starting with a digit) but found ${shown}` };
  }
  const name = match[0];
  if (KEYWORDS.has(name)) return { ok: false, problem: `"${name}" is a Python keyword, not a variable` };
  // Dunder attributes reach Python's machinery (`__class__`, `__globals__`), not the user's data.
  if (name.startsWith('__')) return { ok: false, problem: `"${name}" is a name starting with "__"; Layer Lens reads only the program's own variables and attributes` };
  return { ok: true, name };
}

function refuse(problem: string): ExpressionReading {
  return { ok: false, problem };
}

const where = (text: string, column: number): string => (text.trim().length > 0 ? ` (at column ${column + 1} of "${text.trim()}")` : '');
