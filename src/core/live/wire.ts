/**
 * What the session's answers to the snippets mean (snippets.ts): the header of a fetched object,
 * its values as float64, and the frame's tensors for the inline values. Everything that arrives is
 * checked, because it comes from a user's program (a class may fake `shape` or `dtype`).
 */
import { sizeOf } from '../engine/tensor';
import { asciiText, decodeBase64 } from './base64';

/** A tensor or an ndarray as the session describes it. */
export interface ArrayHeader {
  readonly kind: 'tensor' | 'ndarray';
  /** `Tensor`, `Parameter`, `ndarray`, … */
  readonly type: string;
  readonly shape: readonly number[];
  /** PyTorch's or NumPy's name without the `torch.` prefix: `float32`, `int64`, `bool`. */
  readonly dtype: string;
  readonly device: string;
  readonly requiresGrad: boolean;
  readonly count: number;
  /** How the values travel: float32 (exact for float32, float16, bfloat16) or float64. */
  readonly wire: 'f4' | 'f8';
  /** Whether the snippet sent values (a real-number array within the limit). */
  readonly fetched: boolean;
}

export type FetchAnswer = { readonly kind: 'array'; readonly header: ArrayHeader; readonly values: Float64Array } | { readonly kind: 'other'; readonly type: string };

/**
 * Strips the quotes a debug adapter may put around a string result (`'QUJD'`): the snippets answer
 * in base64, whose alphabet has no quote, so whatever else is there is not the snippet's answer.
 */
export function unquote(result: string): string {
  const trimmed = result.trim();
  const quoted = /^(?:b?)(['"])([A-Za-z0-9+/=]*)\1$/.exec(trimmed);
  return quoted ? (quoted[2] as string) : trimmed;
}

/** Reads a fetch snippet's answer: the header, and the values it sent as float64 (exact). */
export function readFetchAnswer(result: string): FetchAnswer {
  const bytes = decodeBase64(unquote(result));
  const newline = bytes.indexOf(10);
  if (newline < 0) throw new Error('the answer has no header');
  const header: unknown = JSON.parse(asciiText(bytes.subarray(0, newline)));
  if (!isRecord(header)) throw new Error('the header is not an object');
  if (header.kind === 'other') return { kind: 'other', type: typeof header.type === 'string' ? header.type : 'an unknown type' };
  const checked = checkHeader(header);
  return { kind: 'array', header: checked, values: decodeValues(bytes.subarray(newline + 1), checked.wire) };
}

function checkHeader(header: Record<string, unknown>): ArrayHeader {
  const { kind, type, shape, dtype, device, grad, count, wire, fetch } = header;
  if (kind !== 'tensor' && kind !== 'ndarray') throw new Error(`unknown kind ${String(kind)}`);
  if (!Array.isArray(shape) || !shape.every((d): d is number => Number.isSafeInteger(d) && d >= 0)) throw new Error('the shape is not a list of sizes');
  if (typeof count !== 'number' || count !== sizeOf(shape)) throw new Error(`the shape [${shape.join(', ')}] does not hold ${String(count)} values`);
  if (wire !== 'f4' && wire !== 'f8') throw new Error('unknown wire format');
  return {
    kind,
    type: typeof type === 'string' ? plainName(type) : kind,
    shape,
    dtype: typeof dtype === 'string' ? shortDtype(dtype) : 'unknown',
    device: typeof device === 'string' ? plainName(device) : 'cpu',
    requiresGrad: grad === true,
    count,
    wire,
    fetched: fetch === true,
  };
}

/** `torch.float32` → `float32`; NumPy's names stay. */
export const shortDtype = (dtype: string): string => plainName(dtype.replace(/^torch\./, ''));

/**
 * A dtype or device name as shown in hovers and messages: a subclass can make `dtype` return any
 * text, so anything but letters, digits and `_.:<>-` becomes `?` (no Markdown can ride along).
 */
export const plainName = (name: string): string => (/^[A-Za-z0-9_.:<>-]{1,40}$/.test(name) ? name : '?');

/** Little-endian float32 or float64 bytes as float64 values (float32 widened exactly). */
export function decodeValues(bytes: Uint8Array, wire: 'f4' | 'f8'): Float64Array {
  const width = wire === 'f4' ? 4 : 8;
  if (bytes.length % width !== 0) throw new Error(`${bytes.length} bytes are not whole ${width * 8}-bit values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float64Array(bytes.length / width);
  if (wire === 'f4') for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  else for (let i = 0; i < values.length; i++) values[i] = view.getFloat64(i * 8, true);
  return values;
}

/** One tensor variable of the paused frame, for the inline values. */
export interface FrameTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  /** `cpu`, `cuda:0`; `''` for an ndarray. */
  readonly device: string;
}

/** Reads the frame-tensors snippet's answer; entries that are not well formed are left out. */
export function readFrameTensors(result: string): FrameTensor[] {
  const parsed: unknown = JSON.parse(asciiText(decodeBase64(unquote(result))));
  if (!Array.isArray(parsed)) throw new Error('the answer is not a list');
  const tensors: FrameTensor[] = [];
  for (const entry of parsed) {
    if (!Array.isArray(entry)) continue;
    const [name, shape, dtype, device] = entry as unknown[];
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || typeof dtype !== 'string' || typeof device !== 'string') continue;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d))) continue;
    tensors.push({ name, shape: shape as number[], dtype: shortDtype(dtype), device: device === '' ? '' : plainName(device) });
  }
  return tensors;
}

/** `x: [1, 64, 32, 32] float32 cuda:0` (a tensor), `a: [3, 4] float64` (an ndarray, which has no device). */
export function describeFrameTensor(tensor: FrameTensor): string {
  return `${tensor.name}: [${tensor.shape.join(', ')}] ${tensor.dtype}${tensor.device === '' ? '' : ` ${tensor.device}`}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
