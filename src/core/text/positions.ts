/**
 * Offsets in a text → 1-based line and column (UTF-16 code units, as editors count), for messages
 * that name a place: the command line's `path:line:column` and the tools' "Line 12". A line ends at
 * \n, \r\n or a lone \r, as VS Code's `positionAt` counts. The line starts are found once, so each
 * look-up is a binary search, not a scan.
 */
export function positionFinder(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] as number) + 1 };
  };
}
