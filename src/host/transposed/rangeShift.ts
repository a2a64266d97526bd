/**
 * Where a tracked piece of a document is after an edit. Pure (no `vscode`): the panel follows the
 * literal it shows through the user's typing with it, and it is unit-tested.
 */

/** One replacement, in offsets of the document before the edit (as VS Code reports them). */
export interface TextReplacement {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The range after `changes`. An edit before the range moves it; one inside changes its length; one
 * across a border widens the range to cover what replaced it, so the literal is looked for where
 * the user was typing, and `crossedBorder` says so (a write-back must not trust such a range).
 * Changes are applied from the last to the first, as their offsets all refer to the text before
 * any of them.
 */
export function shiftRange(range: OffsetRange, changes: readonly TextReplacement[]): OffsetRange & { readonly crossedBorder: boolean } {
  let { start, end } = range;
  let crossedBorder = false;
  for (const change of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
    const from = change.rangeOffset;
    const to = from + change.rangeLength;
    const delta = change.text.length - change.rangeLength;
    if (to <= start && !(from === start && to === start && end > start)) {
      start += delta;
      end += delta;
    } else if (from >= end) {
      // After the range (typing right after the closing bracket stays outside).
    } else if (from >= start && to <= end) {
      end += delta;
    } else {
      start = Math.min(start, from);
      end = Math.max(end, to) + delta;
      crossedBorder = true;
    }
  }
  return { start, end: Math.max(start, end), crossedBorder };
}
