/**
 * Finding layer calls in Python source (`nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)`,
 * `layers.Conv2DTranspose(64, 3, strides=2, padding="same")`, `F.interpolate(x, scale_factor=2)`)
 * and reading their arguments. Only literal values are read; an argument that is an expression of
 * variables (`ngf * 8`) is reported as unknown with its text and place, never guessed. Comments and
 * strings are skipped by the same lexer the matrix parser uses.
 */
import type { LayerOp } from '../engine/options';
import { PYTHON, streamFor } from './dialects';
import { NameScope } from './layerNames';
import { decodeParam, rankOfKernelSize, type LayerParam, type LayerParams, type Rank } from './layerParams';
import { opForRank, upsampleOpForMode, type ArgumentSpec, type Framework, type LayerParamName, type LayerParamTypes, type LayerSignature } from './layerSignatures';
import { readLiteral, type PythonLiteral } from './pythonLiteral';
import { pythonRegions, type PythonRegion } from './pythonRegions';
import { Bracket, Op, Tok, type TokenStream } from './tokens';
import { withLineFeeds } from './lineBreaks';
import { tripleQuoteSpans } from './tripleQuotes';

export type { Framework, LayerParamName, LayerParamTypes, PaddingFill, PaddingMode, SpatialSize } from './layerSignatures';
export type { LayerParam, LayerParams, UnknownReason } from './layerParams';

/** One argument as written, located so that a quick fix can rewrite it (or just its value) in place. */
export interface LayerArgument {
  /** The whole argument, keyword included. */
  readonly start: number;
  readonly end: number;
  /** `kernel_size` of `kernel_size=4`; undefined for a positional argument. */
  readonly keyword?: { readonly name: string; readonly start: number; readonly end: number };
  /**
   * The value: after the `=` of a keyword argument, after the `*` / `**` of an unpacked one; empty,
   * just after the `=`, while it is still being typed (`stride=` at the end of a half-typed call).
   */
  readonly valueStart: number;
  readonly valueEnd: number;
  /**
   * The framework's name for the parameter it fills (`stride`, or Keras' `strides`); undefined when
   * it fills none the signature knows: a misspelt keyword, `*args`, `**kwargs`, a positional
   * argument past the last one read by position.
   */
  readonly parameter?: string;
  /** The engine option it sets, when it sets one (`input`, `activation`, `data_format` set none). */
  readonly param?: LayerParamName;
}

export interface LayerCall {
  /** From the name to the closing parenthesis; for an incomplete call, to the last token read. */
  readonly start: number;
  readonly end: number;
  /** The name as written: `nn.ConvTranspose2d`. */
  readonly name: string;
  readonly op: LayerOp;
  readonly framework: Framework;
  /**
   * The options the arguments set, under the engine's names, known or not. Keras' and Flax's
   * `padding` is `paddingMode` (`'same'` / `'valid'`, see {@link PaddingMode} for what each means
   * to each framework); PyTorch's is `padding`. Options the call leaves out are absent: their
   * defaults are the framework's.
   */
  readonly params: LayerParams;
  /** Every argument in order, including those that set no engine option. */
  readonly args: readonly LayerArgument[];
  /** Offset of the opening parenthesis (a quick fix inserting an argument goes after it or after the last argument). */
  readonly open: number;
  /**
   * False for a half-typed call: the text ends inside it, or a line that cannot continue it comes
   * next (a statement keyword, or a line indented no deeper than the call's own line). Its
   * arguments are read as far as they go; its last one may still be being typed.
   */
  readonly complete: boolean;
}

/** A call longer than this many tokens is taken as never closing: a layer call has a few dozen. */
const MAX_CALL_TOKENS = 4000;

/** Keywords that start a statement and cannot appear inside a call's parentheses. */
const STATEMENT_KEYWORDS = new Set([
  'def', 'class', 'return', 'import', 'from', 'with', 'while', 'try', 'except', 'finally', 'raise', 'pass',
  'break', 'continue', 'del', 'global', 'nonlocal', 'assert', 'elif',
]);

/**
 * Every layer call in `text`, in order: all of it for `python` (and notebook cells, which arrive as
 * Python; `undefined` is read as Python), the fenced Python blocks for `markdown` and `quarto`,
 * nothing for other languages; or only `regions` of it, in order, when given (a hover in a long
 * file, src/core/insight/localRegions.ts). Never throws.
 */
export function findLayerCalls(document: string, languageId?: string, regions?: readonly PythonRegion[]): LayerCall[] {
  // A lone \r becomes \n, one character for one, so the regions and every offset stay the document's.
  const text = withLineFeeds(document);
  const calls: LayerCall[] = [];
  // One scope for the document: an import in one Markdown block serves the blocks after it.
  const scope = new NameScope();
  for (const region of regions ?? pythonRegions(text, languageId)) {
    scanRegion(streamFor(text, PYTHON, region.from, region.to, false, true, tripleQuoteSpans(text, region.from, region.to, PYTHON.rules)), scope, calls);
  }
  return calls;
}

function scanRegion(s: TokenStream, scope: NameScope, calls: LayerCall[]): void {
  const lines = new LineStarts(s.text);
  for (let i = 0; s.kind(i) !== Tok.End; i++) {
    if (s.kind(i) !== Tok.Name) continue;
    // The first letter screens out most names before any string is compared or made.
    switch (s.text.charCodeAt(s.start(i))) {
      case 105: // i
        if (isWord(s, i, 'import')) {
          i = readImport(s, i, scope);
          continue;
        }
        break;
      case 102: // f
        if (isWord(s, i, 'from') && s.kind(i + 1) === Tok.Name && isWord(s, i + 2, 'import')) {
          i = readFromImport(s, i, scope);
          continue;
        }
        break;
      case 99: // c
      case 100: // d
        if ((isWord(s, i, 'class') || isWord(s, i, 'def')) && s.kind(i + 1) === Tok.Name) {
          // `class ConvTranspose2d(nn.Module):` defines a name; it does not call one.
          scope.bindLocal(s.source(i + 1));
          i++;
          continue;
        }
        break;
    }
    if (s.isOpen(i + 1, Bracket.Paren)) {
      const signature = scope.resolveAt(s.text, s.start(i), s.end(i));
      const call = signature && readCall(s, i, signature, lines);
      if (call) calls.push(call);
    }
  }
}

function isWord(s: TokenStream, i: number, word: string): boolean {
  return s.end(i) - s.start(i) === word.length && s.text.startsWith(word, s.start(i));
}

/** `import torch.nn as tnn, tensorflow as tf`; returns the last token read. */
function readImport(s: TokenStream, i: number, scope: NameScope): number {
  let j = i + 1;
  while (s.kind(j) === Tok.Name) {
    const path = s.source(j);
    if (isWord(s, j + 1, 'as') && s.kind(j + 2) === Tok.Name) {
      scope.bindModule(s.source(j + 2), path);
      j += 3;
    } else {
      const head = path.split('.')[0] as string; // `import torch.nn` binds `torch`
      scope.bindModule(head, head);
      j++;
    }
    if (s.kind(j) !== Tok.Comma) break;
    j++;
  }
  return j - 1;
}

/** `from torch.nn import ConvTranspose2d as Up, Conv2d`, `from keras.layers import *`, with or without parentheses. */
function readFromImport(s: TokenStream, i: number, scope: NameScope): number {
  const path = s.source(i + 1);
  let j = i + 3;
  if (s.isOp(j, Op.Times)) {
    scope.bindAll(path);
    return j;
  }
  if (s.isOpen(j, Bracket.Paren)) j++;
  while (s.kind(j) === Tok.Name) {
    const name = s.source(j);
    const aliased = isWord(s, j + 1, 'as') && s.kind(j + 2) === Tok.Name;
    scope.bindModule(aliased ? s.source(j + 2) : name, `${path}.${name}`);
    j += aliased ? 3 : 1;
    if (s.kind(j) !== Tok.Comma) break;
    j++;
  }
  return j - 1;
}

/** The call whose name is token `nameToken`, or `undefined` for a layer the engine does not compute (a 3-D Flax convolution). */
function readCall(s: TokenStream, nameToken: number, signature: LayerSignature, lines: LineStarts): LayerCall | undefined {
  const open = nameToken + 1;
  const ranges = argumentRanges(s, open, lines);
  const drafts = ranges.tokens.map(([first, last]) => draftArgument(s, first, last));
  matchParameters(drafts, signature);
  const literals = drafts.map((draft) => (draft.spec?.param && draft.valueFirst < draft.last ? readLiteral(s, draft.valueFirst, draft.last) : undefined));
  let op = signature.op;
  let rank: Rank = signature.dimensions === 'fromKernelSize' ? 2 : signature.dimensions;
  if (signature.op === 'upsample' && signature.framework === 'pytorch') {
    // F.interpolate's linear modes fix the rank: 'linear' is 1-D, 'trilinear' 3-D.
    const modeIndex = drafts.findIndex((draft) => draft.spec?.param === 'mode');
    op = upsampleOpForMode(literals[modeIndex]);
    rank = op === 'upsample1d' ? 1 : op === 'upsample3d' ? 3 : 2;
    if (op === 'upsample') {
      // 'nearest' serves every rank: a size or scale written per axis says which (`scale_factor=(1, 2, 2)`).
      const sized = drafts.findIndex((draft) => draft.spec?.param === 'size' || draft.spec?.param === 'scaleFactor');
      const written = rankOfKernelSize(literals[sized]);
      if (written === 3 || (written === 1 && Array.isArray(literals[sized]))) rank = written;
    }
  }
  if (signature.dimensions === 'fromKernelSize') {
    // Flax's one ConvTranspose serves every rank; its kernel size tells which. Unread, it is taken as 2-D.
    const kernelRank = rankOfKernelSize(literals[drafts.findIndex((draft) => draft.spec?.param === 'kernelSize')]) ?? 2;
    const rankOp = opForRank(signature, kernelRank);
    if (!rankOp) return undefined;
    op = rankOp;
    rank = kernelRank as Rank;
  }
  const params: { [K in LayerParamName]?: LayerParam<LayerParamTypes[K]> } = {};
  drafts.forEach((draft, index) => {
    const param = draft.spec?.param;
    // A parameter given twice is a TypeError in Python; the first one is kept.
    if (param && draft.valueFirst < draft.last && params[param] === undefined) setParam(params, param, paramOf(s, param, draft, literals[index], signature, rank));
  });
  const end = ranges.complete ? s.end(ranges.last) : s.end(Math.max(open, ranges.last - 1));
  return {
    start: s.start(nameToken),
    end,
    name: s.source(nameToken),
    op,
    framework: signature.framework,
    params,
    args: drafts.map((draft) => located(s, draft)),
    open: s.start(open),
    complete: ranges.complete,
  };
}

function setParam<K extends LayerParamName>(params: { [P in LayerParamName]?: LayerParam<LayerParamTypes[P]> }, name: K, param: LayerParam<LayerParamTypes[K]>): void {
  (params as { [P in K]?: LayerParam<LayerParamTypes[K]> })[name] = param;
}

/**
 * The token ranges of the arguments of the call opening at `open`, and whether it closes. The
 * arguments end at the closing parenthesis, or, in half-typed code, where a line starts that
 * cannot continue the call. Empty arguments (`f(1,,2)`, a trailing comma) are left out.
 */
function argumentRanges(s: TokenStream, open: number, lines: LineStarts): { tokens: [number, number][]; complete: boolean; last: number } {
  const tokens: [number, number][] = [];
  // Where a half-typed call ends: the first line (after the call's) that starts at or left of the
  // call's indentation, or with a statement keyword. A `)` may start such a line.
  const stop = lines.stopAfter(s, open, open + MAX_CALL_TOKENS);
  const close = s.closeOf(open);
  const complete = close >= 0 && close < stop;
  const last = complete ? close : stop;
  let argumentStart = open + 1;
  // Commas directly inside the call split it; nested brackets are jumped over through the stream's
  // matcher (one step each, not one per token), and one that is not closed before the end holds
  // the rest of the call: `nn.Conv2d(` × 5,000 took 8 s when each call walked its 4,000 tokens.
  for (let k = open + 1; k < last; k++) {
    const kind = s.kind(k);
    if (kind === Tok.Open) {
      const inner = s.closeOf(k);
      if (inner < 0 || inner >= last) break;
      k = inner;
    } else if (kind === Tok.Comma) {
      if (argumentStart < k) tokens.push([argumentStart, k]);
      argumentStart = k + 1;
    }
  }
  if (argumentStart < last) tokens.push([argumentStart, last]);
  return { tokens, complete, last };
}

function isStatementKeyword(s: TokenStream, k: number): boolean {
  return s.kind(k) === Tok.Name && s.end(k) - s.start(k) <= 8 && STATEMENT_KEYWORDS.has(s.source(k));
}

/** The indentation of the token at `offset` when it is the first on its line, else -1. */
function indentationIfFirstOnLine(text: string, offset: number): number {
  for (let p = offset - 1; p >= 0; p--) {
    const c = text.charCodeAt(p);
    if (c === 10) return offset - p - 1;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12) return -1;
  }
  return offset;
}

/**
 * The indentation of the line holding an offset (a tab counts as one: only comparisons within a
 * file matter). Calls are read in text order, so the line start is tracked forward: a line
 * holding thousands of calls is not searched back again for each.
 */
class LineStarts {
  private offset = 0;
  private lineStart = 0;
  /** Tokens that start a line (brackets that close excepted), with their indentation, recorded once each in token order. */
  private readonly firstOnLine: number[] = [];
  private readonly indents: number[] = [];
  private recorded = 0;

  constructor(private readonly text: string) {}

  /**
   * The token where a call opening at `open` stops when it is not closed before: the first token
   * after it that starts a line indented no more than the call's line, or starts one with a
   * statement keyword; `limit` (or the end) when there is none before. Each token is looked at once
   * for all calls together.
   */
  stopAfter(s: TokenStream, open: number, limit: number): number {
    let end = this.recorded;
    for (; end < limit && s.kind(end) !== Tok.End; end++) {
      if (end < this.recorded || s.kind(end) === Tok.Close) continue;
      const indent = indentationIfFirstOnLine(s.text, s.start(end));
      if (indent >= 0) {
        this.firstOnLine.push(end);
        this.indents.push(indent);
      }
    }
    this.recorded = Math.max(this.recorded, end);
    const callIndent = this.indentationAt(s.start(open));
    // The first recorded line start after `open` (binary search), then forward to the first that stops the call.
    let lo = 0;
    let hi = this.firstOnLine.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.firstOnLine[mid] as number) <= open) lo = mid + 1;
      else hi = mid;
    }
    for (let e = lo; e < this.firstOnLine.length; e++) {
      const k = this.firstOnLine[e] as number;
      if (k >= limit) break;
      if ((this.indents[e] as number) <= callIndent || isStatementKeyword(s, k)) return k;
    }
    return Math.min(limit, end);
  }

  indentationAt(offset: number): number {
    if (offset < this.offset) {
      this.lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    } else {
      for (let nl = this.text.indexOf('\n', this.offset); nl >= 0 && nl < offset; nl = this.text.indexOf('\n', nl + 1)) this.lineStart = nl + 1;
    }
    this.offset = offset;
    let p = this.lineStart;
    while (p < offset && (this.text.charCodeAt(p) === 32 || this.text.charCodeAt(p) === 9)) p++;
    return p - this.lineStart;
  }
}

/** An argument while it is being read: its tokens, and (once matched) the parameter it fills. */
interface ArgumentDraft {
  readonly first: number;
  /** Token after the argument. */
  readonly last: number;
  /** The keyword of a keyword argument. */
  readonly keyword: string | undefined;
  readonly star: 'none' | 'args' | 'kwargs';
  /** First token of the value (`last` while it is still empty: `stride=` being typed). */
  readonly valueFirst: number;
  spec: ArgumentSpec | undefined;
}

function draftArgument(s: TokenStream, first: number, last: number): ArgumentDraft {
  const name = first + 1 < last && s.kind(first) === Tok.Name && s.kind(first + 1) === Tok.Equals ? s.source(first) : undefined;
  const keyword = name?.includes('.') ? undefined : name;
  const star = s.isOp(first, Op.Times) ? 'args' : s.isOp(first, Op.Power) ? 'kwargs' : 'none';
  const valueFirst = keyword !== undefined ? first + 2 : star === 'none' ? first : first + 1;
  return { first, last, keyword, star, valueFirst, spec: undefined };
}

/**
 * Matches arguments to the signature: keywords by name, the others by position. After `*args`
 * positions are no longer known, so later positional arguments match nothing.
 */
function matchParameters(drafts: ArgumentDraft[], signature: LayerSignature): void {
  let position = 0;
  let positionsKnown = true;
  for (const draft of drafts) {
    if (draft.keyword !== undefined) draft.spec = signature.args.find((candidate) => candidate.name === draft.keyword);
    else if (draft.star === 'args') positionsKnown = false;
    else if (draft.star === 'none' && positionsKnown && position < signature.positional) draft.spec = signature.args[position++];
  }
}

function located(s: TokenStream, draft: ArgumentDraft): LayerArgument {
  const start = s.start(draft.first);
  const end = s.end(draft.last - 1);
  return {
    start,
    end,
    keyword: draft.keyword === undefined ? undefined : { name: draft.keyword, start, end: s.end(draft.first) },
    valueStart: draft.valueFirst < draft.last ? s.start(draft.valueFirst) : end,
    valueEnd: end,
    parameter: draft.spec?.name,
    param: draft.spec?.param,
  };
}

function paramOf<K extends LayerParamName>(s: TokenStream, name: K, draft: ArgumentDraft, literal: PythonLiteral | undefined, signature: LayerSignature, rank: Rank): LayerParam<LayerParamTypes[K]> {
  const start = s.start(draft.valueFirst);
  const end = s.end(draft.last - 1);
  if (literal === undefined) return { kind: 'unknown', reason: 'expression', text: s.text.slice(start, end), start, end };
  const decoded = decodeParam(name, literal, signature, rank);
  if (decoded === undefined) return { kind: 'unknown', reason: 'unsupported', text: s.text.slice(start, end), start, end };
  if (signature.framework === 'pytorch' && PYTORCH_INTS.has(name) && writtenAsFloat(s, draft.valueFirst, draft.last)) {
    return { kind: 'known', value: decoded, start, end, floatText: s.text.slice(start, end) };
  }
  return { kind: 'known', value: decoded, start, end };
}

/** The options PyTorch takes as ints only (a float one is a TypeError), unlike `scale_factor`. */
const PYTORCH_INTS: ReadonlySet<LayerParamName> = new Set<LayerParamName>(['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'outputPadding', 'dilation', 'groups', 'upscaleFactor', 'divisorOverride']);

/** True when the value in tokens `[first, last)` is a Python float: a float literal (`2.0`, `2e0`) or a true division (`4 / 2`). */
function writtenAsFloat(s: TokenStream, first: number, last: number): boolean {
  for (let k = first; k < last; k++) {
    if (s.kind(k) === Tok.Number && !s.isIntegerLiteral(k)) return true;
    if (s.isOp(k, Op.Divide)) return true;
  }
  return false;
}
