/**
 * The parts of a long Python file that decide what Layer Lens says about the layer call at one
 * place, so that a hover reads a few hundred lines instead of ten thousand (issue 17: the first
 * hover on a 10,000-line file within 150 ms).
 *
 * A call's insight depends on the call itself, the size comment right above it, the calls before
 * it in the same list or `Sequential` (never across a top-level `class`, `def` or decorator line,
 * which breaks any chain, see inputSize.ts), and the names the file imports or defines before it
 * (layerCalls.ts). So the regions read are: the top-level definition enclosing the place (with the
 * comment lines right above it) up to the next top-level definition, and before it the statements
 * that bind such names. The regions are offsets into the document's own text, so the calls found
 * need no translating. A line inside a string that looks like an import would be read as one: the
 * one way this can differ from reading the whole file.
 */
import { isBoundName } from '../parse/layerNames';
import type { PythonRegion } from '../parse/pythonRegions';
import { lineEndWithin } from '../parse/textSearch';

/** Shorter documents are read whole: a few milliseconds. */
export const LOCAL_READ_FROM = 64 * 1024;
/** A definition longer than this is read with the whole document. */
const MAX_DEFINITION = 256 * 1024;

const TOP_LEVEL_DEFINITION = /^(?:class\s|def\s|async\s+def\s|@)/;
const COMMENT_OR_BLANK = /^[ \t]*(?:#.*)?\r?$/;
/** An import (group 1 absent) or a definition (group 1: its name), at a line's start. */
const BINDING = /^[ \t]*(?:import\s|from[ \t]+[\w.]+[ \t]+import\b|(?:class|def|async[ \t]+def)[ \t]+(\w+))/gm;

/**
 * What to read for the call at a place: `[from, to)` is its definition (with the comments above it),
 * and the same regions answer for every call in that span.
 */
export interface LocalRegions {
  readonly from: number;
  readonly to: number;
  readonly regions: readonly PythonRegion[];
}

/**
 * The regions to read the call at `offset` in; undefined when the whole text should be read (shorter
 * than `readFrom`, not Python, nothing to leave out).
 */
export function localRegions(text: string, offset: number, languageId: string | undefined, readFrom = LOCAL_READ_FROM): LocalRegions | undefined {
  if (languageId !== 'python' || text.length < readFrom) return undefined;
  // The start of the line holding `at`; 0 for the first line (lastIndexOf would read a negative start as 0).
  const lineStart = (at: number) => (at <= 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1);
  // The enclosing top-level definition: the nearest line at or above the place that starts one.
  let from = lineStart(Math.min(offset, text.length));
  while (from > 0 && !TOP_LEVEL_DEFINITION.test(text.slice(from, from + 10))) from = lineStart(from - 1);
  // With the comment lines right above it: a size comment may sit there.
  while (from > 0) {
    const above = lineStart(from - 1);
    if (!COMMENT_OR_BLANK.test(text.slice(above, from - 1))) break;
    from = above;
  }
  // Up to the next top-level definition after the place's line.
  let to = text.indexOf('\n', offset);
  while (to >= 0 && !TOP_LEVEL_DEFINITION.test(text.slice(to + 1, to + 11))) to = text.indexOf('\n', to + 1);
  to = to < 0 ? text.length : to + 1;
  if ((from === 0 && to === text.length) || to - from > MAX_DEFINITION) return undefined;
  return { from, to, regions: [...bindingsBefore(text, from), { from, to }] };
}

/**
 * The statements before `until` that bind names a call may use: imports, and `class` / `def` lines
 * that define a layer's or a module's name. A statement written again later is read only there
 * (the last binding of a name is the one that counts).
 */
function bindingsBefore(text: string, until: number): PythonRegion[] {
  const imports: (PythonRegion & { source: string })[] = [];
  const definitions: (PythonRegion & { source: string; name: string })[] = [];
  BINDING.lastIndex = 0;
  for (let match = BINDING.exec(text); match && match.index < until; match = BINDING.exec(text)) {
    const start = match.index;
    let end = lineEnd(text, start, until);
    if (match[1] !== undefined) {
      definitions.push({ from: start, to: end, source: text.slice(start, end).trim(), name: match[1] });
    } else {
      // A parenthesised or backslash-continued import goes on to the lines after it.
      let open = depthChange(text, start, end);
      while ((open > 0 || continues(text, end)) && end < until) {
        const next = lineEnd(text, end, until);
        open += depthChange(text, end, next);
        end = next;
      }
      imports.push({ from: start, to: end, source: text.slice(start, end).trim() });
    }
    BINDING.lastIndex = Math.max(end, start + 1);
  }
  const imported = new Set(imports.flatMap((statement) => statement.source.match(/\w+/g) ?? []));
  const binding = [...imports, ...definitions.filter((d) => imported.has(d.name) || isBoundName(d.name))].sort((x, y) => x.from - y.from);
  const last = new Map(binding.map((statement) => [statement.source, statement]));
  return binding.filter((statement) => last.get(statement.source) === statement).map(({ from, to }) => ({ from, to }));
}

/** The end of the line starting at `at` (after its line break), at most `until`. */
function lineEnd(text: string, at: number, until: number): number {
  const end = lineEndWithin(text, at, until);
  return end < until ? end + 1 : until;
}

/** Whether the line ending at `end` ends in a backslash continuation. */
function continues(text: string, end: number): boolean {
  let at = end - 1;
  if (text[at] === '\n') at--;
  if (text[at] === '\r') at--;
  return text[at] === '\\';
}

/** Opening minus closing parentheses in `text[from, to)`. */
function depthChange(text: string, from: number, to: number): number {
  let depth = 0;
  for (let at = from; at < to; at++) {
    const c = text.charCodeAt(at);
    if (c === 40) depth++;
    else if (c === 41) depth--;
  }
  return depth;
}
