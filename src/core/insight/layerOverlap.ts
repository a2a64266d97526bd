/**
 * The overlap verdict of a transposed convolution call: whether every output cell receives the
 * same number of products (even) or the count repeats unevenly with the stride (a checkerboard).
 * The engine's {@link analyzeOverlap} does the analysis; this module feeds it a small input that
 * still has an interior (the verdict and the tile do not depend on the input size, and a hover
 * must not compute a 1024×1024 count map), and labels the result for a CodeLens.
 */
import { analyzeOverlap, overlapVerdict, type AxisOverlap, type OverlapVerdict } from '../engine/overlap';
import { countRatio, relativeAmplitude, tileEnergyFraction } from '../engine/periodicity';
import { analyzeVolumeOverlap } from '../engine/volumeOverlap';
import { tensor, type Tensor } from '../engine/tensor';
import type { ConvAxis, SpatialRank } from './layerSize';

export interface LayerOverlap {
  readonly verdict: OverlapVerdict;
  /** `[stride_h, stride_w]` (1-D: `[1, stride]`; 3-D: the lattice `[stride_d, stride_h, stride_w]`): products per output cell, by output position mod stride. */
  readonly countTile: Tensor;
  /** Each spatial axis's steady-state counts by output position mod its stride (`D`, `H`, `W` or `L`). */
  readonly axisTiles: readonly { readonly axis: AxisOverlap['axis']; readonly tile: readonly number[] }[];
  /** `even`, `uneven 1:2` (smallest to largest count), or `gaps`. */
  readonly label: string;
  /** The share of a constant input's response energy at the stride's checkerboard frequencies: 0 when even (engine/overlap.ts). */
  readonly periodicEnergy: number;
}

/** An input long enough for every axis to have an interior, and no longer. */
function analysisLength(axis: ConvAxis): number {
  const span = axis.dilation * (axis.kernel - 1) + 1;
  return Math.min(64, Math.max(4, Math.ceil((span + axis.padding) / axis.stride) + 3));
}

const FLAT: ConvAxis = { kernel: 1, stride: 1, padding: 0, outputPadding: 0, dilation: 1 };

/**
 * Analyses by layer configuration: a file repeats a few configurations many times (every block of
 * a generator), and a document is analysed again after each edit. Bounded, oldest out first.
 */
const analysed = new Map<string, LayerOverlap>();
const MAX_ANALYSED = 256;

export function layerOverlap(axes: readonly ConvAxis[], rank: SpatialRank): LayerOverlap {
  const key = `${rank}:${axes.map((a) => `${a.kernel},${a.stride},${a.padding},${a.outputPadding},${a.dilation}`).join(';')}`;
  const known = analysed.get(key);
  if (known) return known;
  const overlap = analyse(axes, rank);
  if (analysed.size >= MAX_ANALYSED) analysed.delete(analysed.keys().next().value as string);
  analysed.set(key, overlap);
  return overlap;
}

function analyse(axes: readonly ConvAxis[], rank: SpatialRank): LayerOverlap {
  if (rank === 3) return analyseVolume(axes);
  const [rows, cols] = rank === 2 ? (axes as [ConvAxis, ConvAxis]) : [FLAT, axes[0] as ConvAxis];
  const pair = (f: (a: ConvAxis) => number) => [f(rows), f(cols)] as [number, number];
  const analysis = analyzeOverlap({
    inputSize: pair(analysisLength),
    kernel: pair((a) => a.kernel),
    stride: pair((a) => a.stride),
    padding: pair((a) => a.padding),
    outputPadding: pair((a) => a.outputPadding),
    dilation: pair((a) => a.dilation),
  });
  const axisTiles = (rank === 1 ? [analysis.cols] : [analysis.rows, analysis.cols]).map((axis) => ({ axis: rank === 1 ? ('L' as const) : axis.axis, tile: axis.tile }));
  return { verdict: analysis.verdict, countTile: analysis.countTile, axisTiles, periodicEnergy: analysis.periodicEnergyFraction, label: labelOf(analysis.verdict, rank === 1 || sameAxes(rows, cols) ? analysis.cols.tile : [...analysis.countTile.data]) };
}

/**
 * The most multiply-adds the 3-D analysis's all-ones response may take (input cells × kernel taps):
 * about 0.1 s. Past it (a 31³ kernel), the lattice is composed from each axis's 1-D analysis, which
 * for a kernel of ones is the same (the layer is separable), so a hover never waits on it.
 */
const MAX_VOLUME_WORK = 20_000_000;

/** A 3-D transposed convolution: the engine's lattice analysis over `(o_d, o_h, o_w) mod stride`. */
function analyseVolume(axes: readonly ConvAxis[]): LayerOverlap {
  const triple = (f: (a: ConvAxis) => number) => axes.map(f) as [number, number, number];
  const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);
  if (product(triple(analysisLength)) * product(triple((a) => a.kernel)) > MAX_VOLUME_WORK) return composedVolume(axes);
  const analysis = analyzeVolumeOverlap({
    inputSize: triple(analysisLength),
    kernel: triple((a) => a.kernel),
    stride: triple((a) => a.stride),
    padding: triple((a) => a.padding),
    outputPadding: triple((a) => a.outputPadding),
    dilation: triple((a) => a.dilation),
  });
  const alike = axes.every((axis) => sameAxes(axis, axes[0] as ConvAxis));
  return {
    verdict: analysis.verdict,
    countTile: analysis.countTile,
    axisTiles: analysis.axes.map((axis) => ({ axis: axis.axis, tile: axis.tile })),
    periodicEnergy: analysis.periodicEnergyFraction,
    label: labelOf(analysis.verdict, alike ? ((analysis.axes[0] as AxisOverlap).tile) : [...analysis.countTile.data]),
  };
}

/** {@link analyseVolume} for large kernels: each axis analysed alone (a sequence), the lattice their outer product. */
export function composedVolume(axes: readonly ConvAxis[]): LayerOverlap {
  const labels = ['D', 'H', 'W'] as const;
  const perAxis = axes.map((axis, i) => {
    const [one] = analyzeVolumeOverlap({ inputSize: [analysisLength(axis)], kernel: axis.kernel, stride: axis.stride, padding: axis.padding, outputPadding: axis.outputPadding, dilation: axis.dilation }).axes;
    return { ...(one as AxisOverlap), axis: labels[i] as AxisOverlap['axis'] };
  });
  const tile = perAxis.reduce<number[]>((acc, axis) => acc.flatMap((a) => axis.tile.map((t) => a * t)), [1]);
  const data = Float64Array.from(tile);
  const verdict = overlapVerdict(perAxis, countRatio(data), relativeAmplitude(data), true);
  const alike = axes.every((axis) => sameAxes(axis, axes[0] as ConvAxis));
  return {
    verdict,
    countTile: tensor(axes.map((a) => a.stride), data),
    axisTiles: perAxis.map((axis) => ({ axis: axis.axis, tile: axis.tile })),
    periodicEnergy: tileEnergyFraction(data),
    label: labelOf(verdict, alike ? (perAxis[0] as AxisOverlap).tile : tile),
  };
}

/** The axes whose counts change with the output position (`['D', 'W']`): where the lattice is uneven. */
export function unevenAxes(overlap: LayerOverlap): string[] {
  return overlap.axisTiles.filter((axis) => new Set(axis.tile).size > 1).map((axis) => axis.axis);
}

function sameAxes(a: ConvAxis, b: ConvAxis): boolean {
  return a.kernel === b.kernel && a.stride === b.stride && a.padding === b.padding && a.dilation === b.dilation;
}

/** One axis's tile when both axes agree (the 1:2 people know), otherwise the 2-D tile's extremes. */
function labelOf(verdict: OverlapVerdict, counts: readonly number[]): string {
  if (verdict.kind === 'even') return 'even';
  if (verdict.kind === 'gaps') return 'gaps';
  return `uneven ${Math.min(...counts)}:${Math.max(...counts)}`;
}
