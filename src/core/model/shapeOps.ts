/**
 * Shape arithmetic of the tensor operations `forward()` bodies use (padding, interpolation,
 * adaptive pooling, flatten/view, broadcasting, cat/stack, permute…), with PyTorch 1.13's checks:
 * each function returns the output shape or throws {@link TorchRaise} with PyTorch's reason.
 */
import { LayerError } from '../engine/errors';
import { outputShape } from '../engine/outputShape';
import { int, isObj, num, shapeText, TorchRaise, type Value } from './values';

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const raise = (message: string): never => {
  throw new TorchRaise(message, -1, '');
};

/** A dimension index as PyTorch reads it (negative from the end), checked against the rank. */
export function dimIndex(dim: number, rank: number): number {
  const r = Math.max(rank, 1);
  if (dim < -r || dim >= r) raise(`Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim})`);
  return dim < 0 ? dim + r : dim;
}

/** `F.pad` and the padding layers: `pad` is (left, right, top, bottom, …) from the last axis back. */
export function paddedShape(input: readonly number[], pad: readonly number[], mode: string, layerRank?: number): number[] {
  if (pad.length % 2 !== 0) raise('Padding length must be divisible by 2');
  const axes = pad.length / 2;
  if (axes > input.length) raise('Padding length too large');
  if (layerRank !== undefined && input.length !== layerRank + 1 && input.length !== layerRank + 2) {
    raise(`expected ${layerRank + 1}D or ${layerRank + 2}D input, but got input of shape ${shapeText(input)}`);
  }
  const out = [...input];
  for (let i = 0; i < axes; i++) {
    const axis = input.length - 1 - i;
    const before = pad[2 * i] as number;
    const after = pad[2 * i + 1] as number;
    const size = input[axis] as number;
    if (mode === 'reflect' && (before >= size || after >= size)) {
      raise(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${axis} of input ${shapeText(input)}`);
    }
    if (mode === 'replicate' && size === 0) raise(`input tensor must have a non-empty axis ${axis} to replicate, but has shape ${shapeText(input)}`);
    const next = size + before + after;
    if (next < 0 || (mode !== 'constant' && next <= 0)) {
      raise(`The input size ${size}, plus negative padding ${before} and ${after} resulted in a negative output size, which is invalid. Check dimension ${axis} of your input.`);
    }
    out[axis] = next;
  }
  return out;
}

/** `F.interpolate` / `nn.Upsample`: `size` or `scale_factor` (output `⌊H·s⌋`, as PyTorch 1.13 without recompute). */
export function interpolateShape(input: readonly number[], size: Value, scale: Value, mode: Value, alignCorners: Value): number[] {
  const spatial = input.length - 2;
  if (spatial < 1 || spatial > 3) raise(`interpolate takes a 3-D, 4-D or 5-D input, but the input has shape ${shapeText(input)}`);
  if ((size === null) === (scale === null)) raise('only one of size or scale_factor should be defined');
  if (spatial === 2 && (mode === 'nearest' || mode === 'bilinear')) {
    try {
      const options =
        size !== null
          ? { size: perAxis(size, 2, 'size') as [number, number], mode, ...(mode === 'bilinear' && alignCorners !== null ? { alignCorners: alignCorners === true } : {}) }
          : { scaleFactor: perAxisFloat(scale, 2) as [number, number], mode, ...(mode === 'bilinear' && alignCorners !== null ? { alignCorners: alignCorners === true } : {}) };
      return outputShape('upsample', input, options as never).shape.slice();
    } catch (e) {
      if (e instanceof LayerError) raise(e.message);
      throw e;
    }
  }
  const out = size !== null ? perAxis(size, spatial, 'size') : perAxisFloat(scale, spatial).map((s, i) => Math.floor((input[i + 2] as number) * s));
  if (out.some((d) => d <= 0) || input.slice(2).some((d) => d <= 0)) {
    raise(`Input and output sizes should be greater than 0, but got input ${shapeText(input.slice(2))} output ${shapeText(out)}`);
  }
  return [...input.slice(0, 2), ...out];
}

function perAxis(v: Value, rank: number, what: string): number[] {
  if (isObj(v, 'tuple') || isObj(v, 'list')) {
    if (v.items.length !== rank) raise(`${what} shape must match input shape. Input is ${rank}D, ${what} is ${v.items.length}`);
    return v.items.map((x) => int(x, what));
  }
  const n = int(v, what);
  return Array.from({ length: rank }, () => n);
}

function perAxisFloat(v: Value, rank: number): number[] {
  if (isObj(v, 'tuple') || isObj(v, 'list')) return v.items.map((x) => num(x, 'scale_factor'));
  const n = num(v, 'scale_factor');
  return Array.from({ length: rank }, () => n);
}

/** `AdaptiveAvgPool2d(output_size)`: `None` keeps the input's size on that axis. */
export function adaptiveShape(type: string, input: readonly number[], outputSize: Value): number[] {
  if (input.length !== 3 && input.length !== 4) raise(`${type} expects a 3-D or 4-D input, but the input has shape ${shapeText(input)}`);
  const spatial = input.slice(-2);
  if (spatial.some((d) => d === 0)) raise(`${type}: the input has an empty spatial axis (shape ${shapeText(input)})`);
  const items = isObj(outputSize, 'tuple') || isObj(outputSize, 'list') ? outputSize.items : [outputSize, outputSize];
  const out = items.map((x, i) => (x === null ? (spatial[i] as number) : int(x, 'output_size')));
  return [...input.slice(0, -2), ...out];
}

export function flattenShape(input: readonly number[], startDim: number, endDim: number): number[] {
  if (input.length === 0) return [1];
  const start = dimIndex(startDim, input.length);
  const end = dimIndex(endDim, input.length);
  if (start > end) raise('flatten() has invalid args: start_dim cannot come after end_dim');
  return [...input.slice(0, start), product(input.slice(start, end + 1)), ...input.slice(end + 1)];
}

/** `nn.Unflatten(dim, sizes)`: one axis split into `sizes` (one of them may be -1). */
export function unflattenShape(input: readonly number[], dim: number, sizes: readonly number[]): number[] {
  const d = dimIndex(dim, input.length);
  const split = viewShape([input[d] as number], sizes);
  return [...input.slice(0, d), ...split, ...input.slice(d + 1)];
}

export function pixelUnshuffleShape(input: readonly number[], r: number): number[] {
  const [h, w] = input.slice(-2) as [number, number];
  if (h % r !== 0 || w % r !== 0) raise(`pixel_unshuffle expects height and width to be divisible by downscale_factor ${r}, but the input has shape ${shapeText(input)}`);
  const c = input[input.length - 3] as number;
  return [...input.slice(0, -3), c * r * r, h / r, w / r];
}

/** `view` / `reshape`: at most one `-1`, the element count kept. */
export function viewShape(input: readonly number[], wanted: readonly number[]): number[] {
  const total = product(input);
  const free = wanted.filter((d) => d === -1).length;
  if (free > 1) raise('only one dimension can be inferred');
  const known = product(wanted.filter((d) => d !== -1));
  const text = `shape '${shapeText(wanted)}' is invalid for input of size ${total}`;
  if (wanted.some((d) => d < -1)) raise(`invalid shape dimension ${wanted.find((d) => d < -1)}`);
  if (free === 0) {
    if (known !== total) raise(text);
    return [...wanted];
  }
  if (known === 0 || total % known !== 0) raise(text);
  return wanted.map((d) => (d === -1 ? total / known : d));
}

/** Broadcasting of `+ - * /`, PyTorch's message when two axes differ and neither is 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) raise(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** `torch.cat`: the same rank, every axis but `dim` equal. Returns the index of a mismatching tensor with its axis, or the shape. */
export function catShape(shapes: readonly (readonly number[])[], dim: number): { shape: number[] } | { mismatch: number; axis: number } {
  if (shapes.length === 0) raise('torch.cat(): expected a non-empty list of Tensors');
  const first = shapes[0] as readonly number[];
  const d = dimIndex(dim, first.length);
  for (let t = 1; t < shapes.length; t++) {
    const s = shapes[t] as readonly number[];
    if (s.length !== first.length) raise(`Tensors must have same number of dimensions: got ${first.length} and ${s.length}`);
    for (let axis = 0; axis < first.length; axis++) if (axis !== d && s[axis] !== first[axis]) return { mismatch: t, axis };
  }
  const out = [...first];
  out[d] = shapes.reduce((sum, s) => sum + (s[d] as number), 0);
  return { shape: out };
}

export function permuteShape(input: readonly number[], dims: readonly number[]): number[] {
  if (dims.length !== input.length) raise(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${input.length} is not equal to len(dims) = ${dims.length}`);
  const seen = new Set<number>();
  return dims.map((d) => {
    const i = dimIndex(d, input.length);
    if (seen.has(i)) raise('permute(): duplicate dims are not allowed.');
    seen.add(i);
    return input[i] as number;
  });
}

export function transposeShape(input: readonly number[], d0: number, d1: number): number[] {
  const a = dimIndex(d0, input.length);
  const b = dimIndex(d1, input.length);
  const out = [...input];
  out[a] = input[b] as number;
  out[b] = input[a] as number;
  return out;
}

export function unsqueezeShape(input: readonly number[], dim: number): number[] {
  const d = dimIndex(dim, input.length + 1);
  return [...input.slice(0, d), 1, ...input.slice(d)];
}

export function squeezeShape(input: readonly number[], dim: number | undefined): number[] {
  if (dim === undefined) return input.filter((d) => d !== 1);
  const d = dimIndex(dim, input.length);
  return input[d] === 1 ? [...input.slice(0, d), ...input.slice(d + 1)] : [...input];
}

/** `torch.chunk(x, n, dim)`: pieces of ⌈size/n⌉, the last smaller (fewer than n when it divides unevenly). */
export function chunkShapes(input: readonly number[], chunks: number, dim: number): number[][] {
  if (chunks <= 0) raise(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = dimIndex(dim, input.length);
  const size = input[d] as number;
  const piece = Math.ceil(size / chunks);
  return splitShapes(input, piece === 0 ? 1 : piece, dim).slice(0, size === 0 ? chunks : undefined);
}

/** `torch.split(x, split_size_or_sections, dim)`. */
export function splitShapes(input: readonly number[], sizes: number | readonly number[], dim: number): number[][] {
  const d = dimIndex(dim, input.length);
  const size = input[d] as number;
  const pieces: number[] = [];
  if (typeof sizes === 'number') {
    if (sizes <= 0) raise(`split expects split_size be non-negative, but got split_size=${sizes}`);
    for (let at = 0; at < size || (size === 0 && pieces.length === 0); at += sizes) pieces.push(Math.min(sizes, size - at));
  } else {
    if (sizes.reduce((a, b) => a + b, 0) !== size) raise(`split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${shapeText(sizes)}`);
    pieces.push(...sizes);
  }
  return pieces.map((p) => {
    const s = [...input];
    s[d] = p;
    return s;
  });
}

/** A basic slice `start:stop:step` of an axis of `size`, Python's clamping. */
export function sliceLength(size: number, start: number | null, stop: number | null, step: number): number {
  if (step === 0) raise('slice step cannot be zero');
  if (step < 0) raise('step must be greater than zero');
  const clamp = (v: number | null, fallback: number): number => {
    if (v === null) return fallback;
    const x = v < 0 ? v + size : v;
    return Math.min(Math.max(x, 0), size);
  };
  const lo = clamp(start, 0);
  const hi = clamp(stop, size);
  return hi <= lo ? 0 : Math.ceil((hi - lo) / step);
}
