/**
 * Reading a parameter as the panel's fields take it: one whole number for both axes (`2`) or one per
 * axis (`2, 1` or `2 1`, height first), as PyTorch takes an int or a pair. Pure, for tests.
 */
export type PairText = { readonly ok: true; readonly pair: readonly [number, number] } | { readonly ok: false; readonly message: string };

export function parsePairText(name: string, text: string): PairText {
  const parts = text
    .trim()
    .replace(/^[([]\s*|\s*[)\]]$/g, '')
    .split(/\s*[,\s]\s*/)
    .filter((part) => part !== '');
  if (parts.length === 0) return { ok: false, message: `${name} needs a value` };
  if (parts.length > 2) return { ok: false, message: `${name} takes one number, or two (height, width)` };
  const values: number[] = [];
  for (const part of parts) {
    if (!/^[+-]?\d+$/.test(part)) return { ok: false, message: `${name} must be a whole number, not “${part}”` };
    const value = Number(part);
    if (!Number.isSafeInteger(value)) return { ok: false, message: `${name} (${part}) is too large` };
    values.push(value);
  }
  const [h, w] = values as [number, number | undefined];
  return { ok: true, pair: [h, w ?? h] };
}

/** How a pair is written back into its field: `2` when both axes agree, else `2, 1`. */
export function formatPair(pair: readonly [number, number]): string {
  return pair[0] === pair[1] ? String(pair[0]) : `${pair[0]}, ${pair[1]}`;
}

/** Reading the groups field: one whole number of at least 1 (the engine then checks it divides the channels). */
export function parseGroupsText(text: string): { readonly ok: true; readonly groups: number } | { readonly ok: false; readonly message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'groups needs a value' };
  if (!/^[+-]?\d+$/.test(trimmed)) return { ok: false, message: `groups must be a whole number, not “${trimmed}”` };
  const groups = Number(trimmed);
  if (!Number.isSafeInteger(groups)) return { ok: false, message: `groups (${trimmed}) is too large` };
  if (groups < 1) return { ok: false, message: `groups must be at least 1, not ${groups}` };
  return { ok: true, groups };
}
