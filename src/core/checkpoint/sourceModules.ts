/**
 * The module paths a PyTorch model's source gives its layers, as `state_dict()` names them, so that a
 * bare state dict (which carries no hyperparameters) can be paired with the layer calls that made it:
 *
 * - `self.main = nn.Sequential(a, b, c)` → `main.0`, `main.1`, `main.2` (every element counts,
 *   activations and normalisation included, as `nn.Sequential` numbers its children; a nested
 *   `Sequential` is numbered inside its own index: `main.1.0`);
 * - `self.up1 = nn.ConvTranspose2d(…)` → `up1` (and the 1-D and 3-D convolutions alike);
 * - `self.block = UpBlock(…)` where `class UpBlock` of the same file assigns `self.deconv` → `block.deconv`;
 * - `nn.ModuleList([a, b])` → `name.0`, `name.1`;
 * - `nn.Sequential(OrderedDict([('deconv', …), …]))` → `name.deconv`;
 * - a module-level `model = nn.Sequential(…)` → `0`, `1`, … (the Sequential is the model).
 *
 * Only what the text states is read: a layer built in a loop or from `*layers` is not found, and its
 * keys are reported unpaired rather than guessed.
 */
import { PYTHON, streamFor } from '../parse/dialects';
import { findLayerCalls, type LayerCall, type LayerParam } from '../parse/layerCalls';
import type { SpatialSize } from '../parse/layerSignatures';
import { elementsOf, indentOf, lastSegment, startsLine } from '../parse/layerStacks';
import { withLineFeeds } from '../parse/lineBreaks';
import { Bracket, Tok, type TokenStream } from '../parse/tokens';
import { tripleQuoteSpans } from '../parse/tripleQuotes';

/** A convolution found in the source, under the path `state_dict()` gives it. */
export interface SourceLayer {
  /** `main.3`, `block.deconv`. */
  readonly path: string;
  readonly op: SourceConvOp;
  /** The call as written (`nn.ConvTranspose2d`). */
  readonly callee: string;
  /** One per spatial axis (`[s]`, `[s_h, s_w]`, `[s_d, s_h, s_w]`); undefined when the source writes it as an expression (`stride=s`). */
  readonly stride: readonly number[] | undefined;
  readonly dilation: readonly number[] | undefined;
  readonly groups: number | undefined;
  /** As written, when literal (or a bound constructor argument): to check a weight's shape against. */
  readonly inChannels: number | undefined;
  readonly outChannels: number | undefined;
  /** `in_channels` also where the model class's own defaults give it (`def __init__(self, in_channels=2)`): the input the class takes when built with its defaults. */
  readonly inChannelsByDefault: number | undefined;
  readonly kernelSize: readonly number[] | undefined;
  /** A convolution whose next module is `nn.PixelShuffle(r)`: `r`. */
  readonly pixelShuffle?: number;
  /** Where the call starts in the source, and its 1-based line. */
  readonly offset: number;
  readonly line: number;
}

/** The convolutions a weight can belong to, PyTorch's functional names. */
export type SourceConvOp = 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d' | 'conv1d' | 'conv2d' | 'conv3d';
const SPATIAL_AXES: Readonly<Record<SourceConvOp, 1 | 2 | 3>> = { convTranspose1d: 1, convTranspose2d: 2, convTranspose3d: 3, conv1d: 1, conv2d: 2, conv3d: 3 };

function isSourceConvOp(op: string): op is SourceConvOp {
  return Object.hasOwn(SPATIAL_AXES, op);
}

/** A model the source defines: a class (its `__init__`'s modules) or a module-level `Sequential`. */
export interface SourceModel {
  readonly name: string;
  readonly layers: readonly SourceLayer[];
}

/** Class definitions nest modules at most this deep (a class that builds itself would recurse forever). */
const MAX_DEPTH = 12;

interface Leaf {
  readonly path: string;
  readonly call?: LayerCall;
  readonly label: string;
  /** The integer values of the enclosing class's `__init__` parameters, as this instance was built (`UpsampleBlock(64, 2)`). */
  readonly bindings: Bindings;
}

/**
 * Integer values of names, from constructor arguments. `soft` marks a value that comes from the
 * model class's own defaults (`def __init__(self, nz=100)`): a training script may construct it with
 * others, so a soft value sets strides but is never held against a weight's shape.
 */
type Bindings = ReadonlyMap<string, { readonly value: number; readonly soft: boolean }>;
const NO_BINDINGS: Bindings = new Map();

interface ClassInit {
  /** `__init__`'s parameters after `self`, in order, with their literal integer defaults. */
  readonly params: { readonly name: string; readonly fallback?: number }[];
  /** `self.x = value` assignments of `__init__`, in order: the attribute and the value's tokens `[first, last)`. */
  readonly assignments: { readonly attribute: string; readonly first: number; readonly last: number }[];
}

/** Every model of `source`; never throws. */
export function sourceModels(source: string): SourceModel[] {
  const text = withLineFeeds(source);
  const calls = findLayerCalls(text, 'python');
  const byStart = new Map(calls.map((call) => [call.start, call]));
  const s = streamFor(text, PYTHON, 0, text.length, false, true, tripleQuoteSpans(text, 0, text.length, PYTHON.rules));
  const classes = classSpans(text);
  const inits = new Map<string, ClassInit>();
  const topLevel: { name: string; first: number; last: number }[] = [];
  for (let i = 0; s.kind(i) !== Tok.End; i++) {
    if (s.kind(i) !== Tok.Name) continue;
    if (s.source(i) === 'def' && s.source(i + 1) === '__init__') {
      // The innermost class around the `def`: the last to start among those that hold it.
      const owner = classes.filter((c) => c.start < s.start(i) && s.start(i) < c.end && c.indent < indentOf(text, s.start(i))).sort((a, b) => b.start - a.start)[0];
      const init = readInit(s, i);
      if (owner && init && !inits.has(owner.name)) inits.set(owner.name, init);
      continue;
    }
    if (indentOf(text, s.start(i)) === 0 && startsLine(s, i) && s.kind(i + 1) === Tok.Equals && s.kind(i + 2) === Tok.Name && lastSegment(s.source(i + 2)) === 'Sequential' && s.isOpen(i + 3, Bracket.Paren)) {
      const close = s.closeOf(i + 3);
      if (close > 0) topLevel.push({ name: s.source(i), first: i + 2, last: close + 1 });
    }
  }
  const lines = lineStarts(text);
  const models: SourceModel[] = [];
  for (const [name, init] of inits) {
    const leaves: Leaf[] = [];
    expandClass(s, init, '', defaults(init, true), inits, byStart, leaves, [name]);
    models.push({ name, layers: layersOf(leaves, lines) });
  }
  for (const top of topLevel) {
    const leaves: Leaf[] = [];
    expandValue(s, top.first, top.last, '', NO_BINDINGS, inits, byStart, leaves, []);
    models.push({ name: top.name, layers: layersOf(leaves, lines) });
  }
  return models;
}

function expandClass(s: TokenStream, init: ClassInit, prefix: string, bindings: Bindings, inits: ReadonlyMap<string, ClassInit>, byStart: ReadonlyMap<number, LayerCall>, leaves: Leaf[], stack: string[]): void {
  for (const assignment of init.assignments) expandValue(s, assignment.first, assignment.last, join(prefix, assignment.attribute), bindings, inits, byStart, leaves, stack);
}

function defaults(init: ClassInit, soft: boolean): Map<string, { value: number; soft: boolean }> {
  return new Map(init.params.flatMap((p) => (p.fallback !== undefined ? [[p.name, { value: p.fallback, soft }] as const] : [])));
}

/** The integer value of the argument tokens `[first, last)`: a literal, or a name bound by the enclosing constructor. */
function integerOf(s: TokenStream, first: number, last: number, bindings: Bindings): { value: number; soft: boolean } | undefined {
  if (last !== first + 1) return undefined;
  if (s.kind(first) === Tok.Number && Number.isInteger(Number(s.source(first)))) return { value: Number(s.source(first)), soft: false };
  return s.kind(first) === Tok.Name ? bindings.get(s.source(first)) : undefined;
}

/** The bindings of a class's `__init__` parameters for the call `Class(…)` whose parentheses are `open` and `close`. */
function bind(s: TokenStream, init: ClassInit, open: number, close: number, outer: Bindings): Bindings {
  const bound = defaults(init, false);
  elementsOf(s, open, close).forEach(([a, b], index) => {
    const keyword = s.kind(a) === Tok.Name && s.kind(a + 1) === Tok.Equals ? s.source(a) : undefined;
    const name = keyword ?? init.params[index]?.name;
    if (name === undefined) return;
    const value = integerOf(s, keyword ? a + 2 : a, b, outer);
    if (value === undefined) bound.delete(name);
    else bound.set(name, value);
  });
  return bound;
}

/** The modules of the value `[first, last)` registered under `path`. */
function expandValue(s: TokenStream, first: number, last: number, path: string, bindings: Bindings, inits: ReadonlyMap<string, ClassInit>, byStart: ReadonlyMap<number, LayerCall>, leaves: Leaf[], stack: string[]): void {
  if (s.kind(first) !== Tok.Name || !s.isOpen(first + 1, Bracket.Paren)) return;
  const close = s.closeOf(first + 1);
  if (close < 0 || close >= last) return;
  const callee = lastSegment(s.source(first));
  if (callee === 'Sequential') {
    const elements = elementsOf(s, first + 1, close).filter(([a]) => !(s.kind(a) === Tok.Name && s.kind(a + 1) === Tok.Equals));
    const named = elements.length === 1 ? namedChildren(s, elements[0] as [number, number]) : undefined;
    if (named) {
      for (const child of named) expandValue(s, child.first, child.last, join(path, child.name), bindings, inits, byStart, leaves, stack);
      return;
    }
    // `Sequential(*layers)` names its children in ways the text does not state.
    if (elements.some(([a]) => s.kind(a) !== Tok.Name || lastSegment(s.source(a)) === 'OrderedDict')) return;
    elements.forEach(([a, b], index) => expandValue(s, a, b, join(path, String(index)), bindings, inits, byStart, leaves, stack));
    return;
  }
  if (callee === 'ModuleList') {
    const list = elementsOf(s, first + 1, close)[0];
    if (!list || !s.isOpen(list[0], Bracket.Square)) return;
    elementsOf(s, list[0], s.closeOf(list[0])).forEach(([a, b], index) => expandValue(s, a, b, join(path, String(index)), bindings, inits, byStart, leaves, stack));
    return;
  }
  const init = inits.get(callee);
  if (init && !stack.includes(callee) && stack.length < MAX_DEPTH) {
    stack.push(callee);
    expandClass(s, init, path, bind(s, init, first + 1, close, bindings), inits, byStart, leaves, stack);
    stack.pop();
    return;
  }
  const call = byStart.get(s.start(first));
  leaves.push({ path, label: callee, bindings, ...(call ? { call } : {}) });
}

/** `OrderedDict([('conv', nn.Conv2d(…)), ('act', nn.ReLU())])`: each child's name and value tokens; undefined for anything else. */
function namedChildren(s: TokenStream, [first, last]: [number, number]): { name: string; first: number; last: number }[] | undefined {
  if (s.kind(first) !== Tok.Name || lastSegment(s.source(first)) !== 'OrderedDict' || !s.isOpen(first + 1, Bracket.Paren) || s.closeOf(first + 1) !== last - 1) return undefined;
  const list = elementsOf(s, first + 1, last - 1)[0];
  if (!list || !s.isOpen(list[0], Bracket.Square)) return undefined;
  const children: { name: string; first: number; last: number }[] = [];
  for (const [a, b] of elementsOf(s, list[0], s.closeOf(list[0]))) {
    if (!s.isOpen(a, Bracket.Paren) || s.closeOf(a) !== b - 1) return undefined;
    const [key, value] = elementsOf(s, a, b - 1);
    if (!key || !value || s.kind(key[0]) !== Tok.String || key[1] !== key[0] + 1) return undefined;
    children.push({ name: s.source(key[0]).slice(1, -1), first: value[0], last: value[1] });
  }
  return children;
}

/** The convolutions among `leaves`, each with the pixel shuffle that follows it, if one does. */
function layersOf(leaves: readonly Leaf[], lines: readonly number[]): SourceLayer[] {
  const layers: SourceLayer[] = [];
  leaves.forEach((leaf, index) => {
    const call = leaf.call;
    if (!call || !isSourceConvOp(call.op)) return;
    const op = call.op;
    const axes = SPATIAL_AXES[op];
    const next = leaves[index + 1];
    const factor = op === 'conv2d' && next?.call?.op === 'pixelShuffle' ? known(next.call.params.upscaleFactor, undefined, next.bindings, true) : undefined;
    layers.push({
      path: leaf.path,
      op,
      callee: call.name,
      stride: perAxis(known(call.params.stride, 1, leaf.bindings, true), axes),
      dilation: perAxis(known(call.params.dilation, 1, leaf.bindings, true), axes),
      groups: known(call.params.groups, 1, leaf.bindings, true),
      inChannels: known(call.params.inChannels, undefined, leaf.bindings, false),
      inChannelsByDefault: known(call.params.inChannels, undefined, leaf.bindings, true),
      outChannels: known(call.params.outChannels, undefined, leaf.bindings, false),
      kernelSize: perAxis(known(call.params.kernelSize, undefined, leaf.bindings, false), axes),
      ...(typeof factor === 'number' ? { pixelShuffle: factor } : {}),
      offset: call.start,
      line: lineOf(lines, call.start),
    });
  });
  return layers;
}

/**
 * A parameter's literal value, `fallback` (PyTorch's default) when the call leaves it out, the
 * constructor argument when it is a parameter's name (`nn.PixelShuffle(up_scale)`; a soft one only
 * when `soft` allows it), undefined when it is any other expression.
 */
function known<V>(param: LayerParam<V> | undefined, fallback: V | undefined, bindings: Bindings, soft: boolean): V | number | undefined {
  if (!param) return fallback;
  if (param.kind !== 'known') {
    const bound = bindings.get(param.text.trim());
    return bound && (soft || !bound.soft) ? bound.value : undefined;
  }
  return param.value ?? fallback;
}

/** A size as one value per spatial axis; undefined when it has another count of axes. */
function perAxis(size: SpatialSize | number | undefined, axes: 1 | 2 | 3): readonly number[] | undefined {
  if (size === undefined) return undefined;
  return typeof size === 'number' ? new Array<number>(axes).fill(size) : size.length === axes ? size : undefined;
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** `def __init__(…):` — its body's `self.x = Call(…)` assignments. */
function readInit(s: TokenStream, def: number): ClassInit | undefined {
  if (!s.isOpen(def + 2, Bracket.Paren)) return undefined;
  const close = s.closeOf(def + 2);
  if (close < 0) return undefined;
  const defIndent = indentOf(s.text, s.start(def));
  const params: ClassInit['params'] = [];
  for (const [a, b] of elementsOf(s, def + 2, close)) {
    if (s.kind(a) !== Tok.Name || s.source(a) === 'self') continue;
    const fallback = s.kind(a + 1) === Tok.Equals ? integerOf(s, a + 2, b, NO_BINDINGS)?.value : undefined;
    params.push({ name: s.source(a), ...(fallback !== undefined ? { fallback } : {}) });
  }
  const assignments: ClassInit['assignments'] = [];
  for (let i = close + 1; s.kind(i) !== Tok.End; i++) {
    if (startsLine(s, i) && indentOf(s.text, s.start(i)) <= defIndent) break;
    if (s.kind(i) === Tok.Open) {
      const skipTo = s.closeOf(i);
      if (skipTo < 0) break;
      i = skipTo;
      continue;
    }
    const name = s.source(i);
    if (s.kind(i) !== Tok.Name || !startsLine(s, i) || !name.startsWith('self.') || name.indexOf('.', 5) >= 0 || s.kind(i + 1) !== Tok.Equals) continue;
    const first = i + 2;
    if (s.kind(first) !== Tok.Name || !s.isOpen(first + 1, Bracket.Paren)) continue;
    const valueClose = s.closeOf(first + 1);
    if (valueClose < 0) break;
    assignments.push({ attribute: name.slice(5), first, last: valueClose + 1 });
    i = valueClose;
  }
  return { params, assignments };
}

/** Each `class Name…:` with its indentation and the span of its body (to the next line indented no deeper). */
function classSpans(text: string): { name: string; start: number; end: number; indent: number }[] {
  const spans: { name: string; start: number; end: number; indent: number }[] = [];
  const open: { name: string; start: number; indent: number }[] = [];
  const pattern = /^([ \t]*)(\S.*)$/gm;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const indent = (m[1] as string).length;
    const line = m[2] as string;
    if (line.startsWith('#')) continue;
    while (open.length > 0 && indent <= (open[open.length - 1] as { indent: number }).indent) {
      const done = open.pop() as { name: string; start: number; indent: number };
      spans.push({ ...done, end: m.index });
    }
    const name = /^class[ \t]+(\w+)/.exec(line)?.[1];
    if (name) open.push({ name, start: m.index, indent });
  }
  for (const done of open) spans.push({ ...done, end: text.length });
  return spans;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Whether a weight of `shape` can be this layer's: it has the layer's rank, and its kernel size and
 * channel counts, where the source states them, agree (`[C_in, C_out/groups, …kernel]` transposed,
 * `[C_out, C_in/groups, …kernel]` not).
 */
export function weightFits(layer: SourceLayer, shape: readonly number[]): boolean {
  if (shape.length !== SPATIAL_AXES[layer.op] + 2) return false;
  const groups = layer.groups ?? 1;
  const [first, second, ...kernel] = shape as [number, number, ...number[]];
  if (layer.kernelSize && layer.kernelSize.some((k, a) => k !== kernel[a])) return false;
  const [inChannels, outChannels] = layer.op.startsWith('convTranspose') ? [first, second * groups] : [second * groups, first];
  return (layer.inChannels === undefined || layer.inChannels === inChannels) && (layer.outChannels === undefined || layer.outChannels === outChannels);
}
