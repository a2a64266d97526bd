/**
 * The benchmark's peers compute what the engine computes: the hand-encoded ONNX model, the mapping
 * of PyTorch's padding and output_padding onto tfjs, the layout changes and the PyTorch server,
 * over a grid of strides, paddings, output paddings and kernel sizes on non-square, multi-channel
 * inputs. `npm run bench` checks its own six cases too; this covers the settings around them.
 *
 * `npm run test:bench` runs it, after `setup.ts` has installed the peer libraries (the package in
 * bench/) on first use; `npm run test:unit` stays offline and does not need them.
 */
import * as assert from 'node:assert/strict';
import { convTranspose2d, tensor } from '../../src/core/engine/index';
import { compare } from '../../scripts/bench/agreement';
import { outputShape, seeded, type ConvCase } from '../../scripts/bench/cases';
import { onnxruntime } from '../../scripts/bench/peers/onnxruntime';
import type { Peer, PeerSource } from '../../scripts/bench/peers/peer';
import { tfjsPeer } from '../../scripts/bench/peers/tfjs';
import { torch } from '../../scripts/bench/peers/torch';

/** Every stride 1–3, output_padding below the stride, kernel 1–4 and padding up to kernel − 1. */
function grid(): ConvCase[] {
  const cases: ConvCase[] = [];
  for (let stride = 1; stride <= 3; stride++) {
    for (let outputPadding = 0; outputPadding < stride; outputPadding++) {
      for (let k = 1; k <= 4; k++) {
        for (let padding = 0; padding < k; padding++) {
          const c: ConvCase = { label: `s${stride} op${outputPadding} k${k} p${padding}`, inputShape: [2, 3, 3, 4], weightShape: [3, 2, k, k + 1], stride, padding, outputPadding };
          if (outputShape(c).every((size) => size > 0)) cases.push(c);
        }
      }
    }
  }
  return cases;
}

function engineOutput(c: ConvCase, input: Float64Array, weight: Float64Array) {
  return convTranspose2d(tensor(c.inputShape, input), tensor(c.weightShape, weight), { stride: c.stride, padding: c.padding, outputPadding: c.outputPadding });
}

function agreesWithEngine(source: PeerSource, skipWhenUnavailable = false): void {
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
      for (const c of cases) {
        const data = { input: seeded(72, 3), weight: seeded(c.weightShape.reduce((a, b) => a * b, 1), 5) };
        const expected = engineOutput(c, data.input, data.weight);
        const prepared = await (peer as Peer).prepare(c, data);
        const got = await prepared.output();
        await prepared.release();
        const agreement = compare(expected, got, (peer as Peer).dtype);
        assert.deepEqual([...got.shape], expected.shape, `${c.label}: shape`);
        assert.ok(agreement.agrees, `${c.label}: max relative error ${agreement.maxRelativeError}`);
      }
    });

    it('times a call', async () => {
      const c = grid()[0] as ConvCase;
      const prepared = await (peer as Peer).prepare(c, { input: seeded(72, 3), weight: seeded(c.weightShape.reduce((a, b) => a * b, 1), 5) });
      const ms = await prepared.time(20);
      await prepared.release();
      assert.ok(ms > 0 && ms < 1000, `${ms} ms`);
    });
  });
}

agreesWithEngine(onnxruntime);
agreesWithEngine(tfjsPeer('cpu'));
agreesWithEngine(tfjsPeer('wasm'));
// PyTorch needs a python3 with torch, which only some machines have.
agreesWithEngine(torch, true);
