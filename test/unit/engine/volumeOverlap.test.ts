/**
 * The overlap analysis of sequences and volumes: it must agree with the 2-D analysis on a volume of
 * depth 1 (and a sequence read as one row), count what a direct scatter of ones counts, and name the
 * uneven axis of a 3-D lattice.
 */
import * as assert from 'node:assert/strict';
import { analyzeOverlap, analyzeVolumeOverlap, convTranspose3d, LayerError, tensor } from '../../../src/core/engine/index';
import { assertLayerError } from './helpers';

describe('overlap of 1-D and 3-D transposed convolutions', () => {
  it('a volume of depth 1 (kernel depth 1) is the 2-D analysis: counts, tiles, measures and verdict', () => {
    const weight = tensor([1, 3, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const volume = analyzeVolumeOverlap({ inputSize: [1, 5, 6], kernel: weight, stride: [1, 2, 3], padding: [0, 1, 1] });
    const image = analyzeOverlap({ inputSize: [5, 6], kernel: tensor([3, 4], weight.data), stride: [2, 3], padding: [1, 1] });
    assert.deepEqual([...volume.counts.shape], [1, ...image.counts.shape]);
    assert.deepEqual([...volume.counts.data], [...image.counts.data]);
    assert.deepEqual([...volume.countTile.data], [...image.countTile.data]);
    assert.deepEqual([...volume.responseTile.data], [...image.responseTile.data]);
    assert.deepEqual([...volume.kernelResponse.data], [...image.kernelResponse.data]);
    assert.equal(volume.countRatio, image.countRatio);
    assert.equal(volume.responseAmplitude, image.responseAmplitude);
    assert.ok(Math.abs(volume.periodicEnergyFraction - image.periodicEnergyFraction) < 1e-15);
    assert.equal(volume.verdict.kind, image.verdict.kind);
  });

  it('a sequence is the 2-D analysis of one row: counts, tiles, energy and verdict', () => {
    const kernel = tensor([5], [1, 3, -2, 4, 0.5]);
    const sequence = analyzeVolumeOverlap({ inputSize: [9], kernel, stride: 3, padding: 1, outputPadding: 2, dilation: 1 });
    const row = analyzeOverlap({ inputSize: [1, 9], kernel: tensor([1, 5], kernel.data), stride: [1, 3], padding: [0, 1], outputPadding: [0, 2] });
    assert.deepEqual([...sequence.counts.data], [...row.counts.data]);
    assert.deepEqual([...sequence.responseTile.data], [...row.responseTile.data]);
    assert.deepEqual([...sequence.kernelResponse.data], [...row.kernelResponse.data]);
    assert.ok(Math.abs(sequence.periodicEnergyFraction - row.periodicEnergyFraction) < 1e-15);
    assert.equal(sequence.verdict.reason, row.verdict.reason.replace('columns: ', ''));
  });

  it('counts what scattering ones through a kernel of ones counts, on every cell of the volume', () => {
    const options = { stride: [2, 3, 2] as const, padding: [1, 0, 2] as const, dilation: [1, 2, 1] as const, outputPadding: [1, 0, 0] as const };
    const analysis = analyzeVolumeOverlap({ inputSize: [3, 4, 5], kernel: [3, 2, 4], ...options });
    const direct = convTranspose3d(tensor([1, 1, 3, 4, 5], new Float64Array(60).fill(1)), tensor([1, 1, 3, 2, 4], new Float64Array(24).fill(1)), options);
    assert.deepEqual([...analysis.counts.shape], direct.shape.slice(2));
    assert.deepEqual([...analysis.counts.data], [...direct.data]);
    assert.deepEqual([...analysis.kernelResponse.data], [...direct.data]);
  });

  it('lists every phase of the lattice with its taps, count and sum (the per-phase table)', () => {
    const kernel = tensor([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const analysis = analyzeVolumeOverlap({ inputSize: [4, 4, 4], kernel, stride: [2, 1, 1] });
    assert.equal(analysis.phases.length, 2);
    const [even, odd] = analysis.phases;
    assert.deepEqual(even?.phase, [0, 0, 0]);
    // Depth phase 0 takes kernel depth 0 only; every (h, w) tap lands on every cell.
    assert.deepEqual(even?.taps, [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1]]);
    assert.equal(even?.response, 1 + 2 + 3 + 4);
    assert.equal(odd?.response, 5 + 6 + 7 + 8);
    assert.equal(analysis.verdict.kind, 'uneven-kernel');
    assert.ok(analysis.periodicEnergyFraction > 0 && analysis.periodicEnergyFraction < 1);
  });

  it('names the uneven axis of a volume (kernel 3, stride 2 in depth only)', () => {
    const analysis = analyzeVolumeOverlap({ inputSize: [6, 6, 6], kernel: [3, 4, 4], stride: 2, padding: 1 });
    assert.equal(analysis.verdict.kind, 'uneven-counts');
    assert.match(analysis.verdict.reason, /depth: kernel 3, stride 2 gives counts (1 and 2|2 and 1) alternating/);
    assert.deepEqual([...analysis.countTile.shape], [2, 2, 2]);
    assert.equal(analysis.countRatio, 2);
    assert.ok(analyzeVolumeOverlap({ inputSize: [6, 6, 6], kernel: 4, stride: 2, padding: 1 }).verdict.even);
  });

  it('a sequence: the ticks of kernel 3, stride 2, and none for kernel 4', () => {
    const ticks = analyzeVolumeOverlap({ inputSize: [16], kernel: 3, stride: 2 });
    assert.deepEqual([...ticks.countTile.data], [2, 1]);
    assert.equal(ticks.verdict.kind, 'uneven-counts');
    assert.deepEqual([...ticks.counts.shape], [33]);
    const even = analyzeVolumeOverlap({ inputSize: [16], kernel: tensor([4], [1, 1, 1, 1]), stride: [2], padding: 1 });
    assert.equal(even.verdict.kind, 'even');
    assert.equal(even.periodicEnergyFraction, 0);
    // A kernel whose phases sum differently still ticks on a constant signal.
    const uneven = analyzeVolumeOverlap({ inputSize: [16], kernel: tensor([4], [1, 2, 0, 0]), stride: 2, padding: 1 });
    assert.equal(uneven.verdict.kind, 'uneven-kernel');
    // Phase 0 takes taps 1 and 3 (2 + 0), phase 1 taps 0 and 2 (1 + 0).
    assert.deepEqual([...uneven.responseTile.data], [2, 1]);
  });

  it('refuses what the layer refuses, a kernel of the wrong rank and an input size of neither rank', () => {
    assertLayerError(() => analyzeVolumeOverlap({ inputSize: [2], kernel: 3, stride: 2, outputPadding: 2 }), 'output-padding-too-large', /output_padding \(2\)/);
    assertLayerError(() => analyzeVolumeOverlap({ inputSize: [2, 2, 2], kernel: tensor([2, 2], [1, 1, 1, 1]) }), 'invalid-shape', /takes a kernel \[kD, kH, kW\]/);
    assertLayerError(() => analyzeVolumeOverlap({ inputSize: [2, 2], kernel: 2 }), 'invalid-shape', /\[L\] \(a sequence\) or \[D, H, W\]/);
    assert.throws(() => analyzeVolumeOverlap({ inputSize: [2, 2, 2], kernel: 2, stride: [99, 99, 99] }), LayerError);
  });
});
