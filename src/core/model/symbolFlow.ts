/**
 * How the tensor functions of a `forward()` carry the formulas of symbolicShape.ts, by function name,
 * read from the same arguments the shapes are (as supportFlow.ts does for receptive fields). A
 * number an operation is given (`F.pad(x, [1, 1, 1, 1])`, `x.view(-1, 256)`) is a constant only
 * while forward() has not read a size: after `diff = x2.size()[2] - x1.size()[2]` the number may
 * depend on the input, so the axes it sizes get no formula. Anything not listed here gets none.
 */
import { arg, ELEMENTWISE, type Keywords } from './tensorOps';
import { dimIndex } from './shapeOps';
import { dimConst, dimFloorDiv, dimProduct, dimTimes, isConstDim, type Dim } from './symbolicDim';
import { broadcastSymbols, concatenatedSymbols, flattenedSymbols, paddedSymbols, pickedSymbols, resampledSymbols } from './symbolRules';
import type { SymbolState, SymShape } from './symbolicShape';
import { int, isObj, itemsOf, num, type Tensor, type Value } from './values';

/** Functions whose result is a size read as a number. */
const SIZE_READERS = new Set(['size', 'numel']);
/** Functions whose numbers (not only axis indices) size the result: after a size was read, the axes they size get no formula. */
const SIZED_BY_NUMBERS = new Set('view reshape expand repeat pad interpolate upsample max_pool2d avg_pool2d adaptive_avg_pool2d adaptive_max_pool2d pixel_shuffle pixel_unshuffle chunk split randn rand zeros ones empty tensor as_tensor'.split(' '));
/** Functions that broadcast their first two arguments. */
const BROADCASTING = new Set(['add', 'sub', 'mul', 'div', 'true_divide', 'maximum', 'minimum', 'where']);
const REDUCTIONS = new Set('mean sum amax amin std var prod logsumexp norm'.split(' '));

/** `t` with the formulas `sym`, each checked against its number (see {@link SymbolState.checked}). */
export function withSymbols(state: SymbolState | null, t: Tensor, sym: SymShape | undefined): Tensor {
  const checked = state ? state.checked(t.shape, sym) : undefined;
  if (checked) return { ...t, sym: checked };
  return t.sym ? { ...t, sym: undefined } : t;
}

const symOf = (v: Value | undefined): SymShape | undefined => (v !== undefined && isObj(v, 'tensor') ? v.sym : undefined);
const noneFor = (shape: readonly number[]): SymShape => shape.map(() => null);

/** The result of tensor function `name` with the formulas of its shape (`self` for a method). */
export function functionSymbols(state: SymbolState | null, name: string, self: Value | undefined, givenArgs: readonly Value[], kw: Keywords, result: Value): Value {
  if (!state) return result;
  if (SIZE_READERS.has(name)) state.sizesRead = true;
  const args = self === undefined ? givenArgs : [self, ...givenArgs];
  const x = symOf(args[0]);
  if (isObj(result, 'tuple') && (name === 'chunk' || name === 'split') && x) {
    const d = dimIndex(int(arg(args, kw, 2, 'dim', 0), 'dim'), x.length);
    return { k: 'tuple', items: result.items.map((t) => (isObj(t, 'tensor') ? withSymbols(state, t, piecesOf(state, x, d, t.shape)) : t)) };
  }
  if (!isObj(result, 'tensor') || !x) return result;
  // Numbers written as literals in the call are constants even after a size was read.
  const literal = state.sizesRead && SIZED_BY_NUMBERS.has(name) && state.literalNumbers(givenArgs, kw, (v) => isObj(v as Value, 'tensor'));
  // Functional layers (max_pool2d, pixel_shuffle) come with their formulas from runLayer.
  return withSymbols(state, result, rule(state, name, args, kw, x, result.shape, literal) ?? result.sym);
}

/** A piece of `chunk` / `split` along axis d: its size is a number of its own, a constant only if the axis was one. */
function piecesOf(state: SymbolState, x: SymShape, d: number, shape: readonly number[]): SymShape {
  const axis = x[d];
  return x.map((s, i) => (i !== d ? s : axis && isConstDim(axis) && !state.sizesRead ? dimConst(shape[d] as number) : null));
}

function rule(state: SymbolState, name: string, args: readonly Value[], kw: Keywords, x: SymShape, out: readonly number[], literal: boolean): SymShape | undefined {
  if (ELEMENTWISE.has(name)) {
    const exponent = args[1];
    if (name === 'pow' && exponent !== undefined && isObj(exponent, 'tensor')) return exponent.sym && broadcastSymbols(x, exponent.sym, out);
    return x;
  }
  if (state.sizesRead && SIZED_BY_NUMBERS.has(name) && !literal) return numbersUnknown(name, x, out);
  if (BROADCASTING.has(name)) {
    const other = arg(args, kw, 1, 'other');
    return isObj(other, 'tensor') ? other.sym && broadcastSymbols(x, other.sym, out) : x;
  }
  switch (name) {
    case 'view':
    case 'reshape': {
      const rest = args.slice(1);
      const wanted = rest.length === 1 && (isObj(rest[0] as Value, 'tuple') || isObj(rest[0] as Value, 'list')) ? itemsOf(rest[0] as Value) : rest.length > 0 ? rest : itemsOf(arg(args, kw, 1, 'shape'));
      return viewSymbols(x, wanted.map((d) => int(d, 'shape')));
    }
    case 'view_as':
    case 'reshape_as':
    case 'expand_as':
      return symOf(arg(args, kw, 1, 'other'));
    case 'flatten': {
      const start = dimIndex(int(arg(args, kw, 1, 'start_dim', 0), 'start_dim'), x.length);
      const end = dimIndex(int(arg(args, kw, 2, 'end_dim', -1), 'end_dim'), x.length);
      return flattenedSymbols(x, start, end);
    }
    case 'permute': {
      const rest = args.slice(1);
      const dims = rest.length === 1 && typeof rest[0] !== 'number' ? itemsOf(rest[0] as Value) : rest.length > 0 ? rest : itemsOf(arg(args, kw, 1, 'dims'));
      return pickedSymbols(x, dims.map((d) => dimIndex(int(d, 'dims'), x.length)));
    }
    case 'transpose':
    case 'swapaxes': {
      const a = dimIndex(int(arg(args, kw, 1, 'dim0'), 'dim0'), x.length);
      const b = dimIndex(int(arg(args, kw, 2, 'dim1'), 'dim1'), x.length);
      return pickedSymbols(x, x.map((_, i) => (i === a ? b : i === b ? a : i)));
    }
    case 't':
      return x.length < 2 ? x : [...x].reverse();
    case 'unsqueeze': {
      const d = dimIndex(int(arg(args, kw, 1, 'dim'), 'dim'), x.length + 1);
      return [...x.slice(0, d), dimConst(1), ...x.slice(d)];
    }
    case 'squeeze':
      return squeezedSymbols(x, arg(args, kw, 1, 'dim', null));
    case 'expand': {
      const wanted = sizesOf(args.slice(1));
      return wanted.map((w, i) => (w === -1 ? (x[i - (wanted.length - x.length)] ?? null) : dimConst(w)));
    }
    case 'repeat': {
      const times = sizesOf(args.slice(1));
      const padded: SymShape = [...Array.from({ length: times.length - x.length }, () => dimConst(1)), ...x];
      return padded.map((d, i) => (d ? dimTimes(d, times[i] as number) : null));
    }
    case 'matmul':
    case 'mm':
    case 'bmm': {
      const other = symOf(arg(args, kw, 1, 'other'));
      if (!other) return undefined;
      return [...broadcastSymbols(x.slice(0, -2), other.slice(0, -2), out.slice(0, -2)), x[x.length - 2] ?? null, other[other.length - 1] ?? null];
    }
    case 'pad':
      return paddedSymbols(x, itemsOf(arg(args, kw, 1, 'pad')).map((v) => int(v, 'pad')));
    case 'interpolate':
    case 'upsample': {
      const scale = arg(args, kw, 2, 'scale_factor', null);
      const scales = scale === null ? undefined : isObj(scale, 'tuple') || isObj(scale, 'list') ? scale.items.map((v) => num(v, 'scale_factor')) : [num(scale, 'scale_factor')];
      return resampledSymbols(x, out, arg(args, kw, 1, 'size', null) !== null, scales, dimConst);
    }
    case 'adaptive_avg_pool2d':
    case 'adaptive_max_pool2d': {
      const given = arg(args, kw, 1, 'output_size');
      const items = isObj(given, 'tuple') || isObj(given, 'list') ? given.items : [given, given];
      return [...x.slice(0, -2), ...items.map((v, i) => (v === null ? (x[x.length - 2 + i] ?? null) : dimConst(out[out.length - 2 + i] as number)))];
    }
    default:
      return REDUCTIONS.has(name) ? reducedSymbols(args, kw, x) : undefined;
  }
}

/** After a size was read: the axes an operation's numbers size get no formula, the others keep theirs. */
function numbersUnknown(name: string, x: SymShape, out: readonly number[]): SymShape | undefined {
  if (out.length !== x.length) return undefined;
  // pad and interpolate size only the trailing (spatial) axes; batch and channels stay.
  if (name === 'pad' || name === 'interpolate' || name === 'upsample') return x.map((d, i) => (i < 2 ? d : null));
  return noneFor(out);
}

/** `view` / `reshape` to `wanted`: the constants given, and at a `-1` the input's size divided by theirs, when that divides exactly for every input. */
function viewSymbols(x: SymShape, wanted: readonly number[]): SymShape | undefined {
  const free = wanted.indexOf(-1);
  if (free < 0) return wanted.map((n) => dimConst(n));
  let total: Dim | null | undefined = dimConst(1);
  for (const d of x) total = total && d ? dimProduct(total, d) : null;
  const known = wanted.reduce((p, n, i) => (i === free ? p : p * n), 1);
  const exact = total && known > 0 && total.c % known === 0 && total.terms.every((t) => t.coef % known === 0);
  if (!exact) return undefined;
  return wanted.map((n, i) => (i === free ? dimFloorDiv(total as Dim, known) : dimConst(n)));
}

function squeezedSymbols(x: SymShape, dim: Value): SymShape | undefined {
  if (dim === null) return x.every((d) => d && isConstDim(d)) ? x.filter((d) => (d as Dim).c !== 1) : undefined;
  const d = dimIndex(int(dim, 'dim'), x.length);
  const axis = x[d];
  if (!axis || !isConstDim(axis)) return undefined;
  return axis.c === 1 ? [...x.slice(0, d), ...x.slice(d + 1)] : x;
}

function reducedSymbols(args: readonly Value[], kw: Keywords, x: SymShape): SymShape | undefined {
  const d = arg(args, kw, 1, 'dim', null);
  if (d === null) return [];
  const keep = arg(args, kw, 2, 'keepdim', false) === true;
  const dims = new Set((typeof d === 'number' ? [d] : itemsOf(d).map((v) => int(v, 'dim'))).map((v) => dimIndex(v, x.length)));
  return x.flatMap((s, i) => (dims.has(i) ? (keep ? [dimConst(1)] : []) : [s]));
}

function sizesOf(rest: readonly Value[]): number[] {
  return (rest.length === 1 && typeof rest[0] !== 'number' ? itemsOf(rest[0] as Value) : rest).map((v) => int(v, 'size'));
}

/** `torch.cat(tensors, dim)` / `torch.stack(tensors, dim)`: see concatenatedSymbols. */
export function joinedSymbols(state: SymbolState | null, stack: boolean, tensors: Value, dim: number, result: Tensor): Tensor {
  if (!state) return result;
  const parts = itemsOf(tensors).map(symOf);
  if (!stack) return withSymbols(state, result, concatenatedSymbols(parts, dimIndex(dim, result.shape.length), result.shape.length));
  // Stacked tensors are equal in shape: any operand's formula for each axis, and the count at dim.
  const d = dimIndex(dim, result.shape.length);
  const each = concatenatedSymbols(parts, -1, result.shape.length - 1);
  return withSymbols(state, result, [...each.slice(0, d), dimConst(parts.length), ...each.slice(d)]);
}

/** `+ - * /` between values, one of them a tensor. */
export function binarySymbols(state: SymbolState | null, l: Value, r: Value, result: Tensor): Tensor {
  if (!state) return result;
  const a = isObj(l, 'tensor') ? l.sym : undefined;
  const b = isObj(r, 'tensor') ? r.sym : undefined;
  const sym = isObj(l, 'tensor') && isObj(r, 'tensor') ? a && b && broadcastSymbols(a, b, result.shape) : (a ?? b);
  return withSymbols(state, result, sym);
}

/** Basic indexing: per output axis, the input axis it keeps whole (`:` or `...`), `new` (None), or the axis it slices. */
export function indexedSymbols(state: SymbolState | null, x: Tensor, kept: readonly (number | 'new' | { readonly slice: number })[], result: Tensor): Tensor {
  if (!state || !x.sym) return result;
  const sym = x.sym;
  // A slice of a constant axis is a constant (its bounds are the code's own numbers until a size was read).
  const sliced = (axis: number, i: number): Dim | null => {
    const d = sym[axis];
    return d && isConstDim(d) && !state.sizesRead ? dimConst(result.shape[i] as number) : null;
  };
  return withSymbols(state, result, kept.map((k, i) => (k === 'new' ? dimConst(1) : typeof k === 'number' ? (sym[k] ?? null) : sliced(k.slice, i))));
}
