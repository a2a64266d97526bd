/**
 * The zip container of `torch.save` and `np.savez`, read over a {@link ByteSource}: the central
 * directory is found from the end-of-central-directory record (ZIP64 included) and read in one go,
 * so a 1 GB archive is listed from its last few kilobytes; an entry's bytes are read only when asked
 * for. Stored entries (torch's) are sliced straight from the file; deflated ones (`np.savez_compressed`)
 * are inflated by fflate's streaming inflater, which stops as soon as the output outgrows the size
 * the directory declares (a zip bomb is refused, not unpacked).
 */
import { Inflate } from 'fflate';
import { latin1, utf8 } from './elements';
import { CheckpointError, type ByteSource } from './types';

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

/** The most bytes one entry may inflate to. */
export const MAX_ENTRY_BYTES = 2 ** 30;
/** DEFLATE cannot compress better than about 1032 to 1: a larger declared ratio is a lie or a bomb. */
const MAX_RATIO = 1100;
/** Entries a directory may list. */
const MAX_ENTRIES = 1_000_000;
/** The central directory is read in one piece; this bounds it. */
const MAX_DIRECTORY_BYTES = 256 * 2 ** 20;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function isZip(source: ByteSource): boolean {
  return source.byteLength >= 4 && readU32(source.read(0, 4), 0) === LOCAL;
}

/** The entries of the archive's central directory. `what` names the file in messages. */
export function readZipDirectory(source: ByteSource, what: string): ZipEntry[] {
  const size = source.byteLength;
  if (size < 22) throw new CheckpointError(`${what} is too short to be a zip archive (${size} bytes)`);
  // Usually the record is the last 22 bytes (no archive comment); otherwise search the comment's longest reach.
  const last = source.read(size - 22, 22);
  const tailLength = readU32(last, 0) === EOCD ? 22 : Math.min(size, 22 + 65535);
  const tail = tailLength === 22 ? last : source.read(size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (readU32(tail, i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new CheckpointError(`${what} is a zip archive without its end-of-directory record: the file is truncated or not a zip archive`);
  let entries = readU16(tail, at + 10);
  let directorySize = readU32(tail, at + 12);
  let directoryOffset = readU32(tail, at + 16);
  const eocdOffset = size - tailLength + at;
  if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    if (eocdOffset < 20) throw new CheckpointError(`${what}: the ZIP64 directory locator is missing`);
    const locator = source.read(eocdOffset - 20, 20);
    if (readU32(locator, 0) !== ZIP64_LOCATOR) throw new CheckpointError(`${what}: the ZIP64 directory locator is missing before byte ${eocdOffset}`);
    const record = readU64(locator, 8, what);
    const zip64 = source.read(record, 56);
    if (readU32(zip64, 0) !== ZIP64_EOCD) throw new CheckpointError(`${what}: no ZIP64 end-of-directory record at byte ${record}`);
    entries = readU64(zip64, 32, what);
    directorySize = readU64(zip64, 40, what);
    directoryOffset = readU64(zip64, 48, what);
  }
  if (entries > MAX_ENTRIES) throw new CheckpointError(`${what} lists ${entries} entries; Layer Lens reads at most ${MAX_ENTRIES}`);
  if (directorySize > MAX_DIRECTORY_BYTES) throw new CheckpointError(`${what}'s central directory is ${directorySize} bytes; Layer Lens reads at most ${MAX_DIRECTORY_BYTES}`);
  if (directoryOffset + directorySize > size) throw new CheckpointError(`${what}'s central directory (bytes ${directoryOffset}–${directoryOffset + directorySize}) runs past the end of the file (${size} bytes): the file is truncated`);
  const directory = source.read(directoryOffset, directorySize);
  const list: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < entries; k++) {
    if (p + 46 > directory.length || readU32(directory, p) !== CENTRAL) throw new CheckpointError(`${what}: entry ${k} of the central directory is damaged (at byte ${directoryOffset + p})`);
    const flags = readU16(directory, p + 8);
    const method = readU16(directory, p + 10);
    let compressedSize = readU32(directory, p + 20);
    let uncompressedSize = readU32(directory, p + 24);
    const nameLength = readU16(directory, p + 28);
    const extraLength = readU16(directory, p + 30);
    const commentLength = readU16(directory, p + 32);
    let localHeaderOffset = readU32(directory, p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw new CheckpointError(`${what}: entry ${k} of the central directory runs past the directory's end`);
    const nameBytes = directory.subarray(p + 46, p + 46 + nameLength);
    const name = flags & 0x800 ? utf8(nameBytes) : latin1(nameBytes);
    // ZIP64 extra field: the 64-bit sizes and offset, each present only when its 32-bit field is all ones.
    for (let e = p + 46 + nameLength; e + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = readU16(directory, e);
      const length = readU16(directory, e + 2);
      if (id === 0x0001) {
        let f = e + 4;
        const next = () => {
          const value = f + 8 <= e + 4 + length ? readU64(directory, f, what) : undefined;
          f += 8;
          if (value === undefined) throw new CheckpointError(`${what}: the ZIP64 field of ${name} is too short`);
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      }
      e += 4 + length;
    }
    if (localHeaderOffset + 30 > size) throw new CheckpointError(`${what}: ${name} starts at byte ${localHeaderOffset}, past the end of the file (${size} bytes)`);
    list.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    p = end;
  }
  return list;
}

/** Where an entry's data starts: after its local header, whose name and extra field may differ in length from the directory's. */
export function entryDataOffset(source: ByteSource, entry: ZipEntry, what: string): number {
  const header = source.read(entry.localHeaderOffset, 30);
  if (readU32(header, 0) !== LOCAL) throw new CheckpointError(`${what}: no local header for ${entry.name} at byte ${entry.localHeaderOffset}`);
  const start = entry.localHeaderOffset + 30 + readU16(header, 26) + readU16(header, 28);
  if (start + entry.compressedSize > source.byteLength) {
    throw new CheckpointError(`${what}: ${entry.name} (bytes ${start}–${start + entry.compressedSize}) runs past the end of the file (${source.byteLength} bytes): the file is truncated`);
  }
  return start;
}

/**
 * `length` bytes of a stored entry from `offset` within it, without reading the rest (a tensor's
 * slice of a large storage); a deflated entry is inflated whole and sliced.
 */
export function readZipEntry(source: ByteSource, entry: ZipEntry, what: string, offset = 0, length = entry.uncompressedSize - offset): Uint8Array {
  if (offset < 0 || length < 0 || offset + length > entry.uncompressedSize) {
    throw new CheckpointError(`${what}: bytes ${offset}–${offset + length} of ${entry.name} are asked for, but it holds ${entry.uncompressedSize}`);
  }
  const start = entryDataOffset(source, entry, what);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) throw new CheckpointError(`${what}: ${entry.name} is stored uncompressed but declares ${entry.compressedSize} bytes stored and ${entry.uncompressedSize} unpacked`);
    return source.read(start + offset, length);
  }
  if (entry.method !== 8) throw new CheckpointError(`${what}: ${entry.name} is compressed with method ${entry.method}; Layer Lens reads stored and deflated entries`);
  return inflateEntry(source.read(start, entry.compressedSize), entry, what, offset + length).subarray(offset, offset + length);
}

/** The entry inflated up to byte `needed` (all of it, checked against its declared size, when `needed` is its size). */
function inflateEntry(compressed: Uint8Array, entry: ZipEntry, what: string, needed: number): Uint8Array {
  const declared = entry.uncompressedSize;
  if (declared > MAX_ENTRY_BYTES) throw new CheckpointError(`${what}: ${entry.name} would unpack to ${declared} bytes; Layer Lens unpacks at most ${MAX_ENTRY_BYTES} bytes of one entry`);
  if (declared > 2 ** 20 && declared > MAX_RATIO * Math.max(1, entry.compressedSize)) {
    throw new CheckpointError(`${what}: ${entry.name} claims to unpack ${entry.compressedSize} bytes to ${declared}, more than DEFLATE can compress: a zip bomb or a damaged directory`);
  }
  const whole = needed >= declared;
  const out = new Uint8Array(whole ? declared : needed);
  let filled = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (overflow || (!whole && filled >= needed)) return;
    if (!whole) {
      const part = chunk.subarray(0, needed - filled);
      out.set(part, filled);
      filled += part.length;
      return;
    }
    if (filled + chunk.length > declared) {
      overflow = true;
      return;
    }
    out.set(chunk, filled);
    filled += chunk.length;
  });
  const STEP = 65536;
  try {
    for (let p = 0; p < compressed.length && !overflow && (whole || filled < needed); p += STEP) inflater.push(compressed.subarray(p, p + STEP), p + STEP >= compressed.length);
  } catch (error) {
    throw new CheckpointError(`${what}: ${entry.name} does not inflate: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (overflow) throw new CheckpointError(`${what}: ${entry.name} unpacks to more than the ${declared} bytes its directory declares: a zip bomb or a damaged entry`);
  if (!whole && filled >= needed) return out;
  if (filled !== declared) throw new CheckpointError(`${what}: ${entry.name} unpacks to ${filled} bytes, not the ${declared} its directory declares: the entry is damaged`);
  return out;
}

export function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}

export function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) + (bytes[at + 3] as number) * 0x1000000;
}

/** A little-endian u64 as a safe integer; refuses one beyond 2^53. */
export function readU64(bytes: Uint8Array, at: number, what: string): number {
  const value = readU32(bytes, at) + readU32(bytes, at + 4) * 0x100000000;
  if (!Number.isSafeInteger(value)) throw new CheckpointError(`${what}: a 64-bit size or offset at byte ${at} is larger than any file`);
  return value;
}
