/**
 * Python source as logical lines of tokens, for the model reader. Built on the shared lexer
 * (`streamFor` with the Python dialect), which already knows Python's strings, comments, numbers
 * and brackets; this module only regroups its tokens the way Python's own tokenizer does: dotted
 * names split into names and dots, two-character operators joined, string prefixes (`f"…"`) joined
 * to their string, and lines broken where Python breaks them (outside brackets, not after `\`).
 */
import { PYTHON, streamFor } from '../parse/dialects';
import { Tok } from '../parse/tokens';

export type PyTokenKind = 'num' | 'name' | 'str' | 'op';

export interface PyToken {
  readonly kind: PyTokenKind;
  /** The operator or name as written; a string's value (escapes read); a number's source. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** A number's value, and whether it is an integer literal. */
  readonly value?: number;
  readonly integer?: boolean;
  /** `f"…"`: the string's value is a template whose `{…}` parts are expressions. */
  readonly format?: boolean;
}

/** One logical line: its tokens, the column of its first token (its indentation) and its 1-based line. */
export interface LogicalLine {
  readonly tokens: readonly PyToken[];
  readonly indent: number;
  readonly line: number;
}

const JOINED = new Set(['..', '...', '<=', '>=', '!=', '==', '//', '**', '+=', '-=', '*=', '/=', '%=', '->', '<<', '>>', '//=', '**=', '@=', '|=', '&=', ':=']);
const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;
const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

/** Reads a string literal's value: quotes removed, the common escapes read (raw strings kept as written). */
function stringValue(source: string, raw: boolean): string {
  const quote = source.startsWith('"""') || source.startsWith("'''") ? 3 : 1;
  const body = source.slice(quote, Math.max(quote, source.length - quote));
  if (raw) return body;
  return body.replace(/\\(.)/gs, (_, c: string) => ({ n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"', '\n': '' })[c] ?? `\\${c}`);
}

/** The tokens of `text`, Python's way (see the module comment). */
export function pyTokens(text: string): PyToken[] {
  const stream = streamFor(text, PYTHON, 0, text.length, false, true);
  const out: PyToken[] = [];
  for (let i = 0; stream.kind(i) !== Tok.End; i++) {
    const kind = stream.kind(i);
    const start = stream.start(i);
    const end = stream.end(i);
    const source = text.slice(start, end);
    if (kind === Tok.Number) {
      out.push({ kind: 'num', text: source, start, end, value: stream.value(i), integer: stream.isIntegerLiteral(i) });
    } else if (kind === Tok.Name) {
      let at = start;
      for (const part of source.split('.')) {
        if (at > start) out.push({ kind: 'op', text: '.', start: at - 1, end: at });
        out.push({ kind: 'name', text: part, start: at, end: at + part.length });
        at += part.length + 1;
      }
    } else if (kind === Tok.String) {
      const previous = out[out.length - 1];
      let prefix = '';
      if (previous && previous.kind === 'name' && previous.end === start && STRING_PREFIX.test(previous.text)) {
        prefix = previous.text.toLowerCase();
        out.pop();
      }
      const value = stringValue(source, prefix.includes('r'));
      const last = out[out.length - 1];
      // Adjacent literals concatenate, as Python's do.
      if (last && last.kind === 'str' && !prefix.includes('f') && !last.format) out[out.length - 1] = { ...last, text: last.text + value, end };
      else out.push({ kind: 'str', text: value, start: previous && prefix ? previous.start : start, end, format: prefix.includes('f') });
    } else {
      const last = out[out.length - 1];
      const pair = last && last.kind === 'op' && last.end === start ? last.text + source : '';
      if (JOINED.has(pair)) out[out.length - 1] = { kind: 'op', text: pair, start: last!.start, end };
      else out.push({ kind: 'op', text: source, start, end });
    }
  }
  return out;
}

/** Offsets of the line starts, for 1-based line numbers by binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  column(offset: number): number {
    return offset - (this.starts[this.line(offset) - 1] as number);
  }
}

/** Groups tokens into logical lines: a new line starts outside brackets after a newline that no `\` continues. */
export function logicalLines(text: string, tokens: readonly PyToken[], lines: LineIndex): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: PyToken[] = [];
  let depth = 0;
  const flush = (): void => {
    if (current.length > 0) {
      const first = current[0] as PyToken;
      out.push({ tokens: current, indent: lines.column(first.start), line: lines.line(first.start) });
    }
    current = [];
  };
  let previousEnd = 0;
  for (const token of tokens) {
    if (depth === 0 && current.length > 0 && breaksLine(text, previousEnd, token.start)) flush();
    if (token.kind === 'op' && token.text === ';' && depth === 0) {
      // `a = 1; b = 2`: two statements at the same indentation.
      const indentOf = current[0] ? lines.column(current[0].start) : 0;
      if (current.length > 0) out.push({ tokens: current, indent: indentOf, line: lines.line((current[0] as PyToken).start) });
      current = [];
      previousEnd = token.end;
      continue;
    }
    if (token.kind === 'op' && OPENERS.has(token.text)) depth++;
    else if (token.kind === 'op' && CLOSERS.has(token.text)) depth = Math.max(0, depth - 1);
    current.push(token);
    previousEnd = token.end;
  }
  flush();
  return out;
}

/** Whether the gap between two tokens holds a newline that is not continued by a backslash. */
function breaksLine(text: string, from: number, to: number): boolean {
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
    let j = i - 1;
    while (j >= from && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j--;
    if (text[j] !== '\\' || j < from) return true;
  }
  return false;
}
