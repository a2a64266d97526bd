/**
 * The checkpoint readers and the audit against files written by the real tools: test/golden/checkpoints.py
 * runs at setup with Debian's python3 (PyTorch 1.13, NumPy) and writes torch.save zip and legacy
 * checkpoints, safetensors written per its specification, .npy / .npz files, unsafe pickles and a
 * zip bomb into a temporary folder, with expected.json: every tensor's values (compared bit for bit)
 * and the audits computed with NumPy.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { readCheckpoint } from '../../../src/core/checkpoint/read';
import { bytesSource, CheckpointError, type ByteSource } from '../../../src/core/checkpoint/types';
import { repoRoot } from '../engine/helpers';
import { readMutations } from './mutations';

interface ExpectedTensor {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string | null;
  readonly values: number[];
}

interface ExpectedLayer {
  readonly name: string;
  readonly op: string;
  readonly weightShape: number[];
  readonly stride: number[] | null;
  readonly strideFrom: string;
  readonly phaseSums: number[][][];
  readonly periodicEnergy: number;
  readonly verdict: string;
  readonly icnrDistance?: number;
}

interface Expected {
  readonly files: Record<string, { tensors: ExpectedTensor[] }>;
  readonly audits: { file: string; source: string | null; stride: number | null; layers: ExpectedLayer[] }[];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layer-lens-checkpoints-'));
const marker = path.join(dir, 'pickle-ran');
let expected: Expected;

function read(file: string) {
  return readCheckpoint(new Uint8Array(fs.readFileSync(path.join(dir, file))), file);
}

function refusal(bytes: Uint8Array, file: string): string {
  try {
    readCheckpoint(bytes, file);
  } catch (error) {
    assert.ok(error instanceof CheckpointError, `${file}: expected a CheckpointError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`${file} was read, not refused`);
}

function close(actual: number, wanted: number, what: string): void {
  assert.ok(Math.abs(actual - wanted) <= 1e-9 * Math.max(1, Math.abs(wanted)), `${what}: ${actual} ≠ ${wanted}`);
}

before(function () {
  this.timeout(120000);
  const script = path.join(repoRoot(), 'test', 'golden', 'checkpoints.py');
  const run = spawnSync('/usr/bin/python3', [script, dir, marker], { encoding: 'utf8' });
  assert.equal(run.status, 0, `test/golden/checkpoints.py failed (it needs Debian's python3-torch and python3-numpy): ${run.error?.message ?? run.stderr}`);
  expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('checkpoint readers against files written by PyTorch, NumPy and the safetensors spec', () => {
  it('reads every file: names, shapes, dtypes, and values bit for bit', () => {
    const files = Object.keys(expected.files);
    assert.ok(files.length >= 20);
    for (const file of files) {
      const checkpoint = read(file);
      const want = expected.files[file]?.tensors ?? [];
      assert.deepEqual(
        checkpoint.tensors.map((t) => t.name).sort(),
        want.map((t) => t.name).sort(),
        `${file}: tensor names`,
      );
      for (const tensor of want) {
        const info = checkpoint.tensors.find((t) => t.name === tensor.name);
        assert.deepEqual(info?.shape, tensor.shape, `${file}: ${tensor.name} shape`);
        if (tensor.dtype !== null) assert.equal(info?.dtype, tensor.dtype, `${file}: ${tensor.name} dtype`);
        const values = checkpoint.tensor(tensor.name);
        assert.deepEqual(values.shape, tensor.shape);
        assert.deepEqual(Array.from(values.data), tensor.values, `${file}: ${tensor.name} values`);
      }
    }
  });

  it('names the formats', () => {
    assert.equal(read('dcgan.pt').format, 'pytorch');
    assert.equal(read('dcgan_legacy.pt').format, 'pytorch');
    assert.equal(read('dcgan.safetensors').format, 'safetensors');
    assert.equal(read('f8.npy').format, 'numpy');
    assert.equal(read('compressed.npz').format, 'numpy');
  });

  it('lists a zip checkpoint from its directory and pickle alone', () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'dcgan.pt')));
    let readBytes = 0;
    const source: ByteSource = { byteLength: bytes.length, read: (offset, length) => ((readBytes += length), bytesSource(bytes).read(offset, length)) };
    const checkpoint = readCheckpoint(source, 'dcgan.pt');
    assert.ok(checkpoint.tensors.length > 10);
    assert.ok(readBytes < bytes.length / 4, `listing read ${readBytes} of ${bytes.length} bytes`);
  });
});

describe('the checkerboard audit against NumPy', () => {
  it('matches every audit case: layers, strides and where they came from, phase sums, energy, verdict', () => {
    for (const audit of expected.audits) {
      const what = `${audit.file} (${audit.source ?? `stride ${String(audit.stride)}`})`;
      const source = audit.source !== null ? fs.readFileSync(path.join(dir, audit.source), 'utf8') : undefined;
      const result = auditCheckpoint(read(audit.file), { ...(source !== undefined ? { source } : {}), ...(audit.stride !== null ? { stride: audit.stride } : {}) });
      assert.deepEqual(result.layers.map((l) => l.name).sort(), audit.layers.map((l) => l.name).sort(), `${what}: layers`);
      for (const want of audit.layers) {
        const got = result.layers.find((l) => l.name === want.name);
        assert.ok(got);
        assert.equal(got.op, want.op, `${what} ${want.name} op`);
        assert.deepEqual(got.weightShape, want.weightShape);
        assert.deepEqual(got.stride, want.stride, `${what} ${want.name} stride`);
        assert.equal(got.strideFrom, want.strideFrom, `${what} ${want.name} strideFrom`);
        assert.equal(got.verdict, want.verdict, `${what} ${want.name} verdict`);
        close(got.periodicEnergy, want.periodicEnergy, `${what} ${want.name} periodic energy`);
        assert.equal(got.phaseSums.length, want.phaseSums.length);
        want.phaseSums.forEach((channel, c) => channel.forEach((row, a) => row.forEach((v, b) => close(got.phaseSums[c]?.[a]?.[b] ?? NaN, v, `${what} ${want.name} P[${c}][${a}][${b}]`))));
        if (want.icnrDistance !== undefined) close(got.icnr?.distance ?? NaN, want.icnrDistance, `${what} ${want.name} ICNR distance`);
      }
      const energies = result.layers.map((l) => (l.verdict === 'unknown' ? -1 : l.periodicEnergy));
      assert.deepEqual(energies, [...energies].sort((a, b) => b - a), `${what}: worst first`);
    }
  });

  it('the ICNR upsampler is even with ICNR structure; the drifted one is uneven and away from it', () => {
    const source = fs.readFileSync(path.join(dir, 'srgan.py'), 'utf8');
    const icnr = auditCheckpoint(read('srgan_icnr.pt'), { source });
    assert.deepEqual(icnr.layers.map((l) => [l.name, l.verdict, l.icnr?.structured]), [['up1.conv', 'even', true], ['up2.conv', 'even', true]].sort());
    const drift = auditCheckpoint(read('srgan_drift.pt'), { source });
    assert.equal(drift.layers[0]?.name, 'up2.conv');
    assert.equal(drift.layers[0]?.verdict, 'uneven');
    assert.equal(drift.layers[0]?.icnr?.structured, false);
    assert.deepEqual(drift.pairing?.paired.map((p) => p.key).sort(), ['head.weight', 'tail.weight', 'up1.conv.weight', 'up2.conv.weight']);
    assert.deepEqual(drift.pairing?.unpaired, []);
  });
});

describe('bad files are refused with what is wrong and where', () => {
  it('pickles naming os.system or builtins.eval are refused by name, and nothing runs', () => {
    assert.match(refusal(new Uint8Array(fs.readFileSync(path.join(dir, 'evil_system.pt'))), 'evil_system.pt'), /Python global posix\.system \(at byte \d+\)/);
    assert.match(refusal(new Uint8Array(fs.readFileSync(path.join(dir, 'evil_legacy.pt'))), 'evil_legacy.pt'), /posix\.system/);
    assert.match(refusal(new Uint8Array(fs.readFileSync(path.join(dir, 'evil_eval.pt'))), 'evil_eval.pt'), /(__builtin__|builtins)\.eval/);
    assert.equal(fs.existsSync(marker), false, 'the file the pickle would create exists');
  });

  it('truncated files', () => {
    for (const file of ['dcgan.pt', 'dcgan_legacy.pt', 'dcgan.safetensors', 'f8.npy']) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(dir, file)));
      const message = refusal(bytes.subarray(0, bytes.length - 200), file);
      assert.match(message, /truncated|past the end|ends/, `${file}: ${message}`);
      assert.ok(message.includes(file), message);
    }
  });

  it('a zip bomb', () => {
    assert.match(refusal(new Uint8Array(fs.readFileSync(path.join(dir, 'bomb.npz'))), 'bomb.npz'), /zeros\.npy .*(zip bomb|at most)/);
    assert.match(refusal(new Uint8Array(fs.readFileSync(path.join(dir, 'overflow.npz'))), 'overflow.npz'), /zeros\.npy/);
  });

  it('headers claiming 10^12 elements', () => {
    const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: 'F32', shape: [1000000, 1000000], data_offsets: [0, 4e12] } }));
    const st = new Uint8Array(8 + header.length + 16);
    new DataView(st.buffer).setUint32(0, header.length, true);
    st.set(header, 8);
    assert.match(refusal(st, 'huge.safetensors'), /tensor w's bytes \[0, 4000000000000\) run past the end of the file/);
    const npyHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }".padEnd(118) + '\n';
    const npy = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, npyHeader.length, 0, ...new TextEncoder().encode(npyHeader), 0, 0, 0, 0]);
    assert.match(refusal(npy, 'huge.npy'), /needs 4000000000000 bytes of data after its header, but the file holds 4/);
  });

  it('wrong magic, an object array, an unknown dtype', () => {
    assert.match(refusal(new TextEncoder().encode('hello, this is not a model at all'), 'model.pt'), /model\.pt is neither a torch\.save zip archive/);
    const objectHeader = "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }".padEnd(118) + '\n';
    assert.match(refusal(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, objectHeader.length, 0, ...new TextEncoder().encode(objectHeader)]), 'obj.npy'), /pickled Python objects/);
    const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }));
    const st = new Uint8Array(8 + header.length + 1);
    new DataView(st.buffer).setUint32(0, header.length, true);
    st.set(header, 8);
    assert.match(refusal(st, 'f8.safetensors'), /tensor w has the element type "F8_E4M3"/);
  });
});

describe('damaged checkpoints (seeded mutations of every fixture)', () => {
  it('are read or refused with a CheckpointError, never another error', function () {
    this.timeout(60000);
    const files = fs.readdirSync(dir).filter((f) => !/\.(json|py)$/.test(f) && f !== 'overflow.npz' && f !== 'bomb.npz');
    assert.ok(readMutations(dir, files) > 0);
  });
});
