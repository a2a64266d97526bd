/**
 * Output-size formulas that can be shown to a user: one per output axis, kept as a sequence of
 * literal text and named terms, so the same formula prints both symbolically
 * (`(H_in − 1)·stride − …`) and with each term's value (`(2 − 1)·1 − …`). Hovers, the panel and
 * error messages all print through {@link formatAxisFormula}, so they never disagree.
 */

/** A named quantity in a formula (`stride`) and the value it has in this call. */
export interface FormulaTerm {
  readonly symbol: string;
  readonly value: number;
}

/** Literal text (operators, brackets, constants) or a term. */
export type FormulaPart = string | FormulaTerm;

/** How one output axis's size comes about. */
export interface AxisFormula {
  /** The axis it sizes: `H_out`, `W_out`, `L_out`, or `C_out` for pixel shuffle. */
  readonly name: string;
  /** The right-hand side, as text and terms. */
  readonly parts: readonly FormulaPart[];
  /** The right-hand side with each term's symbol: `(H_in − 1)·stride − 2·padding + …`. */
  readonly symbolic: string;
  /** The right-hand side with each term's value: `(2 − 1)·1 − 2·0 + …`. */
  readonly substituted: string;
  /** What it evaluates to (0 or less means the layer would give an empty output). */
  readonly value: number;
  /** Why the formula has an extra step, when it has one (ceil mode dropping a last window). */
  readonly note?: string;
}

/** Which sides of the formula {@link formatAxisFormula} prints. */
export type FormulaStyle = 'values' | 'symbols' | 'both';

/** Builds an axis formula from its parts, rendering both the symbolic and the substituted text. */
export function axisFormula(name: string, parts: readonly FormulaPart[], value: number, note?: string): AxisFormula {
  const symbolic = parts.map((part) => (typeof part === 'string' ? part : part.symbol)).join('');
  const substituted = parts.map((part) => (typeof part === 'string' ? part : formatTermValue(part.value))).join('');
  return note === undefined ? { name, parts, symbolic, substituted, value } : { name, parts, symbolic, substituted, value, note };
}

/** Shorthand for a term. */
export function term(symbol: string, value: number): FormulaTerm {
  return { symbol, value };
}

/**
 * Prints a formula for people:
 * - `values` (default): `H_out = (2 − 1)·1 − 2·0 + 1·(2 − 1) + 0 + 1 = 3`
 * - `symbols`: `H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1 = 3`
 * - `both`: `H_out = (H_in − 1)·stride − … = (2 − 1)·1 − … = 3`
 * A side that would only repeat the result (`H_out = 5 = 5`) is left out; a note follows in brackets.
 */
export function formatAxisFormula(formula: AxisFormula, style: FormulaStyle = 'values'): string {
  const result = formatNumber(formula.value);
  const sides: string[] = [];
  if (style !== 'values') sides.push(formula.symbolic);
  if (style !== 'symbols') sides.push(formula.substituted);
  const shown = sides.filter((side, index) => side !== result && sides.indexOf(side) === index);
  const text = [formula.name, ...shown, result].join(' = ');
  return formula.note === undefined ? text : `${text} (${formula.note})`;
}

/** A number as printed in formulas: a true minus sign, no float noise. */
export function formatNumber(value: number): string {
  const text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  return text.replace('-', '−');
}

/** A term's value inside a formula: bracketed when negative, so `− 2·(−1)` stays readable. */
function formatTermValue(value: number): string {
  return value < 0 ? `(${formatNumber(value)})` : formatNumber(value);
}
