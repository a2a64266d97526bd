/**
 * The compound overlap of 1-D and 3-D stacks (issue 22): a WaveGAN's three ConvTranspose1d of
 * stride 4, a 3-D decoder's two ConvTranspose3d of stride 2, HiFi-GAN's and a 3-D U-Net's mixed
 * stacks (pools, upsampling). Each map is checked three ways: against PyTorch running the modules
 * themselves with kernels of ones (test/golden/torch-compound-dims.py, run here by Debian's
 * python3-torch), against a brute-force scatter of ones written below (every (input, tap) pair
 * counted by hand), and the per-phase summary against the single-layer overlap analysis.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compoundOverlap, type SpatialStep } from '../../../src/core/engine/compoundOverlap';
import { analyzeVolumeOverlap } from '../../../src/core/engine/volumeOverlap';
import { mapViews } from '../../../src/core/insight/stackReport';
import { stackPath } from '../../../src/core/insight/stackPath';
import { analyzeStack } from '../../../src/core/insight/stackShapes';
import { findLayerStacks } from '../../../src/core/parse/layerStacks';
import { isStackMapView } from '../../../src/core/protocol/stack';
import { isCompoundOverlapOptions } from '../../../src/core/worker/protocol';
import { repoRoot } from '../engine/helpers';

interface GoldenMap {
  readonly row: number;
  readonly module: string;
  readonly shape: number[];
  readonly data: number[];
}
interface GoldenCase {
  readonly file: string;
  readonly stack: string;
  readonly input: number[];
  readonly maps: GoldenMap[];
}

const fixtures = join(repoRoot(), 'test/fixtures/dims');

/** The stacks named `name` in a fixture: one per class that has one. */
function stacksNamed(file: string, name: string) {
  return findLayerStacks(readFileSync(join(fixtures, file), 'utf8'), 'python').filter((s) => s.name === name);
}

/**
 * A transposed convolution with a kernel of ones, by hand: every input cell scatters to the output
 * cells `o = i·s − p + k·d` of each tap, per axis (any rank), cropped to PyTorch's output size.
 */
function scatterOnes(map: { shape: number[]; data: Float64Array }, k: number[], s: number[], p: number[], op: number[], d: number[]): { shape: number[]; data: Float64Array } {
  const rank = map.shape.length;
  const out = map.shape.map((n, a) => (n - 1) * (s[a] as number) - 2 * (p[a] as number) + (d[a] as number) * ((k[a] as number) - 1) + (op[a] as number) + 1);
  const data = new Float64Array(out.reduce((a, b) => a * b, 1));
  const taps = k.reduce((a, b) => a * b, 1);
  for (let i = 0; i < map.data.length; i++) {
    const at: number[] = [];
    for (let a = rank - 1, rest = i; a >= 0; a--) {
      at.unshift(rest % (map.shape[a] as number));
      rest = Math.floor(rest / (map.shape[a] as number));
    }
    for (let t = 0; t < taps; t++) {
      let flat = 0;
      let inside = true;
      for (let a = 0, rest = t, place = taps; a < rank; a++) {
        place /= k[a] as number;
        const tap = Math.floor(rest / place);
        rest %= place;
        const o = (at[a] as number) * (s[a] as number) - (p[a] as number) + tap * (d[a] as number);
        if (o < 0 || o >= (out[a] as number)) inside = false;
        flat = flat * (out[a] as number) + o;
      }
      if (inside) data[flat] = (data[flat] as number) + (map.data[i] as number);
    }
  }
  return { shape: out, data };
}

function toMean1(data: Float64Array): Float64Array {
  const mean = data.reduce((a, b) => a + b, 0) / data.length;
  return data.map((v) => v / mean);
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs((got[i] as number) - (want[i] as number)) <= 1e-9 * Math.max(1, Math.abs(want[i] as number)), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

describe('compound overlap of 1-D and 3-D stacks', () => {
  describe('against PyTorch running the modules with kernels of ones (test/golden/torch-compound-dims.py)', function () {
    this.timeout(120_000);
    let golden: GoldenCase[] = [];
    before(() => {
      const run = spawnSync('/usr/bin/python3', [join(repoRoot(), 'test/golden/torch-compound-dims.py')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      assert.equal(run.status, 0, `test/golden/torch-compound-dims.py failed (it needs Debian's python3-torch): ${run.error?.message ?? run.stderr}`);
      golden = (JSON.parse(run.stdout) as { cases: GoldenCase[] }).cases;
      assert.equal(golden.length, 5);
    });

    it('every map of every stack, read from the source alone, at 1e-9', () => {
      for (const gold of golden) {
        const candidates = stacksNamed(gold.file, gold.stack);
        // The fixture's stack whose path PyTorch's case follows: the one with the same spatial modules.
        const found = candidates.map((stack) => {
          const analysis = analyzeStack(stack, new Map(), [1, 1, ...gold.input]);
          return { analysis, path: stackPath(analysis) };
        }).find(({ path }) => path.rows.join() === gold.maps.map((m) => m.row).join() && path.steps.length === gold.maps.length && gold.maps[0]?.shape.length === path.inputSize.length);
        const what = `${gold.file} ${gold.stack} [${gold.input.join(', ')}]`;
        assert.ok(found, `${what}: a stack whose path has the rows ${gold.maps.map((m) => m.row).join(', ')}`);
        assert.equal(found.path.stopped, undefined, `${what}: the path runs to the end`);
        assert.deepEqual(found.path.inputSize, gold.input);
        const result = compoundOverlap(found.path);
        result.steps.forEach((step, i) => {
          const want = gold.maps[i] as GoldenMap;
          assert.deepEqual(step.map.shape, want.shape, `${what} after row ${want.row} (${want.module})`);
          assertClose(step.map.data, want.data, `${what} after row ${want.row} (${want.module})`);
        });
      }
    });
  });

  it('a WaveGAN\'s three ConvTranspose1d of kernel 25, stride 4: a brute-force scatter of ones gives the same maps; the period grows to 64 and stays uneven', () => {
    const [stack] = stacksNamed('upsampling_stacks.py', 'self.up');
    assert.ok(stack);
    const analysis = analyzeStack(stack, new Map(), [1, 64, 16]);
    const path = stackPath(analysis);
    assert.deepEqual([analysis.rank, path.rows, path.inputSize], [1, [0, 2, 4], [16]]);
    const result = compoundOverlap(path);
    let map: { shape: number[]; data: Float64Array } = { shape: [16], data: new Float64Array(16).fill(1) };
    result.steps.forEach((step, i) => {
      map = scatterOnes(map, [25], [4], [11], [1], [1]);
      map = { shape: map.shape, data: toMean1(map.data) };
      assert.deepEqual(step.map.shape, map.shape);
      assertClose(step.map.data, map.data, `after layer ${i + 1}`);
    });
    assert.deepEqual(result.steps.map((s) => s.period), [[4], [16], [64]]);
    assert.ok(result.steps.every((s) => s.spread > 0 && s.periodicEnergy > 0), 'every layer keeps the stack uneven');
    // The per-phase summary: the interior's mean at each of the 64 phases, one row of the view.
    const last = result.steps[2];
    assert.deepEqual(last?.phaseMeans?.shape, [64]);
    const view = mapViews(analysis, path, result)[2];
    assert.ok(view && isStackMapView(view));
    assert.deepEqual([view.map.rows, view.map.cols, view.phases?.rows, view.phases?.cols], [1, 1024, 1, 64]);
  });

  it('a 3-D decoder\'s ConvTranspose3d k3 s2 then k4 s2: brute force agrees, the 2×2×2 lattice after the first is the overlap analysis\'s count tile, and the even second layer smooths it away', () => {
    const stack = stacksNamed('upsampling_stacks.py', 'self.up').find((s) => analyzeStack(s, new Map()).rank === 3);
    assert.ok(stack);
    const analysis = analyzeStack(stack, new Map(), [1, 32, 6, 6, 6]);
    const path = stackPath(analysis);
    assert.deepEqual([path.rows, path.inputSize], [[0, 3, 4], [6, 6, 6]]);
    const result = compoundOverlap(path);
    let map: { shape: number[]; data: Float64Array } = { shape: [6, 6, 6], data: new Float64Array(216).fill(1) };
    map = scatterOnes(map, [3, 3, 3], [2, 2, 2], [1, 1, 1], [1, 1, 1], [1, 1, 1]);
    assertClose(result.steps[0]?.map.data ?? [], toMean1(map.data), 'after the k3 s2 layer');
    map = scatterOnes({ shape: map.shape, data: toMean1(map.data) }, [4, 4, 4], [2, 2, 2], [1, 1, 1], [0, 0, 0], [1, 1, 1]);
    assertClose(result.steps[1]?.map.data ?? [], toMean1(map.data), 'after the k4 s2 layer');
    // One layer: its interior's phase means are the count tile (8, 4, 4, 2, 4, 2, 2, 1 taps), scaled.
    const tile = analyzeVolumeOverlap({ inputSize: [6, 6, 6], kernel: [3, 3, 3], stride: 2, padding: 1, outputPadding: 1 }).countTile;
    const means = result.steps[0]?.phaseMeans;
    assert.deepEqual(means?.shape, [2, 2, 2]);
    assertClose(Array.from(means?.data ?? [], (v) => v / (means?.data[0] as number)), Array.from(tile.data, (v) => v / (tile.data[0] as number)), 'phase means ∝ count tile');
    assert.deepEqual(result.steps.map((s) => s.period), [[2, 2, 2], [4, 4, 4], [4, 4, 4]]);
    // A kernel of ones of size 4, stride 2 adds each output up from two neighbours on every axis: the period-2 lattice cancels.
    assert.ok((result.steps[0]?.spread ?? 0) > 0.5 && (result.steps[0]?.periodicEnergy ?? 0) > 0.01, 'kernel 3, stride 2 paints a 3-D checkerboard');
    assert.deepEqual(result.steps.slice(1).map((s) => s.spread), [0, 0], 'the even kernel 4, stride 2 layer smooths it away');
    const view = mapViews(analysis, path, result)[0];
    assert.ok(view && isStackMapView(view));
    assert.deepEqual([view.map.lead, view.map.rows, view.map.cols, view.phases?.lead, view.phases?.rows], [[12], 12, 12, [2], 2]);
  });

  it('checks 1-D and 3-D requests crossing to the engine worker, and refuses a step of another rank with the reason', () => {
    const step = (n: number): SpatialStep => ({ kind: 'convTranspose', kernel: new Array<number>(n).fill(3), stride: new Array<number>(n).fill(2), padding: new Array<number>(n).fill(1), outputPadding: new Array<number>(n).fill(1), dilation: new Array<number>(n).fill(1) });
    assert.equal(isCompoundOverlapOptions({ inputSize: [8], steps: [step(1), { kind: 'upsample', scale: [2], mode: 'linear' }] }), true);
    assert.equal(isCompoundOverlapOptions({ inputSize: [4, 4, 4], steps: [step(3), { kind: 'upsample', scale: [1, 2, 2], mode: 'trilinear' }] }), true);
    assert.equal(isCompoundOverlapOptions({ inputSize: [4, 4, 4, 4], steps: [] }), false);
    assert.equal(isCompoundOverlapOptions({ inputSize: [8], steps: [{ kind: 'upsample', scale: [2], mode: 'bicubic' }] }), false);
    assert.throws(() => compoundOverlap({ inputSize: [8], steps: [step(2)] }), /with 2\/2\/2\/2\/2 values per option in a 1-D map: give one value per spatial axis/);
    // A 1-D stack with linear upsampling runs upsample1d's linear mode.
    const linear = compoundOverlap({ inputSize: [8], steps: [step(1), { kind: 'upsample', scale: [2], mode: 'linear' }] });
    assert.deepEqual(linear.steps.map((s) => s.map.shape), [[16], [32]]);
  });
});
