/**
 * `.safetensors` (huggingface/safetensors' format): an 8-byte little-endian header length `N`, a JSON
 * header of `N` bytes mapping each tensor's name to `{ dtype, shape, data_offsets: [begin, end] }`
 * (offsets into the byte buffer that follows the header), an optional `__metadata__` of strings, then
 * the buffer. Listed from the header alone; every offset, shape and element size is checked against
 * the file before a tensor is listed.
 */
import { checkReadable, decodeElements, ELEMENT_SIZE, elementCount, utf8, type ElementType } from './elements';
import { CheckpointError, type ByteSource, type Checkpoint } from './types';

const DTYPES: Readonly<Record<string, ElementType>> = {
  F64: 'f64', F32: 'f32', F16: 'f16', BF16: 'bf16', I8: 'i8', I16: 'i16', I32: 'i32', I64: 'i64', U8: 'u8', U16: 'u16', U32: 'u32', U64: 'u64', BOOL: 'bool',
};

/** The header is read and parsed whole; the format's own implementation caps it at 100 MB too. */
const MAX_HEADER_BYTES = 100_000_000;

/** A safetensors file starts with a sane header length and the header's `{`. */
export function looksLikeSafetensors(source: ByteSource): boolean {
  if (source.byteLength < 10) return false;
  const head = source.read(0, 9);
  const length = headerLength(head);
  return head[8] === 0x7b && length >= 2 && length <= source.byteLength - 8;
}

function headerLength(head: Uint8Array): number {
  return new DataView(head.buffer, head.byteOffset, 8).getUint32(0, true) + new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true) * 2 ** 32;
}

export function readSafetensors(source: ByteSource, fileName: string): Checkpoint {
  if (source.byteLength < 8) throw new CheckpointError(`${fileName} is ${source.byteLength} bytes long, too short for a safetensors header length`);
  const length = headerLength(source.read(0, 8));
  if (length > MAX_HEADER_BYTES) throw new CheckpointError(`${fileName}: the safetensors header claims ${length} bytes; Layer Lens reads headers of at most ${MAX_HEADER_BYTES}`);
  if (8 + length > source.byteLength) throw new CheckpointError(`${fileName}: the safetensors header claims ${length} bytes, but the file ends at byte ${source.byteLength}: the file is truncated or not safetensors`);
  let header: unknown;
  try {
    header = JSON.parse(utf8(source.read(8, length)));
  } catch (error) {
    throw new CheckpointError(`${fileName}: the safetensors header (bytes 8–${8 + length}) is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new CheckpointError(`${fileName}: the safetensors header is not a JSON object`);
  const bufferStart = 8 + length;
  const bufferLength = source.byteLength - bufferStart;
  const entries = new Map<string, { type: ElementType; dtype: string; shape: number[]; begin: number; count: number }>();
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const where = `${fileName}: tensor ${name}`;
    const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof entry !== 'object' || entry === null) throw new CheckpointError(`${where} is not described by an object`);
    const type = typeof entry.dtype === 'string' ? DTYPES[entry.dtype] : undefined;
    if (!type) throw new CheckpointError(`${where} has the element type ${JSON.stringify(entry.dtype)}; Layer Lens reads ${Object.keys(DTYPES).join(', ')}`);
    if (!Array.isArray(entry.shape)) throw new CheckpointError(`${where} has no shape list`);
    const shape = entry.shape as number[];
    const count = elementCount(shape, where);
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) throw new CheckpointError(`${where} has no [begin, end] data_offsets of whole numbers`);
    const [begin, end] = offsets as [number, number];
    if (end < begin) throw new CheckpointError(`${where}'s data_offsets [${begin}, ${end}] end before they begin`);
    if (end > bufferLength) throw new CheckpointError(`${where}'s bytes [${begin}, ${end}) run past the end of the file (its data holds ${bufferLength} bytes after the header): the file is truncated`);
    const expected = count * ELEMENT_SIZE[type];
    if (end - begin !== expected) throw new CheckpointError(`${where} (${entry.dtype as string}, shape [${shape.join(', ')}]) needs ${expected} bytes, but its data_offsets [${begin}, ${end}) hold ${end - begin}`);
    entries.set(name, { type, dtype: entry.dtype as string, shape, begin, count });
  }
  return {
    format: 'safetensors',
    tensors: [...entries].map(([name, e]) => ({ name, shape: [...e.shape], dtype: e.dtype })),
    tensor(name) {
      const e = entries.get(name);
      if (!e) throw new CheckpointError(`${fileName} has no tensor named ${name}`);
      checkReadable(e.count, `tensor ${name}`);
      return { shape: [...e.shape], data: decodeElements(source.read(bufferStart + e.begin, e.count * ELEMENT_SIZE[e.type]), e.type, e.count) };
    },
  };
}
