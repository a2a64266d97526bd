/**
 * The checkpoint benchmarks: listing the tensors of a 1 GiB safetensors file and of a 1 GiB
 * `torch.save` zip archive through a file-backed ByteSource (only headers and the central directory
 * are read), and the checkerboard audit of a 50-layer checkpoint. The large files are written sparse
 * in a temporary folder (their tensor bytes are holes, never written), in the layout torch.save and
 * the safetensors specification give them.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteSource } from '../../src/core/index';
import { core } from './core';
import { medianMs } from './measure';

export interface CheckpointFigure {
  readonly name: string;
  readonly ms: number;
}

const TENSORS = 256;
const ELEMENTS = 2 ** 20; // 4 MiB of float32 each: 1 GiB in all

/** A file read with positioned reads, as the extension host reads one. */
function fileSource(path: string, size: number): { source: ByteSource; close: () => void } {
  const fd = openSync(path, 'r');
  return {
    source: {
      byteLength: size,
      read(offset, length) {
        const out = new Uint8Array(length);
        readSync(fd, out, 0, length, offset);
        return out;
      },
    },
    close: () => closeSync(fd),
  };
}

function writeSafetensors(path: string): number {
  const header: Record<string, unknown> = {};
  for (let k = 0; k < TENSORS; k++) header[`layers.${k}.weight`] = { dtype: 'F32', shape: [1024, 1024], data_offsets: [k * ELEMENTS * 4, (k + 1) * ELEMENTS * 4] };
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const head = Buffer.alloc(8 + text.length);
  head.writeBigUInt64LE(BigInt(text.length), 0);
  head.write(text, 8, 'latin1');
  const size = head.length + TENSORS * ELEMENTS * 4;
  const fd = openSync(path, 'w');
  writeSync(fd, head, 0, head.length, 0);
  ftruncateSync(fd, size);
  closeSync(fd);
  return size;
}

/** The pickle torch.save writes for a state dict of float32 tensors (protocol 2, as torch 1.13 writes it). */
function statePickle(names: readonly string[], numel: number, shape: readonly [number, number]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 0x02, 0x63]), Buffer.from('collections\nOrderedDict\n'), Buffer.from([0x29, 0x52, 0x28])];
  const unicode = (s: string) => {
    const b = Buffer.alloc(5 + Buffer.byteLength(s));
    b[0] = 0x58;
    b.writeUInt32LE(Buffer.byteLength(s), 1);
    b.write(s, 5);
    return b;
  };
  const int = (n: number) => {
    const b = Buffer.alloc(5);
    b[0] = 0x4a;
    b.writeInt32LE(n, 1);
    return b;
  };
  names.forEach((name, key) => {
    parts.push(unicode(name), Buffer.from('ctorch._utils\n_rebuild_tensor_v2\n((', 'latin1'));
    parts.push(unicode('storage'), Buffer.from('ctorch\nFloatStorage\n', 'latin1'), unicode(String(key)), unicode('cpu'), int(numel), Buffer.from([0x74, 0x51]));
    parts.push(int(0), Buffer.from([0x28]), int(shape[0]), int(shape[1]), Buffer.from([0x74, 0x28]), int(shape[1]), int(1), Buffer.from([0x74, 0x89]));
    parts.push(Buffer.from('ccollections\nOrderedDict\n)Rt', 'latin1'), Buffer.from([0x52]));
  });
  parts.push(Buffer.from([0x75, 0x2e]));
  return Buffer.concat(parts);
}

/** A torch.save zip archive (stored entries, data 64-byte aligned as torch aligns it), its storages left as holes. */
function writeTorchZip(path: string): number {
  const names = Array.from({ length: TENSORS }, (_, k) => `layers.${k}.weight`);
  const entries: { name: string; size: number; data?: Buffer }[] = [
    { name: 'archive/data.pkl', size: 0, data: statePickle(names, ELEMENTS, [1024, 1024]) },
    ...names.map((_, k) => ({ name: `archive/data/${k}`, size: ELEMENTS * 4 })),
    { name: 'archive/version', size: 2, data: Buffer.from('3\n') },
  ];
  const fd = openSync(path, 'w');
  const central: Buffer[] = [];
  let at = 0;
  for (const entry of entries) {
    const size = entry.data?.length ?? entry.size;
    const name = Buffer.from(entry.name);
    const pad = (64 - ((at + 30 + name.length + 4) % 64)) % 64;
    const local = Buffer.alloc(30 + name.length + 4 + pad);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(4 + pad, 28);
    name.copy(local, 30);
    local.writeUInt16LE(0x1234, 30 + name.length); // padding field, as torch's writer uses
    local.writeUInt16LE(pad, 32 + name.length);
    writeSync(fd, local, 0, local.length, at);
    if (entry.data) writeSync(fd, entry.data, 0, entry.data.length, at + local.length);
    const header = Buffer.alloc(46 + name.length);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt32LE(size, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(at, 42);
    name.copy(header, 46);
    central.push(header);
    at += local.length + size;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(at, 16);
  writeSync(fd, Buffer.concat([directory, end]), 0, directory.length + 22, at);
  closeSync(fd);
  return at + directory.length + 22;
}

/** 50 transposed convolutions of 64 → 64 channels, 4×4 kernels, seeded values, as a safetensors file in memory. */
function fiftyLayers(): Uint8Array {
  const count = 64 * 64 * 16;
  const header: Record<string, unknown> = {};
  for (let k = 0; k < 50; k++) header[`decoder.${k}.weight`] = { dtype: 'F32', shape: [64, 64, 4, 4], data_offsets: [k * count * 4, (k + 1) * count * 4] };
  const text = Buffer.from(JSON.stringify(header));
  const bytes = new Uint8Array(8 + text.length + 50 * count * 4);
  new DataView(bytes.buffer).setUint32(0, text.length, true);
  bytes.set(text, 8);
  const view = new DataView(bytes.buffer, 8 + text.length);
  let seed = 18;
  for (let i = 0; i < 50 * count; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    view.setFloat32(i * 4, seed / 2 ** 32 - 0.5, true);
  }
  return bytes;
}

export async function checkpointFigures(): Promise<CheckpointFigure[]> {
  const figures: CheckpointFigure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'layer-lens-bench-checkpoints-'));
  try {
    for (const [label, file, write] of [
      ['1 GiB safetensors (256 tensors): tensor list', 'big.safetensors', writeSafetensors],
      ['1 GiB torch.save zip (256 tensors): tensor list', 'big.pt', writeTorchZip],
    ] as const) {
      const path = join(dir, file);
      const size = write(path);
      const { source, close } = fileSource(path, size);
      try {
        const listed = core.readCheckpoint(source, file);
        if (listed.tensors.length !== TENSORS) throw new Error(`${file} listed ${listed.tensors.length} tensors, not ${TENSORS}`);
        figures.push({ name: label, ms: await medianMs(() => core.readCheckpoint(source, file), 1000) });
        figures.push({ name: `${label.split(':')[0]}: one 4 MiB tensor's values`, ms: await medianMs(() => listed.tensor('layers.100.weight'), 1000) });
      } finally {
        close();
      }
    }
    const fifty = core.readCheckpoint(fiftyLayers(), 'decoder.safetensors');
    figures.push({ name: 'audit of 50 transposed convolutions 64→64, 4×4, stride 2 (read + phase sums)', ms: await medianMs(() => core.auditCheckpoint(fifty, { stride: 2 }), 2000) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
