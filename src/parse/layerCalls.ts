/**
 * Finding layer calls in Python source (`nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)`,
 * `layers.Conv2DTranspose(64, 3, strides=2, padding="same")`, `F.interpolate(x, scale_factor=2)`)
 * and reading their arguments. Only literal values are read; an argument that is an expression of
 * variables (`ngf * 8`) is reported as unknown with its text and place, never guessed. Comments and
 * strings are skipped by the same lexer the matrix parser uses.
 */
import type { LayerOp } from '../engine/options';
import { PYTHON, streamFor } from './dialects';
import { evaluateScalar } from './expression';
import { signatureOf, type ArgumentSpec, type Framework, type LayerSignature } from './layerSignatures';
import { Bracket, Tok, type TokenStream } from './tokens';

export type { Framework } from './layerSignatures';

/** A literal argument value: numbers (pairs as `[h, w]` for 2-D layers), strings, booleans, `None` as `null`. */
export type LayerParamValue = number | readonly [number, number] | string | boolean | null;

/** One argument, read or not; `start`/`end` locate its value in the text (for edits in place). */
export type LayerParam =
  | { readonly kind: 'known'; readonly value: LayerParamValue; readonly start: number; readonly end: number }
  | { readonly kind: 'unknown'; readonly text: string; readonly start: number; readonly end: number };

export interface LayerCall {
  /** The call from its name to its closing parenthesis (or to where the text ends, if `complete` is false). */
  readonly start: number;
  readonly end: number;
  /** The name as written: `nn.ConvTranspose2d`. */
  readonly name: string;
  readonly op: LayerOp;
  readonly framework: Framework;
  /**
   * The arguments, under the engine's option names (`inChannels`, `kernelSize`, `stride`,
   * `outputPadding`…). Keras' and Flax's `padding` is `paddingMode` (`'same'` or `'valid'`): Keras
   * 'same' means an output of `in·stride` for a transposed convolution and `⌈in/stride⌉` for a
   * convolution, which no single PyTorch padding expresses for every input size.
   */
  readonly params: Readonly<Record<string, LayerParam>>;
  /** False for a half-typed call whose closing parenthesis never comes. */
  readonly complete: boolean;
}

/** Calls longer than this (in tokens) are treated as never closing: a layer call is a few dozen. */
const MAX_CALL_TOKENS = 4000;
/** Parameters that are a pair `[h, w]` on 2-D layers when given as one int. */
const PAIR_PARAMS = new Set(['kernelSize', 'stride', 'padding', 'outputPadding', 'dilation', 'scaleFactor', 'size']);

/** Every layer call in `text`, in order. Python (and notebook cells), and the Python code blocks of Markdown. */
export function findLayerCalls(text: string, languageId?: string): LayerCall[] {
  const calls: LayerCall[] = [];
  for (const [from, to] of pythonRegions(text, languageId)) scanRegion(text, from, to, calls);
  return calls;
}

function pythonRegions(text: string, languageId: string | undefined): [number, number][] {
  if (languageId === 'markdown') {
    const regions: [number, number][] = [];
    for (const fence of text.matchAll(/^(\s*)(`{3,}|~{3,})[ \t]*(?:python|py|ipython|pycon)\b[^\n]*\n([\s\S]*?)^\s*\2/gm)) {
      const body = fence[3] ?? '';
      const from = (fence.index ?? 0) + fence[0].indexOf(body);
      regions.push([from, from + body.length]);
    }
    return regions;
  }
  return languageId === undefined || languageId === 'python' || languageId === 'jupyter' ? [[0, text.length]] : [];
}

function scanRegion(text: string, from: number, to: number, calls: LayerCall[]): void {
  const s = streamFor(text, PYTHON, from, to);
  for (let i = 0; s.kind(i) !== Tok.End; i++) {
    if (s.kind(i) !== Tok.Name || !s.isOpen(i + 1, Bracket.Paren)) continue;
    const signature = signatureOf(s.source(i));
    if (!signature) continue;
    // `def conv2d(` and `class ConvTranspose2d(` define, they do not call.
    if (i > 0 && s.kind(i - 1) === Tok.Name && /^(def|class)$/.test(s.source(i - 1))) continue;
    const call = readCall(s, i, signature);
    calls.push(call);
  }
}

function readCall(s: TokenStream, nameToken: number, signature: LayerSignature): LayerCall {
  const argumentTokens: [number, number][] = [];
  let depth = 0;
  let argumentStart = nameToken + 2;
  let k = argumentStart;
  let complete = false;
  for (; k - nameToken < MAX_CALL_TOKENS; k++) {
    const kind = s.kind(k);
    if (kind === Tok.End) break;
    if (kind === Tok.Open) depth++;
    else if (kind === Tok.Close) {
      if (depth === 0) {
        complete = true;
        break;
      }
      depth--;
    } else if (kind === Tok.Comma && depth === 0) {
      argumentTokens.push([argumentStart, k]);
      argumentStart = k + 1;
    }
  }
  // The last argument counts only when the call closes after it; a half-typed one is left out.
  if (complete) argumentTokens.push([argumentStart, k]);
  const end = complete ? s.end(k) : s.end(Math.max(nameToken + 1, k - 1));
  return {
    start: s.start(nameToken),
    end,
    name: s.source(nameToken),
    op: signature.op,
    framework: signature.framework,
    params: readParams(s, argumentTokens, signature),
    complete,
  };
}

function readParams(s: TokenStream, argumentTokens: [number, number][], signature: LayerSignature): Record<string, LayerParam> {
  const params: Record<string, LayerParam> = {};
  let position = 0;
  for (const [first, last] of argumentTokens) {
    if (first >= last) continue; // a trailing comma
    let spec: ArgumentSpec | undefined;
    let valueFirst = first;
    if (s.kind(first) === Tok.Name && s.kind(first + 1) === Tok.Equals) {
      spec = signature.args.find((arg) => arg.name === s.source(first));
      valueFirst = first + 2;
    } else if (position < signature.positional) {
      spec = signature.args[position++];
    }
    if (!spec?.param || valueFirst >= last) continue;
    params[spec.param] = readValue(s, valueFirst, last, spec.param, signature);
  }
  return params;
}

function readValue(s: TokenStream, first: number, last: number, param: string, signature: LayerSignature): LayerParam {
  const start = s.start(first);
  const end = s.end(last - 1);
  const value = literalValue(s, first, last);
  if (value === undefined) return { kind: 'unknown', text: s.text.slice(start, end), start, end };
  return { kind: 'known', value: normalise(value, param, signature), start, end };
}

type Literal = number | number[] | string | boolean | null;

/** The literal tokens `[first, last)` spell, or `undefined` when they are not one. */
function literalValue(s: TokenStream, first: number, last: number): Literal | undefined {
  if (last - first === 1) {
    const kind = s.kind(first);
    if (kind === Tok.String) return stringContent(s.source(first));
    if (kind === Tok.Name) {
      const name = s.source(first);
      if (name === 'True' || name === 'False') return name === 'True';
      if (name === 'None') return null;
      return undefined;
    }
  }
  if ((s.isOpen(first, Bracket.Paren) || s.isOpen(first, Bracket.Square)) && s.kind(last - 1) === Tok.Close) {
    const values: number[] = [];
    let elementStart = first + 1;
    for (let k = first + 1; k < last; k++) {
      if (s.kind(k) === Tok.Comma || k === last - 1) {
        if (k > elementStart) {
          const element = scalar(s, elementStart, k);
          if (element === undefined) return undefined;
          values.push(element);
        }
        elementStart = k + 1;
      } else if (s.kind(k) === Tok.Open) {
        return undefined; // nested: not a size
      }
    }
    return values.length > 0 ? values : undefined;
  }
  return scalar(s, first, last);
}

/** A number or literal arithmetic (`2 * 2`, `-1`, `1/2`) filling exactly `[first, last)`. */
function scalar(s: TokenStream, first: number, last: number): number | undefined {
  for (let k = first; k < last; k++) if (s.kind(k) === Tok.Name) return undefined;
  try {
    const { value, next } = evaluateScalar(s, first, PYTHON);
    return next === last && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function stringContent(source: string): string {
  const body = source.replace(/^[rRbBuUfF]*/, '');
  const quote = body.startsWith('"""') || body.startsWith("'''") ? 3 : 1;
  return body.slice(quote, body.length - quote);
}

function normalise(value: Literal, param: string, signature: LayerSignature): LayerParamValue {
  if (param === 'paddingMode' && typeof value === 'string') return value.toLowerCase();
  if (!PAIR_PARAMS.has(param)) return Array.isArray(value) ? (value.length === 2 ? [value[0] as number, value[1] as number] : (value[0] ?? null)) : value;
  if (typeof value === 'number') return signature.twoD ? [value, value] : value;
  if (Array.isArray(value)) {
    if (value.length === 1) return signature.twoD ? [value[0] as number, value[0] as number] : (value[0] as number);
    if (value.length === 2) return [value[0] as number, value[1] as number];
  }
  return value as LayerParamValue;
}
