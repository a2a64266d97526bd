/**
 * PyTorch checkpoints (`.pt`, `.pth`, `.bin`), read without running them:
 *
 * - `torch.save`'s zip format (the default since 1.6): `<archive>/data.pkl` describes the object,
 *   each storage is the stored entry `<archive>/data/<key>`;
 * - the legacy format (`_use_new_zipfile_serialization=False`): five pickles in a row (magic number,
 *   protocol version, system info, the object, the list of storage keys), then each storage as an
 *   8-byte little-endian element count and its raw elements, in the keys' order.
 *
 * The object's pickle goes through the restricted reader (src/core/checkpoint/pickle.ts). Tensors
 * are listed with dotted names through nested dicts, lists and tuples (`generator.main.0.weight`);
 * their bytes are read, strides and storage offsets honoured, when one is asked for.
 */
import { checkReadable, decodeElements, ELEMENT_SIZE, elementCount, gatherStrided, stridedExtent } from './elements';
import { bytesInput, isTensor, PyDict, PyTuple, readPickle, type PickleInput, type PyValue, type StorageRef, type TensorRef } from './pickle';
import { readZipDirectory, readZipEntry, type ZipEntry } from './zip';
import { CheckpointError, type ByteSource, type Checkpoint, type CheckpointTensor } from './types';

/** The legacy format's first pickle: this number, as a Python long. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;
/** The object's pickle is read into memory whole; this bounds it. */
const MAX_PICKLE_BYTES = 256 * 2 ** 20;
/** Containers nest at most this deep on the way to a tensor. */
const MAX_NESTING = 64;

/** True when the file starts like the legacy format's first pickle (protocol 2, then the LONG1 of the magic number). */
export function isLegacyTorch(source: ByteSource): boolean {
  if (source.byteLength < 15) return false;
  const head = source.read(0, 4);
  return head[0] === 0x80 && head[1] === 0x02 && head[2] === 0x8a && head[3] === 0x0a;
}

/** A zip archive is torch's when it holds a `data.pkl`. */
export function torchPickleEntry(entries: readonly ZipEntry[]): ZipEntry | undefined {
  return entries.filter((e) => e.name === 'data.pkl' || e.name.endsWith('/data.pkl')).sort((a, b) => a.name.length - b.name.length)[0];
}

export function readTorchZip(source: ByteSource, fileName: string, entries: readonly ZipEntry[] = readZipDirectory(source, fileName)): Checkpoint {
  const pkl = torchPickleEntry(entries);
  if (!pkl) throw new CheckpointError(`${fileName} is a zip archive without a data.pkl: not a torch.save checkpoint`);
  if (pkl.uncompressedSize > MAX_PICKLE_BYTES) throw new CheckpointError(`${fileName}: ${pkl.name} is ${pkl.uncompressedSize} bytes; Layer Lens reads object descriptions of at most ${MAX_PICKLE_BYTES}`);
  const prefix = pkl.name.slice(0, -'data.pkl'.length);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const root = readPickle(bytesInput(readZipEntry(source, pkl, fileName), `${fileName} (${pkl.name})`), `${fileName} (${pkl.name})`);
  const tensors = namedTensors(root, fileName);
  const storageEntry = (storage: StorageRef, name: string): ZipEntry => {
    const entry = byName.get(`${prefix}data/${storage.key}`);
    if (!entry) throw new CheckpointError(`${fileName}: tensor ${name} refers to storage ${storage.key}, which the archive does not hold (${prefix}data/${storage.key})`);
    return entry;
  };
  for (const [name, ref] of tensors) {
    const entry = storageEntry(ref.storage, name);
    const bytes = ref.storage.numel * ELEMENT_SIZE[ref.storage.type];
    if (entry.uncompressedSize < bytes) throw new CheckpointError(`${fileName}: storage ${entry.name} holds ${entry.uncompressedSize} bytes, less than the ${bytes} of its ${ref.storage.numel} ${ref.storage.dtype} elements`);
    checkView(ref, name, fileName);
  }
  return checkpointOf(tensors, (ref, name) => {
    const size = ELEMENT_SIZE[ref.storage.type];
    const end = stridedExtent(ref.shape, ref.strides, ref.offset);
    return readZipEntry(source, storageEntry(ref.storage, name), fileName, ref.offset * size, (end - ref.offset) * size);
  });
}

export function readLegacyTorch(source: ByteSource, fileName: string): Checkpoint {
  const input = sourceInput(source, fileName);
  const magic = readPickle(input, `${fileName} (magic number)`);
  if (typeof magic !== 'number' || magic !== Number(LEGACY_MAGIC)) throw new CheckpointError(`${fileName} does not start with torch's legacy magic number: not a PyTorch checkpoint`);
  const protocol = readPickle(input, `${fileName} (protocol version)`);
  if (protocol !== LEGACY_PROTOCOL) throw new CheckpointError(`${fileName} is in torch's legacy format version ${String(protocol)}; Layer Lens reads version ${LEGACY_PROTOCOL}`);
  const info = readPickle(input, `${fileName} (system info)`);
  if (info instanceof PyDict && info.entries.get('little_endian') === false) throw new CheckpointError(`${fileName} was saved on a big-endian machine; Layer Lens reads little-endian checkpoints`);
  const storages = new Map<string, StorageRef>();
  const root = readPickle(input, `${fileName} (object)`, storages);
  const keys = readPickle(input, `${fileName} (storage keys)`);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new CheckpointError(`${fileName}: the list of storage keys is not a list of strings`);
  // Each storage: its element count (8 bytes), then its elements; only the counts are read here.
  const offsets = new Map<string, number>();
  let at = input.position;
  for (const key of keys as string[]) {
    const storage = storages.get(key);
    if (!storage) throw new CheckpointError(`${fileName}: storage ${key} is listed but no tensor describes it`);
    const count = readU64At(source, at, fileName);
    if (count !== storage.numel) throw new CheckpointError(`${fileName}: storage ${key} at byte ${at} holds ${count} elements, but the object says ${storage.numel}`);
    const end = at + 8 + count * ELEMENT_SIZE[storage.type];
    if (end > source.byteLength) throw new CheckpointError(`${fileName}: storage ${key} (bytes ${at}–${end}) runs past the end of the file (${source.byteLength} bytes): the file is truncated`);
    offsets.set(key, at + 8);
    at = end;
  }
  const tensors = namedTensors(root, fileName);
  for (const [name, ref] of tensors) {
    if (!offsets.has(ref.storage.key)) throw new CheckpointError(`${fileName}: tensor ${name}'s storage ${ref.storage.key} is missing from the list of storages`);
    checkView(ref, name, fileName);
  }
  return checkpointOf(tensors, (ref) => {
    const size = ELEMENT_SIZE[ref.storage.type];
    const end = stridedExtent(ref.shape, ref.strides, ref.offset);
    return source.read((offsets.get(ref.storage.key) as number) + ref.offset * size, (end - ref.offset) * size);
  });
}

function checkpointOf(tensors: ReadonlyMap<string, TensorRef>, bytesOf: (ref: TensorRef, name: string) => Uint8Array): Checkpoint {
  return {
    format: 'pytorch',
    tensors: [...tensors].map(([name, ref]) => ({ name, shape: [...ref.shape], dtype: ref.storage.dtype })),
    tensor(name): CheckpointTensor {
      const ref = tensors.get(name);
      if (!ref) throw new CheckpointError(`the checkpoint has no tensor named ${name}`);
      checkReadable(elementCount(ref.shape, name), `tensor ${name}`);
      const span = stridedExtent(ref.shape, ref.strides, ref.offset) - ref.offset;
      checkReadable(span, `the storage span of tensor ${name}`);
      const values = decodeElements(bytesOf(ref, name), ref.storage.type, span);
      return { shape: [...ref.shape], data: gatherStrided(values, ref.shape, ref.strides, 0) };
    },
  };
}

/** Refuses a view that reaches past its storage's elements. */
function checkView(ref: TensorRef, name: string, fileName: string): void {
  elementCount(ref.shape, `${fileName}: tensor ${name}`);
  const end = stridedExtent(ref.shape, ref.strides, ref.offset);
  if (!Number.isSafeInteger(end) || end > ref.storage.numel) {
    throw new CheckpointError(`${fileName}: tensor ${name} (shape [${ref.shape.join(', ')}], offset ${ref.offset}) reaches element ${end} of a storage of ${ref.storage.numel}`);
  }
}

/** Every tensor in the object, by dotted path; a tensor saved alone is named `tensor`. */
function namedTensors(root: PyValue, fileName: string): Map<string, TensorRef> {
  const out = new Map<string, TensorRef>();
  const pending: { value: PyValue; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  const found: [string, TensorRef][] = [];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop() as { value: PyValue; path: string; depth: number };
    if (depth > MAX_NESTING) throw new CheckpointError(`${fileName}: containers nest more than ${MAX_NESTING} deep (at ${path})`);
    const child = (key: string | number | boolean | null) => (path === '' ? String(key) : `${path}.${String(key)}`);
    if (isTensor(value)) found.push([path === '' ? 'tensor' : path, value]);
    else if (value instanceof PyDict) for (const [key, v] of [...value.entries].reverse()) pending.push({ value: v, path: child(key), depth: depth + 1 });
    else if (value instanceof PyTuple || Array.isArray(value)) {
      const items = value instanceof PyTuple ? value.items : value;
      for (let k = items.length - 1; k >= 0; k--) pending.push({ value: items[k] as PyValue, path: child(k), depth: depth + 1 });
    }
  }
  for (const [name, ref] of found) if (!out.has(name)) out.set(name, ref);
  return out;
}

/** Reads pickles straight from the source, a chunk at a time (the legacy format's pickles come first, the storages after). */
function sourceInput(source: ByteSource, what: string): PickleInput {
  const CHUNK = 1 << 20;
  let position = 0;
  let chunkStart = 0;
  let chunk: Uint8Array = new Uint8Array(0);
  const take = (length: number): Uint8Array => {
    if (position + length > source.byteLength) throw new CheckpointError(`${what} ends inside a pickle (at byte ${source.byteLength}): the file is truncated`);
    if (position < chunkStart || position + length > chunkStart + chunk.length) {
      if (length > MAX_PICKLE_BYTES) throw new CheckpointError(`${what}: a pickle holds a value of ${length} bytes`);
      chunkStart = position;
      chunk = source.read(position, Math.min(source.byteLength - position, Math.max(CHUNK, length)));
    }
    const out = chunk.subarray(position - chunkStart, position - chunkStart + length);
    position += length;
    return out;
  };
  return {
    get position() {
      return position;
    },
    take,
    byte: () => take(1)[0] as number,
  };
}

function readU64At(source: ByteSource, at: number, what: string): number {
  if (at + 8 > source.byteLength) throw new CheckpointError(`${what} ends at byte ${source.byteLength}, before the storage that should start at byte ${at}: the file is truncated`);
  const b = source.read(at, 8);
  const value = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(`${what}: the storage at byte ${at} claims ${value} elements`);
  return Number(value);
}
