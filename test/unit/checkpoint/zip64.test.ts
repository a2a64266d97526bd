/**
 * ZIP64 archives, as `torch.save` writes for checkpoints past 4 GiB (offsets and sizes in the ZIP64
 * extra field, the ZIP64 end-of-directory record and its locator): built here byte by byte with the
 * 32-bit fields all ones, so the reader must take every value from the ZIP64 records.
 */
import * as assert from 'node:assert/strict';
import { readCheckpoint } from '../../../src/core/checkpoint/read';

function npy(values: number[]): Uint8Array {
  const header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${values.length},), }`.padEnd(117) + '\n';
  const bytes = new Uint8Array(10 + header.length + values.length * 8);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const view = new DataView(bytes.buffer, 10 + header.length);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return bytes;
}

function zip64(name: string, data: Uint8Array): Uint8Array {
  const nameBytes = Uint8Array.from(name, (c) => c.charCodeAt(0));
  const out: number[] = [];
  /** Little-endian fields, each `[bytes, value]`. */
  const put = (...fields: [number, number][]) => {
    for (const [size, value] of fields) for (let k = 0; k < size; k++) out.push(Math.floor(value / 2 ** (8 * k)) % 256);
  };
  // Local header: sizes in its own ZIP64 extra field.
  put([4, 0x04034b50], [2, 45], [2, 0], [2, 0], [4, 0], [4, 0], [4, 0xffffffff], [4, 0xffffffff], [2, nameBytes.length], [2, 20]);
  out.push(...nameBytes);
  put([2, 1], [2, 16], [8, data.length], [8, data.length]);
  out.push(...data);
  const directory = out.length;
  put([4, 0x02014b50], [2, 45], [2, 45], [2, 0], [2, 0], [4, 0], [4, 0], [4, 0xffffffff], [4, 0xffffffff], [2, nameBytes.length], [2, 28], [2, 0], [2, 0], [2, 0], [4, 0], [4, 0xffffffff]);
  out.push(...nameBytes);
  put([2, 1], [2, 24], [8, data.length], [8, data.length], [8, 0]);
  const directorySize = out.length - directory;
  const record = out.length;
  put([4, 0x06064b50], [8, 44], [2, 45], [2, 45], [4, 0], [4, 0], [8, 1], [8, 1], [8, directorySize], [8, directory]);
  put([4, 0x07064b50], [4, 0], [8, record], [4, 1]);
  put([4, 0x06054b50], [2, 0], [2, 0], [2, 0xffff], [2, 0xffff], [4, 0xffffffff], [4, 0xffffffff], [2, 0]);
  return Uint8Array.from(out);
}

describe('ZIP64 archives', () => {
  it('takes sizes and offsets from the ZIP64 records', () => {
    const checkpoint = readCheckpoint(zip64('w.npy', npy([1.5, -2, 3.25])), 'big.npz');
    assert.deepEqual(checkpoint.tensors, [{ name: 'w', shape: [3], dtype: '<f8' }]);
    assert.deepEqual(Array.from(checkpoint.tensor('w').data), [1.5, -2, 3.25]);
  });

  it('refuses an archive whose ZIP64 locator is missing', () => {
    const bytes = zip64('w.npy', npy([1]));
    const broken = bytes.slice();
    broken[bytes.length - 22 - 20] = 0; // the locator's signature
    assert.throws(() => readCheckpoint(broken, 'big.npz'), /big\.npz: the ZIP64 directory locator is missing before byte \d+/);
  });
});
