/**
 * NumPy's `.npy` (format versions 1, 2 and 3: magic `\x93NUMPY`, the version, a little-endian header
 * length, then a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`
 * and the raw elements) and `.npz` (a zip archive of `.npy` files, stored or deflated). Object arrays
 * (`|O`, which hold pickles) and structured dtypes are refused; Fortran-ordered arrays are returned
 * row-major.
 */
import { checkReadable, decodeElements, ELEMENT_SIZE, elementCount, gatherStrided, latin1, layoutStrides, utf8, type ElementType } from './elements';
import { readZipEntry, readU16, readU32, type ZipEntry } from './zip';
import { CheckpointError, type ByteSource, type Checkpoint, type CheckpointTensorInfo } from './types';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** NumPy itself refuses headers over 10,000 bytes unless told otherwise; allow a little more. */
const MAX_HEADER_BYTES = 1 << 20;

const KINDS: Readonly<Record<string, ElementType>> = {
  f8: 'f64', f4: 'f32', f2: 'f16', i1: 'i8', i2: 'i16', i4: 'i32', i8: 'i64', u1: 'u8', u2: 'u16', u4: 'u32', u8: 'u64', b1: 'bool',
};

interface NpyHeader {
  readonly type: ElementType;
  readonly descr: string;
  readonly littleEndian: boolean;
  readonly fortran: boolean;
  readonly shape: number[];
  readonly count: number;
  /** Where the elements start, from the start of the .npy. */
  readonly dataOffset: number;
}

export function isNpy(head: Uint8Array): boolean {
  return MAGIC.every((b, i) => head[i] === b);
}

/** Parses a `.npy` header from `head` (its first bytes); `available` is the whole `.npy`'s length. */
function parseHeader(head: Uint8Array, available: number, where: string): NpyHeader {
  if (head.length < 10 || !isNpy(head)) throw new CheckpointError(`${where} does not start with NumPy's magic \\x93NUMPY`);
  const major = head[6] as number;
  if (major < 1 || major > 3) throw new CheckpointError(`${where} is .npy format version ${major}.${head[7] as number}; Layer Lens reads versions 1 to 3`);
  const length = major === 1 ? readU16(head, 8) : readU32(head, 8);
  const start = major === 1 ? 10 : 12;
  if (length > MAX_HEADER_BYTES) throw new CheckpointError(`${where}: the .npy header claims ${length} bytes`);
  if (start + length > head.length) throw new CheckpointError(`${where}: the .npy header (${length} bytes) runs past the end of the file: the file is truncated`);
  const text = (major === 3 ? utf8 : latin1)(head.subarray(start, start + length));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined) throw new CheckpointError(`${where}: the .npy header names no plain dtype (descr): ${text.trim().slice(0, 120)} — structured arrays are not read`);
  if (fortran === undefined || shapeText === undefined) throw new CheckpointError(`${where}: the .npy header lacks fortran_order or shape: ${text.trim().slice(0, 120)}`);
  const order = descr[0] as string;
  const type = KINDS[descr.slice(1)];
  if (!'<>|='.includes(order) || !type) {
    const why = descr.includes('O') ? ' (an object array holds pickled Python objects, which Layer Lens never loads)' : '';
    throw new CheckpointError(`${where} has dtype '${descr}'${why}; Layer Lens reads float, integer and bool arrays`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = elementCount(shape, where);
  const dataOffset = start + length;
  const needed = count * ELEMENT_SIZE[type];
  if (dataOffset + needed > available) {
    throw new CheckpointError(`${where} (${descr}, shape (${shape.join(', ')})) needs ${needed} bytes of data after its header, but the file holds ${available - dataOffset}: the file is truncated or its header is wrong`);
  }
  return { type, descr, littleEndian: order !== '>', fortran: fortran === 'True', shape, count, dataOffset };
}

function values(header: NpyHeader, bytes: Uint8Array, name: string): Float64Array {
  checkReadable(header.count, `array ${name}`);
  const flat = decodeElements(bytes, header.type, header.count, header.littleEndian);
  return header.fortran && header.shape.length > 1 ? gatherStrided(flat, header.shape, layoutStrides(header.shape, true), 0) : flat;
}

function infoOf(name: string, header: NpyHeader): CheckpointTensorInfo {
  return { name, shape: [...header.shape], dtype: header.descr };
}

export function readNpy(source: ByteSource, fileName: string): Checkpoint {
  const head = source.read(0, Math.min(source.byteLength, 12 + MAX_HEADER_BYTES));
  const header = parseHeader(head, source.byteLength, fileName);
  const name = fileName.replace(/\.npy$/i, '');
  return {
    format: 'numpy',
    tensors: [infoOf(name, header)],
    tensor(asked) {
      if (asked !== name) throw new CheckpointError(`${fileName} holds one array, ${name}, not ${asked}`);
      return { shape: [...header.shape], data: values(header, source.read(header.dataOffset, header.count * ELEMENT_SIZE[header.type]), name) };
    },
  };
}

/** An `.npz`: each `name.npy` entry is the array `name`. */
export function readNpz(source: ByteSource, fileName: string, entries: readonly ZipEntry[]): Checkpoint {
  const arrays = new Map<string, { entry: ZipEntry; header: NpyHeader }>();
  for (const entry of entries) {
    if (!entry.name.endsWith('.npy')) continue;
    const where = `${fileName} (${entry.name})`;
    const head = readZipEntry(source, entry, where, 0, Math.min(entry.uncompressedSize, 12 + 4096));
    let header: NpyHeader;
    try {
      header = parseHeader(head, entry.uncompressedSize, where);
    } catch (error) {
      // A header longer than the first 4 KB read: read as much as it says.
      if (!(error instanceof CheckpointError) || !/runs past the end/.test(error.message) || head.length >= entry.uncompressedSize) throw error;
      header = parseHeader(readZipEntry(source, entry, where, 0, Math.min(entry.uncompressedSize, 12 + MAX_HEADER_BYTES)), entry.uncompressedSize, where);
    }
    arrays.set(entry.name.slice(0, -'.npy'.length), { entry, header });
  }
  if (arrays.size === 0) throw new CheckpointError(`${fileName} is a zip archive with no .npy arrays and no data.pkl: neither an .npz nor a torch.save checkpoint`);
  return {
    format: 'numpy',
    tensors: [...arrays].map(([name, a]) => infoOf(name, a.header)),
    tensor(name) {
      const a = arrays.get(name);
      if (!a) throw new CheckpointError(`${fileName} has no array named ${name}`);
      checkReadable(a.header.count, `array ${name}`);
      return { shape: [...a.header.shape], data: values(a.header, readZipEntry(source, a.entry, `${fileName} (${a.entry.name})`, a.header.dataOffset, a.header.count * ELEMENT_SIZE[a.header.type]), name) };
    },
  };
}
