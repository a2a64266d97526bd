/**
 * Where the inline values go: each line's first use of each named variable, as a whole word that
 * is not an attribute (`.x`) or a keyword argument (`x=`), outside comments and strings (roughly:
 * text after `#` is left out, and quoted text on the line is skipped).
 */
export interface TensorUse {
  /** Index into the lines given. */
  readonly line: number;
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export function tensorUses(lines: readonly string[], names: readonly string[]): TensorUse[] {
  const wanted = new Set(names);
  const uses: TensorUse[] = [];
  lines.forEach((text, line) => {
    const code = blankStringsAndComments(text);
    const seen = new Set<string>();
    for (const match of code.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
      const name = match[0];
      const start = match.index ?? 0;
      if (!wanted.has(name) || seen.has(name)) continue;
      if (/\.\s*$/.test(code.slice(0, start))) continue; // an attribute of something else
      if (/^\s*=(?!=)/.test(code.slice(start + name.length)) && insideCall(code.slice(0, start))) continue; // f(x=…): a keyword
      seen.add(name);
      uses.push({ line, name, start, end: start + name.length });
    }
  });
  return uses;
}

/** Whether the text before a name ends inside an open bracket, after `(` or `,`: a keyword argument's place. */
function insideCall(before: string): boolean {
  let depth = 0;
  for (const c of before) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
  return depth > 0 && /[(,]\s*$/.test(before);
}

/** The line with string contents and the comment replaced by spaces, so offsets stay put. */
function blankStringsAndComments(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') {
        out += '  ';
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
      out += c === quote || quote === undefined ? c : ' ';
      continue;
    }
    if (c === '#') return out + ' '.repeat(text.length - i);
    if (c === '"' || c === "'") quote = c;
    out += c;
  }
  return out;
}

/**
 * The first line of the function the stop is in (its `def` line), so that the inline values stay
 * on the code that ran in this frame, not on a docstring or another function above it; 0 at the
 * top level. A `def` counts when it is indented less than the stopped line.
 */
export function enclosingFunctionStart(lines: readonly string[], stopLine: number): number {
  const indent = (text: string) => /^\s*/.exec(text)?.[0].length ?? 0;
  let limit = indent(lines[stopLine] ?? '');
  for (let line = stopLine - 1; line >= 0; line--) {
    const text = lines[line] as string;
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const depth = indent(text);
    if (depth >= limit) continue;
    if (/^\s*(async\s+)?def\s/.test(text)) return line;
    limit = depth; // a block the stop is inside (if, for, with, class …): keep looking outward
  }
  return 0;
}
