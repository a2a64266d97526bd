/**
 * The variable reference at a place in a line of Python, as the debugger's hover picks one: the
 * dotted chain up to the end of the name under the cursor (`self` on "self", `self.up` on "up" of
 * `self.up.weight`). The result is still only text: it is checked by expression.ts before use.
 */
const CHAIN = /[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*/g;

/** The reference around column `character` (0-based) of `line`, or undefined if the cursor is on none. */
export function referenceAt(line: string, character: number): string | undefined {
  for (const match of line.matchAll(CHAIN)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (character < start || character > end) continue;
    // Not inside a number (`1e5`) or after a digit-led token.
    if (start > 0 && /[0-9]/.test(line[start - 1] as string)) return undefined;
    const nameEnd = /^[A-Za-z0-9_]*/.exec(line.slice(character))?.[0].length ?? 0;
    return line.slice(start, Math.max(character + nameEnd, start)).replace(/\s+/g, '').replace(/\.$/, '') || undefined;
  }
  return undefined;
}
