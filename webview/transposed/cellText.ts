/**
 * What a person may type into a cell editor: a number as code writes it (`-1.5`, `2e-3`, `.5`),
 * with a true minus sign or thousands of digits allowed, and `NaN`, `inf`, `-Infinity`, `∞`. Pure,
 * so the rules are unit-tested.
 */
export type CellTextResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function parseCellText(text: string): CellTextResult {
  const cleaned = text.trim().replace(/^[−–]/, '-');
  if (cleaned === '') return { ok: false, message: 'Type a number, e.g. 1.5, -2 or 1e-3.' };
  const lower = cleaned.toLowerCase();
  if (lower === 'nan') return { ok: true, value: Number.NaN };
  const sign = lower.startsWith('-') ? -1 : 1;
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity' || unsigned === '∞') return { ok: true, value: sign * Number.POSITIVE_INFINITY };
  if (!NUMBER.test(cleaned)) return { ok: false, message: `“${text.trim()}” is not a number: type one like 1.5, -2 or 1e-3 (or NaN, inf).` };
  const value = Number(cleaned);
  // 1e999 reads as Infinity in JavaScript; say so instead of storing a value the user did not mean.
  if (!Number.isFinite(value)) return { ok: false, message: `${cleaned} is beyond the largest float64 (about 1.8e308); type inf for infinity.` };
  return { ok: true, value };
}
