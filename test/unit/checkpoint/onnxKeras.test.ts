/**
 * The ONNX and Keras readers on files written by the real tools (test/golden/checkpoint-onnx-keras.py:
 * `torch.onnx.export` checked by `onnx.checker`, and h5py laying out Keras 2 `.h5` and Keras 3
 * `.keras` exactly as Keras does): every tensor read back bit for bit, the layers with the file's own
 * hyperparameters, and bad files refused with a message that says what is wrong.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { Writer } from 'protobufjs/minimal';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { readKeras } from '../../../src/core/checkpoint/keras';
import { readOnnx } from '../../../src/core/checkpoint/onnx';
import { type Checkpoint, CheckpointError, bytesSource } from '../../../src/core/checkpoint/types';
import { onnxKerasFixtures } from '../../shared/onnxKerasFixtures';
import { readMutations } from './mutations';


function read(file: string): Checkpoint {
  const bytes = new Uint8Array(readFileSync(join(onnxKerasFixtures().dir, file)));
  return file.endsWith('.onnx') ? readOnnx(bytesSource(bytes)) : readKeras(bytesSource(bytes), file);
}

function refuses(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CheckpointError, `a CheckpointError, not ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

/** A ModelProto written field by field with protobufjs's Writer, for files no tool would write. */
function model(initializer: (w: Writer) => void): Uint8Array {
  const tensor = new Writer();
  initializer(tensor);
  const graph = new Writer().uint32((5 << 3) | 2).bytes(tensor.finish());
  return new Writer().uint32(1 << 3).int64(8).uint32((7 << 3) | 2).bytes(graph.finish()).finish();
}

describe('ONNX and Keras checkpoints written by the real tools', function () {
  this.timeout(120_000);
  before(() => onnxKerasFixtures());

  for (const file of ['dcgan.onnx', 'subpixel.onnx', 'subpixel_opset9.onnx', 'typed.onnx', 'wave.onnx', 'volume.onnx', 'generator.h5', 'generator.keras', 'generator_weights.h5', 'generator3.weights.h5', 'decoder1d.h5', 'decoder3d.keras']) {
    it(`${file}: every tensor's name, shape, dtype and values, bit for bit`, () => {
      const expected = onnxKerasFixtures().expected[file];
      assert.ok(expected !== undefined);
      const checkpoint = read(file);
      assert.equal(checkpoint.format, file.endsWith('.onnx') ? 'onnx' : 'keras');
      assert.deepEqual(checkpoint.tensors.map((t) => ({ ...t })), expected.tensors.map(({ name, shape, dtype }) => ({ name, shape, dtype })));
      for (const tensor of expected.tensors) {
        const got = checkpoint.tensor(tensor.name);
        assert.deepEqual(got.shape, tensor.shape, tensor.name);
        assert.deepEqual([...got.data], tensor.data, tensor.name);
      }
    });
  }

  const described = ['dcgan.onnx', 'subpixel.onnx', 'subpixel_opset9.onnx', 'wave.onnx', 'volume.onnx', 'generator.h5', 'generator.keras', 'decoder1d.h5', 'decoder3d.keras'];
  for (const file of described) {
    it(`${file}: the layers with the file's own strides, dilations, groups and layout`, () => {
      const expected = onnxKerasFixtures().expected[file]?.layers;
      const layers = read(file).layers?.map(({ weightLayout, ...layer }) => {
        assert.equal(weightLayout, file.endsWith('.onnx') ? 'torch' : 'keras');
        return { ...layer, stride: [...layer.stride], dilation: [...layer.dilation] };
      });
      assert.deepEqual(layers, expected);
    });
  }

  for (const file of described) {
    it(`${file}: the audit's periodic energy (and a transposed convolution's phase sums) per layer agree with NumPy's, worst first, strides from the graph`, () => {
      const fixture = onnxKerasFixtures().expected[file];
      const expected = fixture?.audit ?? {};
      const audit = auditCheckpoint(read(file));
      assert.deepEqual(audit.layers.map((l) => l.name), Object.entries(expected).sort((a, b) => b[1] - a[1]).map(([name]) => name));
      for (const layer of audit.layers) {
        assert.equal(layer.strideFrom, 'graph');
        assert.ok(Math.abs(layer.periodicEnergy - (expected[layer.name] as number)) <= 1e-9, `${layer.name}: ${layer.periodicEnergy} vs NumPy ${expected[layer.name]}`);
        const sums = fixture?.phaseSums?.[layer.name];
        if (layer.op === 'subPixelConvolution') continue;
        assert.ok(sums, `${file} ${layer.name}: NumPy's phase sums`);
        assert.deepEqual(layer.phaseSums.map((c) => c.map((r) => r.length)), sums.map((c) => c.map((r) => r.length)), `${layer.name}: [channel][row][column]`);
        sums.forEach((channel, c) => channel.forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs((layer.phaseSums[c]?.[a]?.[b] ?? NaN) - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${layer.name} P[${c}][${a}][${b}]`))));
      }
    });
  }

  it('dcgan.onnx: the constant k4 s2 layer is even and last, the constant k3 s2 layer uneven (4, 2, 2, 1 taps a phase)', () => {
    const layers = auditCheckpoint(read('dcgan.onnx')).layers;
    assert.deepEqual(layers.map((l) => [l.name, l.verdict]), [['main.4', 'uneven'], ['main.2', 'uneven'], ['main.0', 'even']]);
    assert.deepEqual(layers[1]?.phaseSums[0], [[6 * 4 * 0.25, 6 * 2 * 0.25], [6 * 2 * 0.25, 6 * 0.25]]);
  });

  it('weights-only Keras files (save_weights, Keras 2 and 3) list their tensors and describe no layers', () => {
    for (const file of ['generator_weights.h5', 'generator3.weights.h5']) assert.equal(read(file).layers, undefined, file);
  });

  it('a DepthToSpace in DCR mode is not a pixel shuffle, and the layer says so; typed fields, FLOAT16 bits and Identity-free graphs read', () => {
    const layers = read('typed.onnx').layers ?? [];
    assert.deepEqual(layers.map((l) => [l.name, l.op, l.stride, l.groups, l.pixelShuffle]), [
      ['convt', 'convTranspose2d', [2, 2], 1, undefined],
      ['conv', 'conv2d', [1, 1], 8, undefined],
    ]);
    assert.match(layers[1]?.note ?? '', /DCR mode.*not as PyTorch's PixelShuffle/);
    assert.equal(layers[1]?.bias, undefined, 'the bias goes through a Cast: not the initializer itself');
  });

  it('external data: the tensor is listed, and reading it is refused naming the other file', () => {
    const checkpoint = read('external.onnx');
    assert.deepEqual(checkpoint.tensors, [{ name: 'w', shape: [2, 2, 4, 4], dtype: 'FLOAT' }]);
    assert.equal(checkpoint.layers?.[0]?.stride[0], 2);
    refuses(() => checkpoint.tensor('w'), /outside the \.onnx file, in 'external\.onnx\.data' \(external data\)/);
  });

  it('a truncated ONNX file is refused as cut short, at every cut inside the graph', () => {
    const bytes = new Uint8Array(readFileSync(join(onnxKerasFixtures().dir, 'dcgan.onnx')));
    for (let cut = 1; cut < bytes.length - 200; cut += 37) {
      refuses(() => readOnnx(bytesSource(bytes.subarray(0, cut))), /cut short or damaged|not an ONNX model/);
    }
  });

  it('other formats handed to the ONNX reader are named; an ONNX file handed to the Keras reader is not HDF5', () => {
    refuses(() => readOnnx(bytesSource(new Uint8Array(readFileSync(join(onnxKerasFixtures().dir, 'generator.keras'))))), /not an ONNX model: the file starts like a zip archive/);
    refuses(() => readOnnx(bytesSource(new Uint8Array(readFileSync(join(onnxKerasFixtures().dir, 'generator.h5'))))), /starts like an HDF5 file/);
    refuses(() => readOnnx(bytesSource(new TextEncoder().encode('hello, this is text'))), /ONNX/);
    refuses(() => read('dcgan.onnx') && readKeras(bytesSource(new Uint8Array(readFileSync(join(onnxKerasFixtures().dir, 'dcgan.onnx')))), 'dcgan.h5'), /dcgan\.h5 is not an HDF5 file/);
  });

  it('a truncated .h5 and a .keras zip without weights are refused', () => {
    const h5 = new Uint8Array(readFileSync(join(onnxKerasFixtures().dir, 'generator.h5')));
    refuses(() => {
      const checkpoint = readKeras(bytesSource(h5.subarray(0, 3000)), 'generator.h5');
      for (const t of checkpoint.tensors) checkpoint.tensor(t.name);
    }, /generator\.h5/);
    refuses(() => readKeras(bytesSource(zipSync({ 'config.json': new TextEncoder().encode('{}') })), 'model.keras'), /has no model\.weights\.h5 inside/);
  });
});

describe('damaged ONNX and Keras files (seeded mutations of every fixture)', () => {
  it('are read or refused with a CheckpointError, never another error', function () {
    this.timeout(120_000);
    const { dir, expected } = onnxKerasFixtures();
    assert.ok(readMutations(dir, [...Object.keys(expected), 'external.onnx']) > 0);
  });
});

describe('ONNX and Keras files no tool would write', () => {
  it('an initializer that claims 10^12 elements with 16 bytes of data is refused without allocating them', () => {
    const bytes = model((w) => w.uint32(1 << 3).int64(1_000_000).uint32(1 << 3).int64(1_000_000).uint32(2 << 3).int32(1)
      .uint32((8 << 3) | 2).string('huge').uint32((9 << 3) | 2).bytes(new Uint8Array(16)));
    const checkpoint = readOnnx(bytesSource(bytes));
    assert.deepEqual(checkpoint.tensors, [{ name: 'huge', shape: [1_000_000, 1_000_000], dtype: 'FLOAT' }]);
    refuses(() => checkpoint.tensor('huge'), /'huge' .* has 16 bytes of raw_data but its shape 1000000×1000000 of FLOAT needs 4000000000000/);
  });

  it('a message whose length runs past the file, and a file without a graph, are refused', () => {
    const bytes = model((w) => w.uint32((8 << 3) | 2).string('w').uint32((9 << 3) | 2).bytes(new Uint8Array(64)));
    refuses(() => readOnnx(bytesSource(bytes.subarray(0, bytes.length - 10))), /cut short or damaged/);
    refuses(() => readOnnx(bytesSource(new Writer().uint32(1 << 3).int64(8).finish())), /not an ONNX model: the file has no graph/);
    refuses(() => readOnnx(bytesSource(new Uint8Array(0))), /not an ONNX model/);
  });

  it('a .keras zip whose weights claim to expand a thousandfold is refused as a zip bomb before inflating', () => {
    const zip = zipSync({ 'config.json': new TextEncoder().encode('{}'), 'model.weights.h5': new Uint8Array(4096) });
    // Patch the central directory's uncompressed size of model.weights.h5 to 4 GB − 2.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let at = 0; at + 46 <= zip.length; at++) {
      if (view.getUint32(at, true) === 0x02014b50 && new TextDecoder().decode(zip.subarray(at + 46, at + 46 + 16)) === 'model.weights.h5') view.setUint32(at + 24, 0xfffffffe, true);
    }
    refuses(() => readKeras(bytesSource(zip), 'bomb.keras'), /bomb\.keras: the zip entry 'model\.weights\.h5' claims to expand from \d+ to 4294967294 bytes; refused as a zip bomb/);
  });
});
