/**
 * Turning a tensor's stored bytes into float64 values, whatever the file's element type, and its
 * storage order (strided views, Fortran order) into row-major order. Shared by every reader.
 */
import { CheckpointError } from './types';

/** The element types the readers decode, by Layer Lens's own names. */
export type ElementType = 'f64' | 'f32' | 'f16' | 'bf16' | 'i8' | 'i16' | 'i32' | 'i64' | 'u8' | 'u16' | 'u32' | 'u64' | 'bool';

export const ELEMENT_SIZE: Readonly<Record<ElementType, number>> = { f64: 8, f32: 4, f16: 2, bf16: 2, i8: 1, i16: 2, i32: 4, i64: 8, u8: 1, u16: 2, u32: 4, u64: 8, bool: 1 };

/**
 * The most values one tensor is read into (a 1 GiB Float64Array): a larger tensor is listed but its
 * values are refused, rather than exhausting memory.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 27;

/** Axes a tensor may have. */
const MAX_RANK = 64;

/** The number of elements of `shape`, refusing negative, fractional or overflowing sizes. `where` names the tensor. */
export function elementCount(shape: readonly number[], where: string): number {
  if (shape.length > MAX_RANK) throw new CheckpointError(`${where}: the shape has ${shape.length} axes; Layer Lens reads tensors of at most ${MAX_RANK} (NumPy's own limit)`);
  let count = 1;
  for (const size of shape) {
    if (!Number.isSafeInteger(size) || size < 0) throw new CheckpointError(`${where}: the shape [${shape.join(', ')}] has a size that is not a whole number of at least 0`);
    count *= size;
    if (!Number.isSafeInteger(count)) throw new CheckpointError(`${where}: the shape [${shape.join(', ')}] claims more elements than any file can hold`);
  }
  return count;
}

/** Refuses to read a tensor too large to hold as float64 (see {@link MAX_TENSOR_ELEMENTS}). */
export function checkReadable(count: number, where: string): void {
  if (count > MAX_TENSOR_ELEMENTS) {
    throw new CheckpointError(`${where} holds ${count} values; Layer Lens reads at most ${MAX_TENSOR_ELEMENTS} values of one tensor (1 GiB as float64)`);
  }
}

/** `count` elements of `type` from `bytes`, widened exactly to float64 (64-bit integers beyond 2^53 round). */
export function decodeElements(bytes: Uint8Array, type: ElementType, count: number, littleEndian = true): Float64Array {
  const size = ELEMENT_SIZE[type];
  if (bytes.byteLength < count * size) throw new CheckpointError(`expected ${count * size} bytes of ${type} values, found ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * size);
  const out = new Float64Array(count);
  switch (type) {
    case 'f64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, littleEndian);
      break;
    case 'f32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, littleEndian);
      break;
    case 'f16':
      for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(i * 2, littleEndian));
      break;
    case 'bf16':
      for (let i = 0; i < count; i++) out[i] = bfloat16ToNumber(view.getUint16(i * 2, littleEndian));
      break;
    case 'i8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'u8':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
    case 'bool':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i) !== 0 ? 1 : 0;
      break;
    case 'i16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, littleEndian);
      break;
    case 'u16':
      for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, littleEndian);
      break;
    case 'i32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, littleEndian);
      break;
    case 'u32':
      for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, littleEndian);
      break;
    case 'i64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, littleEndian));
      break;
    case 'u64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigUint64(i * 8, littleEndian));
      break;
  }
  return out;
}

const bfloatScratch = new DataView(new ArrayBuffer(4));

/** bfloat16 (the top half of a float32), exactly, from its 16 bits. */
export function bfloat16ToNumber(bits: number): number {
  bfloatScratch.setUint32(0, (bits & 0xffff) << 16);
  return bfloatScratch.getFloat32(0);
}

/** IEEE 754 half precision, exactly, from its 16 bits. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The highest element index (past `offset`) a strided view touches, plus one: how much of its storage it needs. */
export function stridedExtent(shape: readonly number[], strides: readonly number[], offset: number): number {
  if (shape.some((size) => size === 0)) return offset;
  let last = offset;
  shape.forEach((size, axis) => (last += (size - 1) * (strides[axis] as number)));
  return last + 1;
}

/** The row-major values of the view `(shape, strides, offset)` into `span` (a storage's elements from 0). */
export function gatherStrided(span: Float64Array, shape: readonly number[], strides: readonly number[], offset: number): Float64Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const contiguous = strides.every((stride, axis) => stride === shape.slice(axis + 1).reduce((a, b) => a * b, 1) || (shape[axis] as number) <= 1);
  if (contiguous) return span.slice(offset, offset + count);
  const out = new Float64Array(count);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let at = offset;
  for (let k = 0; k < count; k++) {
    out[k] = span[at] as number;
    // Odometer: step the last axis, carrying into the ones before it.
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      at += strides[axis] as number;
      if ((index[axis] as number) < (shape[axis] as number)) break;
      at -= (shape[axis] as number) * (strides[axis] as number);
      index[axis] = 0;
    }
  }
  return out;
}

/** Strides of a row-major (`C`) or column-major (`F`) layout of `shape`. */
export function layoutStrides(shape: readonly number[], fortran: boolean): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  if (fortran) for (let axis = 1; axis < shape.length; axis++) strides[axis] = (strides[axis - 1] as number) * (shape[axis - 1] as number);
  else for (let axis = shape.length - 2; axis >= 0; axis--) strides[axis] = (strides[axis + 1] as number) * (shape[axis + 1] as number);
  return strides;
}

/** UTF-8 text (the core has no TextDecoder: its lib is ES2022 alone). Malformed sequences become U+FFFD. */
export function utf8(bytes: Uint8Array): string {
  let out = '';
  const chunk: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    let code = 0xfffd;
    let length = 1;
    if (b < 0x80) code = b;
    else if (b >= 0xc2 && b < 0xe0 && i + 1 < bytes.length) [code, length] = [((b & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f), 2];
    else if (b >= 0xe0 && b < 0xf0 && i + 2 < bytes.length) [code, length] = [((b & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f), 3];
    else if (b >= 0xf0 && b < 0xf5 && i + 3 < bytes.length) [code, length] = [((b & 0x07) << 18) | (((bytes[i + 1] as number) & 0x3f) << 12) | (((bytes[i + 2] as number) & 0x3f) << 6) | ((bytes[i + 3] as number) & 0x3f), 4];
    for (let k = 1; k < length; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) [code, length] = [0xfffd, 1];
    chunk.push(code > 0x10ffff ? 0xfffd : code);
    if (chunk.length >= 8192) {
      out += String.fromCodePoint(...chunk);
      chunk.length = 0;
    }
    i += length;
  }
  return out + String.fromCodePoint(...chunk);
}

/** Latin-1 (one character per byte): pickle's `BINSTRING` and zip names without the UTF-8 flag. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
