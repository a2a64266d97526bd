/**
 * The input size a hover shows a layer's arithmetic for. Code rarely states it, so it is inferred
 * where the code says it plainly, and otherwise a stated default is used:
 *
 * 1. a comment right above the call that ends in a size of the layer's rank (`# state size. (ngf*8) x 4 x 4`;
 *    a volume's `# 16 x 32 x 32`; a sequence's `# input: 16000 samples`, `# L = 100`, `# (N, C, 100)`);
 * 2. a Keras `Reshape((7, 7, 64))` or `Input(shape=(100, 16))` earlier in the same list (channels
 *    last; as many sides as the layer has axes);
 * 3. the output of the previous layer call of the same list or `Sequential`, when only commas,
 *    comments and layers that keep H and W (normalisation, activations, dropout) come between;
 * 4. the default (`layerLens.layers.inputSize`, 32).
 *
 * Every answer says where it came from, so the user can judge it.
 */
import type { LayerCall } from '../parse/index';
import { sizeCommentAbove } from '../parse/sizeComment';
import { callRank, layerSize, rankFollowsInput, rankOf } from './layerSize';

export type InputSizeSource =
  | { readonly kind: 'comment'; readonly line: number }
  /** A Keras `Reshape` (or, `name`, an `Input` / `InputLayer`) stating the shape, channels last. */
  | { readonly kind: 'reshape'; readonly line: number; readonly name?: string }
  /** The output of the layer call starting on `line`, whose own input came from `root`. */
  | { readonly kind: 'previous'; readonly line: number; readonly root: 'comment' | 'reshape' | 'default' }
  | { readonly kind: 'default' };

export interface InputSize {
  /** Spatial size: `[H, W]`, `[L]` for a 1-D layer, `[D, H, W]` for a 3-D one. */
  readonly size: readonly number[];
  readonly source: InputSizeSource;
  /** The input's channel count when the code states it (a Keras `Reshape`'s last value, the previous layer's filters): Keras infers `C_in` from it. */
  readonly channels?: number;
}

/** Where a size came from, for a hover: `the comment on line 16`. Lines are shown 1-based. */
export function describeInputSource(source: InputSizeSource): string {
  switch (source.kind) {
    case 'comment':
      return `from the comment on line ${source.line + 1}`;
    case 'reshape':
      return `from the ${source.name ?? 'Reshape'} on line ${source.line + 1}`;
    case 'previous': {
      const root = source.root === 'default' ? ', which assumed the default input size' : '';
      return `the output of the layer on line ${source.line + 1}${root}`;
    }
    case 'default':
      return 'assumed: no size found nearby; set layerLens.layers.inputSize';
  }
}

/**
 * The side of the example Inspect Layer builds when the code does not state the layer's input size
 * (the default, or a chain from it): 8 × 8 keeps the input's numbers legible in the panel's grids
 * (at most 14 columns of 30 px show their numbers) and its output on screen, and still repeats a
 * stride's pattern a few times. A size the code states is the example's size as it is.
 */
export const ASSUMED_EXAMPLE_SIDE = 8;

/** Whether `source` is an assumption rather than a size read from the code. */
export function isAssumed(source: InputSizeSource): boolean {
  return source.kind === 'default' || (source.kind === 'previous' && source.root === 'default');
}

/** The spatial size of the example input Inspect Layer runs a layer on. */
export function exampleSize(input: InputSize): readonly number[] {
  return isAssumed(input.source) ? input.size.map((side) => Math.min(side, ASSUMED_EXAMPLE_SIDE)) : input.size;
}

/** Layers that keep H and W, by their last name segment. */
const SIZE_PRESERVING = new Set([
  'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d', 'Dropout3d', 'SpatialDropout3D', 'GroupNorm', 'LayerNorm', 'LocalResponseNorm', 'Identity',
  'ReLU', 'ReLU6', 'LeakyReLU', 'PReLU', 'ELU', 'SELU', 'CELU', 'GELU', 'SiLU', 'Mish', 'Tanh', 'Sigmoid', 'Softplus', 'Hardswish',
  'Hardtanh', 'Dropout', 'Dropout1d', 'Dropout2d', 'AlphaDropout', 'relu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu', 'silu',
  'BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'Activation', 'ReLU', 'LeakyReLU', 'SpatialDropout2D',
  'SpatialDropout1D', 'GaussianNoise', 'Rescaling',
]);

/** How far above a call a size comment or a chain is looked for, in characters. */
const LOOK_BEHIND = 2000;

/**
 * The input size of every call in `calls` (as `findLayerCalls` returned them for `text`), in the
 * same order. Each call is read once, in order, so a chain costs nothing extra.
 */
export function inferInputSizes(text: string, calls: readonly LayerCall[], defaultSize: number): InputSize[] {
  const sizes: InputSize[] = [];
  const lines = new LineIndex(text);
  calls.forEach((call, index) => {
    const rank = callRank(call);
    const fallback: InputSize = { size: new Array<number>(rank).fill(defaultSize), source: { kind: 'default' } };
    const comment = commentSizeAbove(text, call.start, rank, lines);
    if (comment) {
      sizes.push(comment);
      return;
    }
    const previous = index > 0 ? calls[index - 1] : undefined;
    const from = Math.max(previous && previous.end <= call.start ? previous.end : 0, call.start - LOOK_BEHIND);
    const chain = readBetween(text, from, call.start);
    if (chain.kind === 'reshape' && chain.size.length === rank) {
      const named = chain.name === 'Reshape' ? {} : { name: chain.name };
      sizes.push({ size: chain.size, source: { kind: 'reshape', line: lines.lineOf(chain.offset), ...named }, channels: chain.channels });
      return;
    }
    if (chain.kind === 'kept' && previous && from === previous.end) {
      const before = sizes[index - 1] as InputSize;
      // nn.Upsample in 'nearest' mode takes its input's rank: a volume after a Conv3d.
      const previousRank = rankFollowsInput(previous.op) ? before.size.length : rankOf(previous.op);
      const out = previousRank === rank || (rankFollowsInput(call.op) && before.size.length === previousRank) ? layerSize(previous, before.size) : undefined;
      if (out?.kind === 'sized') {
        const root = before.source.kind === 'previous' ? before.source.root : before.source.kind;
        const filters = previous.params.outChannels;
        // A layer without filters (a pool, an upsampling) keeps its input's channels.
        const channels = filters?.kind === 'known' && filters.value !== null ? { channels: filters.value } : filters === undefined && before.channels !== undefined ? { channels: before.channels } : {};
        sizes.push({ size: out.output, source: { kind: 'previous', line: lines.lineOf(previous.start), root }, ...channels });
        return;
      }
    }
    sizes.push(fallback);
  });
  return sizes;
}

/** The size of `rank` stated by the comment lines directly above the line of `offset`, if they end in one. */
function commentSizeAbove(text: string, offset: number, rank: 1 | 2 | 3, lines: LineIndex): InputSize | undefined {
  const stated = sizeCommentAbove(text, offset, rank);
  return stated && { size: stated.size, source: { kind: 'comment', line: lines.lineOf(stated.offset) } };
}

type Between = { readonly kind: 'kept' } | { readonly kind: 'reshape'; readonly size: readonly number[]; readonly channels: number; readonly offset: number; readonly name: string } | { readonly kind: 'broken' };

/**
 * What the code between two calls does to the size: nothing (only commas, comments and layers that
 * keep H and W), a Keras `Reshape((h, w, c))` (the last one counts), or something unknown.
 */
function readBetween(text: string, from: number, to: number): Between {
  let state: Between = { kind: 'kept' };
  let p = from;
  // A call ends at its closing parenthesis: skip it if the region starts there.
  while (p < to) {
    const c = text[p] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',') {
      p++;
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', p);
      p = nl < 0 || nl > to ? to : nl + 1;
      continue;
    }
    const name = /^[A-Za-z_][\w.]*/.exec(text.slice(p, Math.min(to, p + 200)));
    if (!name || text[p + name[0].length] !== '(') {
      state = { kind: 'broken' };
      p++;
      continue;
    }
    const open = p + name[0].length;
    const close = matchingParen(text, open, to);
    if (close < 0) {
      state = { kind: 'broken' };
      p = open + 1;
      continue;
    }
    const last = name[0].slice(name[0].lastIndexOf('.') + 1);
    if (last === 'Reshape' || last === 'Input' || last === 'InputLayer') {
      // `Reshape((7, 7, 32))`, `Reshape(target_shape=…)`, `keras.Input(shape=(100, 16))`, `InputLayer(input_shape=…)`:
      // Keras' shapes without the batch, channels last; a sequence `(L, C)`, an image `(H, W, C)`, a volume `(D, H, W, C)`.
      const dims = /^\(\s*(?:(?:target_shape|shape|input_shape)\s*=\s*)?[([]\s*(\d+(?:\s*,\s*\d+){1,3})\s*,?\s*[)\]]/.exec(text.slice(open, close + 1));
      const values = dims ? (dims[1] as string).split(',').map(Number) : [];
      state = dims ? { kind: 'reshape', size: values.slice(0, -1), channels: values[values.length - 1] as number, offset: p, name: last } : { kind: 'broken' };
    } else if (!SIZE_PRESERVING.has(last)) {
      state = { kind: 'broken' };
    }
    p = close + 1;
  }
  return state;
}

/** The offset of the parenthesis closing the one at `open`, before `limit`; -1 when none. */
function matchingParen(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let p = open; p < limit; p++) {
    const c = text[p];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? p : -1;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, p + 1);
      if (end < 0 || end >= limit) return -1;
      p = end;
    }
  }
  return -1;
}

/** Zero-based line numbers of offsets, found by binary search over the line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) this.starts.push(nl + 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
