/**
 * Set Kernel's list of a text's matrices: the 1-D and 2-D literals the finder reads, each with its
 * place, line and a one-line preview, without its values (a list of a few hundred literals of up to
 * millions of values each would otherwise cross to the host; the one chosen is read again there).
 * Pure: the engine worker runs it on the workspace's files, the host on its open documents.
 */
import { assignedName, findMatrices } from '../parse/index';

/** One matrix of a text, as the picker lists it. */
export interface ListedMatrix {
  readonly shape: readonly number[];
  /** `[start, end)`: offsets of the literal in the text. */
  readonly start: number;
  readonly end: number;
  /** 0-based line of `start`. */
  readonly line: number;
  /** The literal on one line, cut at 80 characters. */
  readonly preview: string;
  /** The variable it is assigned to (`k3`), which the picker shows first. */
  readonly name?: string;
}

/** The text's 1-D and 2-D matrices, in order; a text the finder cannot read lists none. */
export function listMatrices(text: string, languageId: string): ListedMatrix[] {
  let found: ReturnType<typeof findMatrices>;
  try {
    found = findMatrices(text, languageId);
  } catch {
    return []; // a file the finder cannot read is simply not listed
  }
  const lineOf = lineCounter(text);
  return found
    .filter((m) => m.shape.length <= 2)
    .map((m) => {
      const name = assignedName(text, m.start);
      return { shape: [...m.shape], start: m.start, end: m.end, line: lineOf(m.start), preview: preview(text.slice(m.start, m.end)), ...(name === undefined ? {} : { name }) };
    });
}

/** A literal on one line, cut at 80 characters, for a quick pick's detail. */
export function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

/** Line numbers of offsets given in increasing order, without splitting the text. */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 0;
  return (offset) => {
    for (; at < offset; at++) if (text.charCodeAt(at) === 10) line++;
    return line;
  };
}

/** A well-formed list, as the host checks what the worker sends. */
export function isListedMatrices(value: unknown): value is ListedMatrix[] {
  const whole = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  return (
    Array.isArray(value) &&
    value.every((m: unknown) => {
      if (typeof m !== 'object' || m === null) return false;
      const { shape, start, end, line, preview: text, name } = m as Record<string, unknown>;
      return Array.isArray(shape) && shape.length <= 2 && shape.every(whole) && whole(start) && whole(end) && whole(line) && typeof text === 'string' && (name === undefined || typeof name === 'string');
    })
  );
}
