/**
 * Finding the stacks of layers a model is written as, in Python source:
 *
 * - `nn.Sequential(a, b, c)` bodies (nested `Sequential`s are read through);
 * - the layers a module's `__init__` assigns, in order (`self.up1 = nn.ConvTranspose2d(…)`);
 * - Keras `Sequential([a, b, c])` and functional chains (`x = layers.Conv2DTranspose(…)(x)`,
 *   started by `keras.Input(shape=(h, w, c))` when there is one);
 * - a run of consecutive layer calls the user selected.
 *
 * Every element is kept, in order: a layer the engine computes (`layer`), one known to keep the
 * shape (activations, normalisation, dropout: `preserving`), a reshape that states the shape
 * (`Reshape((7, 7, 64))`, `Unflatten(1, (64, 7, 7))`, `Input(shape=…)`), or `unknown` (a custom
 * block, `Linear`, `Dense`…). Nothing is dropped, so a table of the stack matches the code.
 */
import { readConstants, splitTopLevel, type ConstantBindings } from './constantNames';
import { conditionsFor } from '../model/initBranches';
import { PYTHON, streamFor } from './dialects';
import { findLayerCalls, type LayerCall } from './layerCalls';
import { pythonRegions } from './pythonRegions';
import { Bracket, Tok, type TokenStream } from './tokens';
import { withLineFeeds } from './lineBreaks';
import { tripleQuoteSpans } from './tripleQuotes';
import { sizeCommentAbove } from './sizeComment';

export type StackKind = 'sequential' | 'kerasSequential' | 'init' | 'functional' | 'selection';

interface ItemBase {
  /** The element as written: from its first character to its last. */
  readonly start: number;
  readonly end: number;
  /** The called name (`nn.BatchNorm2d`), or the element's text when it is not a call (`self.block`). */
  readonly label: string;
  /** A spatial size stated by a comment right above the element (`# state size. (ngf*8) x 4 x 4`): its input's `[H, W]`. */
  readonly sizeComment?: { readonly size: readonly [number, number]; readonly offset: number };
}

export type StackItem =
  | (ItemBase & { readonly kind: 'layer'; readonly call: LayerCall })
  /** Keeps the shape: normalisation (with its channel count as written, if any), activations, dropout. */
  | (ItemBase & { readonly kind: 'preserving'; readonly channels?: string; readonly learned?: LearnedCount })
  /** Pads the map (`ReflectionPad2d(3)`, `ZeroPad2d((1, 2, 0, 0))`, Keras `ZeroPadding2D`): rows and columns added, per spatial axis `[H, W]` (or `[L]`). */
  | (ItemBase & { readonly kind: 'padding'; readonly added: readonly number[] })
  /** States the shape from here on: `[C, H, W]`, `[C, L]` or `[C, D, H, W]` (Keras' channels-last shapes are turned around). */
  | (ItemBase & { readonly kind: 'reshape'; readonly shape: readonly number[] })
  | (ItemBase & { readonly kind: 'unknown' });

export interface LayerStack {
  readonly kind: StackKind;
  /** What the code calls it: `self.main`, `decoder`, `Generator.__init__`, `x` (a chain), `selection`. */
  readonly name: string;
  /** From the container's name (or first element) to its end. */
  readonly start: number;
  readonly end: number;
  readonly items: readonly StackItem[];
}

/**
 * The learned parameters of a shape-keeping layer, as PyTorch counts them: `per · of`, `of` as
 * written (`64`, `ngf * 2`, `7 * 7 * 32`). Norms have `2·C` affine parameters (weight and bias)
 * unless `affine=False` / `elementwise_affine=False`; instance norm's default is `affine=False`;
 * `PReLU(num_parameters=n)` has `n`. Absent: none.
 */
export interface LearnedCount {
  readonly of: string;
  readonly per: number;
}

/** A stack needs at least this many elements to be reported (a `Sequential` of one is a wrapper). */
const MIN_ITEMS = 2;

/** Layers that keep the shape, by their last name segment. */
export const SHAPE_PRESERVING: ReadonlySet<string> = new Set([
  'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d', 'GroupNorm', 'LayerNorm',
  'LocalResponseNorm', 'Identity', 'ReLU', 'ReLU6', 'LeakyReLU', 'PReLU', 'ELU', 'SELU', 'CELU', 'GELU', 'SiLU', 'Mish', 'Tanh',
  'Sigmoid', 'Softplus', 'Hardswish', 'Hardtanh', 'Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'SpatialDropout3D', 'relu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu', 'silu',
  'BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'Activation', 'SpatialDropout2D', 'SpatialDropout1D',
  'GaussianNoise', 'Rescaling',
]);

/** Normalisation layers whose first argument is the channel count. */
const CHANNEL_NORMS = new Set(['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d']);

/** What a document's stacks are read with: the layer calls and the constants they are written with. */
export interface StackContext {
  readonly text: string;
  readonly calls: readonly LayerCall[];
  readonly constants: ConstantBindings;
}

export function stackContext(document: string, languageId?: string): StackContext {
  const text = withLineFeeds(document);
  return { text, calls: findLayerCalls(text, languageId), constants: readConstants(text) };
}

/** Every stack of the document, in order of their start. Never throws. */
export function findLayerStacks(document: string, languageId?: string, context: StackContext = stackContext(document, languageId)): LayerStack[] {
  const text = withLineFeeds(document);
  const stacks: LayerStack[] = [];
  const byStart = new Map(context.calls.map((call) => [call.start, call]));
  for (const region of pythonRegions(text, languageId)) {
    const s = streamFor(text, PYTHON, region.from, region.to, false, true, tripleQuoteSpans(text, region.from, region.to, PYTHON.rules));
    scan(s, byStart, stacks);
  }
  // A module whose __init__ holds its layers in one Sequential (beside a Linear, say) repeats that Sequential: keep the Sequential.
  const layersWithin = (stack: LayerStack, other: LayerStack) => stack.items.every((item) => item.kind !== 'layer' || (item.start >= other.start && item.end <= other.end));
  const kept = stacks.filter((stack) => stack.kind !== 'init' || !stacks.some((other) => other !== stack && other.kind !== 'init' && layersWithin(stack, other)));
  return kept.sort((a, b) => a.start - b.start);
}

/** The stack of the layer calls (and what lies between them) in `[from, to]`: the user's selection. Undefined when it holds no layer. */
export function stackInRange(document: string, from: number, to: number, languageId?: string, context: StackContext = stackContext(document, languageId)): LayerStack | undefined {
  const text = withLineFeeds(document);
  const byStart = new Map(context.calls.map((call) => [call.start, call]));
  const s = streamFor(text, PYTHON, 0, text.length, false, true, tripleQuoteSpans(text, 0, text.length, PYTHON.rules));
  const items: StackItem[] = [];
  let i = 0;
  while (s.kind(i) !== Tok.End && s.start(i) < from) i++;
  for (; s.kind(i) !== Tok.End && s.start(i) < to; i++) {
    if (s.kind(i) !== Tok.Name || !s.isOpen(i + 1, Bracket.Paren) || PYTHON_BUILTINS.has(s.source(i))) continue;
    const close = closeOf(s, i + 1);
    if (close < 0 || s.end(close) > to + 1) continue;
    const item = itemOf(s, i, close + 1, byStart);
    // `x = f(` before the first layer is context, not stack; a padding layer is part of it (`ReflectionPad2d(3)` then a conv).
    if (item.kind === 'unknown' && items.length === 0) continue;
    items.push(item);
    i = close;
  }
  while (items.length > 0 && items[items.length - 1]?.kind === 'unknown') items.pop();
  if (!items.some((item) => item.kind === 'layer')) return undefined;
  return { kind: 'selection', name: 'selection', start: (items[0] as StackItem).start, end: (items[items.length - 1] as StackItem).end, items };
}

/** The stack whose range holds `offset`, the innermost when they nest. */
export function stackAt(stacks: readonly LayerStack[], offset: number): LayerStack | undefined {
  let found: LayerStack | undefined;
  for (const stack of stacks) if (stack.start <= offset && offset <= stack.end && (!found || stack.end - stack.start <= found.end - found.start)) found = stack;
  return found;
}

function scan(s: TokenStream, byStart: ReadonlyMap<number, LayerCall>, stacks: LayerStack[]): void {
  let chain: { target: string; items: StackItem[]; start: number } | undefined;
  const flushChain = () => {
    if (chain && chain.items.filter((item) => item.kind !== 'reshape').length >= MIN_ITEMS && chain.items.some((item) => item.kind === 'layer')) {
      stacks.push({ kind: 'functional', name: chain.target, start: chain.start, end: (chain.items[chain.items.length - 1] as StackItem).end, items: chain.items });
    }
    chain = undefined;
  };
  for (let i = 0; s.kind(i) !== Tok.End; i++) {
    if (s.kind(i) !== Tok.Name) continue;
    const name = s.source(i);
    if (lastSegment(name) === 'Sequential' && s.isOpen(i + 1, Bracket.Paren)) {
      const stack = sequentialAt(s, i, byStart);
      if (stack) stacks.push(stack);
      // Nested Sequentials are read through as part of this one.
      const close = closeOf(s, i + 1);
      if (close > i) i = close;
      continue;
    }
    if (name === 'def' && s.source(i + 1) === '__init__') {
      const stack = initAt(s, i, byStart);
      if (stack) stacks.push(stack);
      continue;
    }
    // `x = layers.Conv2DTranspose(…)(x)` at the start of a line, or the `keras.Input(…)` a chain starts from.
    const step = startsLine(s, i) && s.kind(i + 1) === Tok.Equals && s.kind(i + 2) === Tok.Name && s.isOpen(i + 3, Bracket.Paren) ? chainStep(s, i, byStart) : undefined;
    if (step) {
      if (chain && step.source !== undefined && step.source === chain.target) {
        chain.items.push(step.item);
        chain.target = name;
      } else {
        flushChain();
        chain = { target: name, items: [step.item], start: s.start(i) };
      }
      continue;
    }
    if (chain && startsLine(s, i) && s.start(i) > (chain.items[chain.items.length - 1] as StackItem).end) flushChain();
  }
  flushChain();
}

/** One step of a functional chain: `target = Layer(args)(source)`, or the chain's `keras.Input(shape=…)`. */
function chainStep(s: TokenStream, i: number, byStart: ReadonlyMap<number, LayerCall>): { item: StackItem; source?: string } | undefined {
  const close = closeOf(s, i + 3);
  if (close < 0) return undefined;
  const callee = s.source(i + 2);
  if (lastSegment(callee) === 'Input') {
    const item = itemOf(s, i + 2, close + 1, byStart);
    return item.kind === 'reshape' ? { item } : undefined;
  }
  if (!s.isOpen(close + 1, Bracket.Paren) || s.kind(close + 2) !== Tok.Name || !s.isClose(close + 3, Bracket.Paren)) return undefined;
  return { item: itemOf(s, i + 2, close + 1, byStart), source: s.source(close + 2) };
}

function sequentialAt(s: TokenStream, i: number, byStart: ReadonlyMap<number, LayerCall>): LayerStack | undefined {
  const close = closeOf(s, i + 1);
  if (close < 0) return undefined;
  const { kind, elements } = sequentialElements(s, i + 1, close);
  const items = flatItems(s, elements, byStart);
  if (items.length < MIN_ITEMS) return undefined;
  return { kind, name: assignedName(s, i) ?? s.source(i), start: s.start(i), end: s.end(close), items };
}

/** The elements of the `Sequential(…)` whose parentheses are `open` and `close`. */
function sequentialElements(s: TokenStream, open: number, close: number): { kind: StackKind; elements: [number, number][] } {
  const elements = elementsOf(s, open, close);
  // Keras: Sequential([a, b, c]) or Sequential(layers=[…], name=…).
  const list = elements.find(([first, last]) => (s.isOpen(first, Bracket.Square) && closeOf(s, first) === last - 1) || (s.source(first) === 'layers' && s.kind(first + 1) === Tok.Equals && s.isOpen(first + 2, Bracket.Square)));
  if (list) {
    const bracket = s.isOpen(list[0], Bracket.Square) ? list[0] : list[0] + 2;
    return { kind: 'kerasSequential', elements: elementsOf(s, bracket, closeOf(s, bracket)) };
  }
  return { kind: 'sequential', elements: elements.filter(([first]) => !(s.kind(first) === Tok.Name && s.kind(first + 1) === Tok.Equals)) }; // name=…
}

function isSequentialCall(s: TokenStream, first: number, last: number): boolean {
  return s.kind(first) === Tok.Name && lastSegment(s.source(first)) === 'Sequential' && s.isOpen(first + 1, Bracket.Paren) && closeOf(s, first + 1) === last - 1;
}

/**
 * The items of `elements`, a nested `Sequential` read through (replaced by its own items) when it
 * holds at least {@link MIN_ITEMS}. An explicit stack of the Sequentials being read, not recursion:
 * how deep they nest is the document's to choose.
 */
function flatItems(s: TokenStream, elements: readonly [number, number][], byStart: ReadonlyMap<number, LayerCall>): StackItem[] {
  interface Frame {
    readonly elements: readonly [number, number][];
    next: number;
    readonly items: StackItem[];
    /** The nested Sequential's own element range (absent for the outermost). */
    readonly range?: readonly [number, number];
  }
  const root: Frame = { elements, next: 0, items: [] };
  const frames: Frame[] = [root];
  for (let top = root; ; top = frames[frames.length - 1] as Frame) {
    const element = top.elements[top.next++];
    if (element) {
      const [first, last] = element;
      if (isSequentialCall(s, first, last)) frames.push({ elements: sequentialElements(s, first + 1, last - 1).elements, next: 0, items: [], range: element });
      else top.items.push(itemOf(s, first, last, byStart));
      continue;
    }
    frames.pop();
    const parent = frames[frames.length - 1];
    if (!parent || !top.range) return top.items;
    if (top.items.length >= MIN_ITEMS) for (const item of top.items) parent.items.push(item);
    else parent.items.push(itemOf(s, top.range[0], top.range[1], byStart));
  }
}

/** `self.main = nn.Sequential(` → `self.main`; `decoder = keras.Sequential(` → `decoder`. */
function assignedName(s: TokenStream, i: number): string | undefined {
  return i >= 2 && s.kind(i - 1) === Tok.Equals && s.kind(i - 2) === Tok.Name ? s.source(i - 2) : undefined;
}

/** `def __init__(…):` — the `self.x = …` assignments of its body, in order. */
function initAt(s: TokenStream, def: number, byStart: ReadonlyMap<number, LayerCall>): LayerStack | undefined {
  if (!s.isOpen(def + 2, Bracket.Paren)) return undefined;
  const close = closeOf(s, def + 2);
  if (close < 0) return undefined;
  const defIndent = indentOf(s.text, s.start(def));
  const items: StackItem[] = [];
  let end = s.end(close);
  let i = close + 1;
  for (; s.kind(i) !== Tok.End; i++) {
    if (startsLine(s, i) && indentOf(s.text, s.start(i)) <= defIndent) break;
    if (s.kind(i) === Tok.Open) {
      const skipTo = closeOf(s, i);
      if (skipTo < 0) break;
      i = skipTo;
      continue;
    }
    const name = s.source(i);
    if (s.kind(i) !== Tok.Name || !startsLine(s, i) || !name.startsWith('self.') || s.kind(i + 1) !== Tok.Equals) continue;
    const valueFirst = i + 2;
    if (s.kind(valueFirst) !== Tok.Name || !s.isOpen(valueFirst + 1, Bracket.Paren)) continue;
    const valueClose = closeOf(s, valueFirst + 1);
    if (valueClose < 0) break;
    const callee = lastSegment(s.source(valueFirst));
    // Bookkeeping (`nn.Parameter`) is not a layer of the path.
    if (callee === 'Parameter' || callee === 'register_buffer') {
      i = valueClose;
      continue;
    }
    // A container filled later (`self.up_blocks = nn.ModuleList([])`, then `.append` in a loop) is
    // not followed here, and the table says so: the sizes after it are unknown.
    if (callee === 'ModuleList' || callee === 'ModuleDict') {
      items.push({ start: s.start(i), end: s.end(valueClose), kind: 'unknown', label: `${name} (a ${callee}: its layers are not followed here)` });
      end = s.end(valueClose);
      i = valueClose;
      continue;
    }
    // Branches on constructor arguments: the one the defaults take; alternatives said as such.
    const verdict = conditionsFor(s.text).verdict(s.start(i), s.start(def), defIndent);
    if (verdict.kind === 'skipped') {
      i = valueClose;
      continue;
    }
    if (verdict.kind === 'alternative') {
      const condition = verdict.condition === 'else' ? 'else' : `if ${verdict.condition}`;
      items.push({ start: s.start(valueFirst), end: s.end(valueClose), kind: 'unknown', label: `${s.source(valueFirst)} (${condition}: one of alternatives the defaults do not decide)` });
      end = s.end(valueClose);
      i = valueClose;
      continue;
    }
    for (const item of flatItems(s, [[valueFirst, valueClose + 1]], byStart)) items.push(item);
    end = s.end(valueClose);
    i = valueClose;
  }
  if (items.length < MIN_ITEMS || !items.some((item) => item.kind === 'layer')) return undefined;
  const className = enclosingClass(s.text, s.start(def));
  return { kind: 'init', name: className ? `${className}.__init__` : '__init__', start: s.start(def), end, items };
}

/** The name of the class a `def` at `offset` belongs to: the nearest `class` line above it, indented less. */
function enclosingClass(text: string, offset: number): string | undefined {
  const indent = indentOf(text, offset);
  let end = text.lastIndexOf('\n', offset - 1);
  for (let lines = 0; end > 0 && lines < 2000; lines++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    const stripped = line.trimStart();
    if (stripped !== '' && !stripped.startsWith('#') && line.length - stripped.length < indent) {
      return /^class[ \t]+(\w+)/.exec(stripped)?.[1];
    }
    end = start - 1;
  }
  return undefined;
}

/** The element `[first, last)` as a stack item. */
function itemOf(s: TokenStream, first: number, last: number, byStart: ReadonlyMap<number, LayerCall>): StackItem {
  const start = s.start(first);
  const end = s.end(last - 1);
  const sizeComment = imageSizeCommentAbove(s.text, start);
  const base = { start, end, ...(sizeComment ? { sizeComment } : {}) };
  const isCall = s.kind(first) === Tok.Name && s.isOpen(first + 1, Bracket.Paren);
  if (!isCall) return { ...base, kind: 'unknown', label: s.text.slice(start, end) };
  const label = s.source(first);
  const call = byStart.get(start);
  if (call && call.complete) return { ...base, kind: 'layer', label, call };
  const name = lastSegment(label);
  const args = s.text.slice(s.end(first + 1), s.start(closeOf(s, first + 1)));
  if (SHAPE_PRESERVING.has(name)) {
    const channels = CHANNEL_NORMS.has(name) ? args.split(',')[0]?.trim() : undefined;
    const learned = learnedCount(name, args);
    return { ...base, kind: 'preserving', label, ...(channels ? { channels } : {}), ...(learned ? { learned } : {}) };
  }
  const added = paddingOf(name, args);
  if (added) return { ...base, kind: 'padding', label, added };
  const shape = reshapeOf(name, args);
  if (shape) return { ...base, kind: 'reshape', label, shape };
  return { ...base, kind: 'unknown', label };
}

/** The top-level arguments of a call's argument text, trimmed (`32, (7, 7), affine=False`). */
function topLevelArguments(args: string): string[] {
  return splitTopLevel(args)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A shape-keeping layer's learned parameters from its arguments (see {@link LearnedCount}). */
function learnedCount(name: string, args: string): LearnedCount | undefined {
  const parts = topLevelArguments(args);
  const positional = parts.filter((p) => !/^\w+\s*=(?!=)/.test(p));
  const keyword = (key: string): string | undefined => parts.find((p) => new RegExp(`^${key}\\s*=(?!=)`).test(p))?.replace(/^\w+\s*=/, '').trim();
  /** The flag's value, or its text when it is an expression (`affine=learn_affine`). */
  const flag = (key: string, position: number, fallback: boolean): boolean | string => {
    const text = keyword(key) ?? positional[position];
    if (text === undefined) return fallback;
    return text === 'True' ? true : text === 'False' ? false : text;
  };
  const norm = (of: string | undefined, affine: boolean | string): LearnedCount | undefined => {
    if (of === undefined) return undefined;
    // An affine flag that is an expression: the count depends on it, and the formula says so.
    if (typeof affine === 'string') return { of: `${of} if ${affine} else 0`, per: 2 };
    return affine ? { of, per: 2 } : undefined;
  };
  if (/^(BatchNorm[123]d|BatchNormalization)$/.test(name)) return name === 'BatchNormalization' ? undefined : norm(keyword('num_features') ?? positional[0], flag('affine', 3, true));
  if (/^InstanceNorm[123]d$/.test(name)) return norm(keyword('num_features') ?? positional[0], flag('affine', 3, false));
  if (name === 'GroupNorm') return norm(keyword('num_channels') ?? positional[1], flag('affine', 3, true));
  if (name === 'LayerNorm') {
    const shape = keyword('normalized_shape') ?? positional[0];
    const tuple = shape && /^[([](.*)[)\]]$/s.exec(shape);
    const of = tuple ? topLevelArguments(tuple[1] as string).join(' * ') : shape;
    return norm(of, flag('elementwise_affine', 2, true));
  }
  if (name === 'PReLU') return { of: keyword('num_parameters') ?? positional[0] ?? '1', per: 1 };
  return undefined;
}

/** PyTorch's padding layers, by their last name segment, and how many spatial axes they pad. */
const PADDING_LAYERS: ReadonlyMap<string, 1 | 2 | 3> = new Map([
  ['ReflectionPad2d', 2], ['ReplicationPad2d', 2], ['ZeroPad2d', 2], ['ConstantPad2d', 2],
  ['ReflectionPad1d', 1], ['ReplicationPad1d', 1], ['ConstantPad1d', 1],
  ['ReflectionPad3d', 3], ['ReplicationPad3d', 3], ['ConstantPad3d', 3],
]);

/**
 * Rows and columns a padding layer adds, per spatial axis: PyTorch's `padding` is an int (every
 * side) or `(left, right[, top, bottom])`; Keras' `ZeroPadding2D(padding)` is an int, `(h, w)`
 * (both sides) or `((top, bottom), (left, right))`. Undefined for anything not written as numbers.
 */
function paddingOf(name: string, args: string): readonly number[] | undefined {
  const axes = PADDING_LAYERS.get(name) ?? (name === 'ZeroPadding2D' ? 2 : name === 'ZeroPadding1D' ? 1 : name === 'ZeroPadding3D' ? 3 : undefined);
  if (axes === undefined) return undefined;
  const parts = topLevelArguments(args);
  const text = parts.find((p) => /^padding\s*=/.test(p))?.replace(/^padding\s*=/, '').trim() ?? (parts[0] && !/^\w+\s*=/.test(parts[0]) ? parts[0] : undefined);
  if (text === undefined) return name.startsWith('ZeroPadding') ? Array.from({ length: axes }, () => 2) : undefined;
  const numbers = (t: string): number[] | undefined => {
    const inner = /^[([](.*)[)\]]$/s.exec(t.trim())?.[1] ?? t;
    const values = topLevelArguments(inner);
    return values.every((v) => /^\d+$/.test(v)) ? values.map(Number) : undefined;
  };
  if (/^\d+$/.test(text)) return Array.from({ length: axes }, () => 2 * Number(text));
  if (name.startsWith('ZeroPadding')) {
    const pairs = topLevelArguments(/^[([](.*)[)\]]$/s.exec(text)?.[1] ?? '');
    if (pairs.length !== axes) return undefined;
    const perAxis = pairs.map((pair) => (/^\d+$/.test(pair) ? [Number(pair), Number(pair)] : numbers(pair)));
    return perAxis.every((p) => p?.length === 2) ? perAxis.map((p) => (p as number[])[0]! + (p as number[])[1]!) : undefined;
  }
  const sides = numbers(text);
  if (!sides || sides.length !== 2 * axes) return undefined;
  // (left, right, top, bottom[, front, back]): the last axis first.
  return Array.from({ length: axes }, (_, axis) => sides[2 * (axes - 1 - axis)]! + sides[2 * (axes - 1 - axis) + 1]!);
}

/** Python's own functions, which are never layers (`for i in range(n):` around `model += […]`). */
const PYTHON_BUILTINS = new Set(['range', 'len', 'int', 'float', 'str', 'list', 'tuple', 'dict', 'enumerate', 'zip', 'reversed', 'sorted', 'print', 'super', 'isinstance', 'min', 'max', 'sum', 'abs', 'round', 'getattr', 'setattr', 'hasattr', 'type']);

/**
 * `Reshape((7, 7, 64))` and `Input(shape=(7, 7, 64))` (channels last), `Unflatten(1, (64, 7, 7))`
 * (channels first), as `[C, …spatial]`: an image, a sequence (`Input(shape=(100, 16))`: `[16, 100]`)
 * or a volume (`(16, 32, 32, 1)`: `[1, 16, 32, 32]`).
 */
function reshapeOf(name: string, args: string): readonly number[] | undefined {
  const tuple = (text: string) => {
    const m = /\(\s*(\d+(?:\s*,\s*\d+){1,3})\s*,?\s*\)/.exec(text);
    return m ? (m[1] as string).split(',').map(Number) : undefined;
  };
  if (name === 'Reshape' || name === 'Input' || name === 'InputLayer') {
    const t = tuple(name === 'Reshape' ? args : (/shape\s*=\s*(\([^)]*\))/.exec(args)?.[1] ?? ''));
    return t && [t[t.length - 1] as number, ...t.slice(0, -1)];
  }
  if (name === 'Unflatten') return tuple(args.slice(args.indexOf(',') + 1));
  return undefined;
}

/** The `[H, W]` stated by the comment lines right above the line of `offset` (the element must start its line), and where that comment starts. */
export function imageSizeCommentAbove(text: string, offset: number): ItemBase['sizeComment'] {
  const stated = sizeCommentAbove(text, offset, 2);
  return stated && { size: [stated.size[0] as number, stated.size[1] as number], offset: stated.offset };
}

/** The top-level elements `[first, last)` between brackets `open` and `close`. */
export function elementsOf(s: TokenStream, open: number, close: number): [number, number][] {
  const elements: [number, number][] = [];
  let first = open + 1;
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    const kind = s.kind(k);
    if (kind === Tok.Open) {
      // Jump over a closed bracket at once (a linear walk at every nesting level is quadratic).
      const inner = s.closeOf(k);
      if (inner >= 0 && inner < close) k = inner;
      else depth++;
    } else if (kind === Tok.Close) depth--;
    else if (kind === Tok.Comma && depth === 0) {
      if (first < k) elements.push([first, k]);
      first = k + 1;
    }
  }
  if (first < close) elements.push([first, close]);
  return elements;
}

/** The token closing the bracket at `open`; -1 when it never closes. */
function closeOf(s: TokenStream, open: number): number {
  return s.closeOf(open);
}

/** True when only white space stands between token `i` and the start of its line (read backwards, so a long line costs only its indentation). */
export function startsLine(s: TokenStream, i: number): boolean {
  const text = s.text;
  let k = s.start(i) - 1;
  while (k >= 0 && text[k] !== '\n' && /\s/.test(text[k] as string)) k--;
  return k < 0 || text[k] === '\n';
}

export function indentOf(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let p = lineStart;
  while (text[p] === ' ' || text[p] === '\t') p++;
  return p - lineStart;
}

export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
