/**
 * The benchmark's peers compute what the engine computes: the hand-encoded ONNX model, the mapping
 * of PyTorch's padding and output_padding onto tfjs, the layout changes and the PyTorch server,
 * over a grid of strides, paddings, output paddings and kernel sizes on non-square, multi-channel
 * inputs, and a smaller grid of 3-D layers for the peers that compute them (onnxruntime, PyTorch).
 * `npm run bench` checks its own cases too; this covers the settings around them.
 *
 * `npm run test:bench` runs it, after `setup.ts` has installed the peer libraries (the package in
 * bench/) on first use; `npm run test:unit` stays offline and does not need them.
 */
import * as assert from 'node:assert/strict';
import { convTranspose2d, convTranspose3d, sizeOf, tensor } from '../../src/core/engine/index';
import { compare } from '../../scripts/bench/agreement';
import { isVolume, outputShape, seeded, type ConvCase } from '../../scripts/bench/cases';
import { onnxruntime } from '../../scripts/bench/peers/onnxruntime';
import type { Peer, PeerSource } from '../../scripts/bench/peers/peer';
import { tfjsPeer } from '../../scripts/bench/peers/tfjs';
import { torch } from '../../scripts/bench/peers/torch';

/**
 * Every stride up to `maxStride`, output_padding below the stride, kernel size `k` up to `maxKernel`
 * and padding up to k − 1, on `inputShape` with the kernel `kernelOf(k)` (not square, to catch a swapped axis).
 */
function gridOf(name: string, inputShape: readonly number[], kernelOf: (k: number) => number[], maxStride: number, maxKernel: number): ConvCase[] {
  const cases: ConvCase[] = [];
  for (let stride = 1; stride <= maxStride; stride++) {
    for (let outputPadding = 0; outputPadding < stride; outputPadding++) {
      for (let k = 1; k <= maxKernel; k++) {
        for (let padding = 0; padding < k; padding++) {
          const c: ConvCase = { label: `${name}s${stride} op${outputPadding} k${k} p${padding}`, inputShape, weightShape: [3, 2, ...kernelOf(k)], stride, padding, outputPadding };
          if (outputShape(c).every((size) => size > 0)) cases.push(c);
        }
      }
    }
  }
  return cases;
}

const grid = (): ConvCase[] => gridOf('', [2, 3, 3, 4], (k) => [k, k + 1], 3, 4);
/** 3-D layers: a smaller grid (stride up to 2, kernel up to 3). */
const volumeGrid = (): ConvCase[] => gridOf('3-D ', [2, 3, 2, 3, 2], (k) => [k, k + 1, k], 2, 3);

function engineOutput(c: ConvCase, input: Float64Array, weight: Float64Array) {
  const layer = isVolume(c) ? convTranspose3d : convTranspose2d;
  return layer(tensor(c.inputShape, input), tensor(c.weightShape, weight), { stride: c.stride, padding: c.padding, outputPadding: c.outputPadding });
}

function caseData(c: ConvCase) {
  return { input: seeded(sizeOf(c.inputShape), 3), weight: seeded(sizeOf(c.weightShape), 5) };
}

function agreesWithEngine(source: PeerSource, options: { skipWhenUnavailable?: boolean; volumes: boolean }): void {
  const skipWhenUnavailable = options.skipWhenUnavailable ?? false;
  describe(`${source.name} as the benchmark runs it`, function () {
    this.timeout(60_000);
    let peer: Peer | undefined;

    before(async function () {
      try {
        peer = await source.load();
      } catch (error) {
        if (!skipWhenUnavailable) throw error;
        console.log(`      (${source.name} unavailable: ${(error as Error).message})`);
        this.skip();
      }
    });

    after(async () => peer?.close());

    it('gives the engine\'s output, shape and values, on every grid case', async () => {
      const cases = grid();
      assert.ok(cases.length > 50, `only ${cases.length} grid cases`);
      const volumes = volumeGrid();
      assert.ok(volumes.length > 15, `only ${volumes.length} 3-D grid cases`);
      if (options.volumes) cases.push(...volumes);
      for (const c of cases) {
        const data = caseData(c);
        const expected = engineOutput(c, data.input, data.weight);
        const prepared = await (peer as Peer).prepare(c, data);
        const got = await prepared.output();
        await prepared.release();
        const agreement = compare(expected, got, (peer as Peer).dtype);
        assert.deepEqual([...got.shape], expected.shape, `${c.label}: shape`);
        assert.ok(agreement.agrees, `${c.label}: max relative error ${agreement.maxRelativeError}`);
      }
    });

    if (!options.volumes) {
      it('says that it does not compute 3-D layers, rather than computing something else', async () => {
        const c = volumeGrid()[0] as ConvCase;
        await assert.rejects((peer as Peer).prepare(c, caseData(c)), /2-D layers only/);
      });
    }

    it('times a call', async () => {
      const c = grid()[0] as ConvCase;
      const prepared = await (peer as Peer).prepare(c, caseData(c));
      const ms = await prepared.time(20);
      await prepared.release();
      assert.ok(ms > 0 && ms < 1000, `${ms} ms`);
    });
  });
}

agreesWithEngine(onnxruntime, { volumes: true });
agreesWithEngine(tfjsPeer('cpu'), { volumes: false });
agreesWithEngine(tfjsPeer('wasm'), { volumes: false });
// PyTorch needs a python3 with torch, which only some machines have.
agreesWithEngine(torch, { skipWhenUnavailable: true, volumes: true });
