/**
 * The arguments Layer Lens's hovers and CodeLens pass to `layerLens.transposedConvolution`, and the
 * `command:` links that carry them. The command validates them again; these only build them.
 */
import { LayerError } from '../engine/errors';
import type { FoundMatrix } from '../parse/index';
import type { LayerCall } from '../parse/layerCalls';
import { read, type ConvAxis, type SpatialRank } from './layerSize';

/** Mirrors the command's arguments object (src/host/common/arguments.ts). */
export interface TransposedConvolutionLinkArguments {
  readonly input?: number[][];
  readonly kernel?: number[][];
  readonly stride?: number | [number, number];
  readonly padding?: number | [number, number];
  readonly outputPadding?: number | [number, number];
  readonly dilation?: number | [number, number];
}

/**
 * Matrices up to this many values travel inside a link; a larger one would make the hover's
 * markdown hundreds of kilobytes, so its hover says how to open it instead.
 */
export const MAX_LINKED_VALUES = 4096;

/** A found 1-D or 2-D matrix as nested rows (a 1-D list is one row), or undefined when it cannot be linked. */
export function nestedRows(matrix: Pick<FoundMatrix, 'shape' | 'data'>): number[][] | undefined {
  const { shape, data } = matrix;
  if (data.length > MAX_LINKED_VALUES || shape.length < 1 || shape.length > 2) return undefined;
  const rows = shape.length === 2 ? (shape[0] as number) : 1;
  const cols = shape[shape.length - 1] as number;
  return Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols)));
}

const ones = (rows: number, cols: number): number[][] => Array.from({ length: rows }, () => new Array<number>(cols).fill(1));

/**
 * An example run of a 2-D transposed convolution layer: an input of ones (`inputSize`, `[H, W]`; 4
 * wide when not given) (a constant input shows the overlap's checkerboard directly) and a kernel of
 * ones of the layer's size, with its stride, padding, output_padding and dilation. 1-D and 3-D
 * layers run in the volume panel instead ({@link volumeExample}).
 */
export function layerExample(axes: readonly ConvAxis[], rank: SpatialRank, inputSize?: readonly number[]): TransposedConvolutionLinkArguments {
  if (rank !== 2) throw new LayerError('invalid-shape', `a ${rank}-D transposed convolution runs in the volume panel: see volumeExample`);
  const pair = (f: (a: ConvAxis) => number): number | [number, number] => {
    const [h, w] = [f(axes[0] as ConvAxis), f(axes[1] as ConvAxis)];
    return h === w ? h : [h, w];
  };
  return {
    input: ones(inputSize?.[0] ?? 4, inputSize?.[1] ?? 4),
    kernel: ones((axes[0] as ConvAxis).kernel, (axes[1] as ConvAxis).kernel),
    stride: pair((a) => a.stride),
    padding: pair((a) => a.padding),
    outputPadding: pair(safeOutputPadding),
    dilation: pair((a) => a.dilation),
  };
}

/** output_padding must stay below the stride or the dilation; Keras' uneven 'same' padding at stride 1 is shown without it. */
const safeOutputPadding = (a: ConvAxis): number => (a.outputPadding < Math.max(a.stride, a.dilation) ? a.outputPadding : 0);

/** A tensor as the volume commands read it from a link: `{ shape, data }` with plain numbers. */
export interface LinkedTensor {
  readonly shape: number[];
  readonly data: number[];
}

/** Mirrors the volume commands' arguments object (src/host/volume/volumeArguments.ts). */
export interface VolumeLinkArguments {
  readonly op: 'convTranspose1d' | 'convTranspose3d';
  readonly input: LinkedTensor;
  readonly weight: LinkedTensor;
  readonly options: Readonly<Record<string, number | number[]>>;
}

/** A sequence's default example length and a volume's default side, when no input size is given. */
const DEFAULT_SIDE: Readonly<Record<1 | 3, number>> = { 1: 8, 3: 4 };

/**
 * The largest side of an example: a 3-D example of 16³ already has 4,096 cells per channel, as many
 * as the volume panel draws slice by slice; a sequence is drawn as strips and may be longer.
 */
const MAX_SIDE: Readonly<Record<1 | 3, number>> = { 1: 64, 3: 16 };

/** The most channels an example keeps: a grouped layer shows one channel per group up to this many. */
export const MAX_EXAMPLE_GROUPS = 4;

/**
 * An example run of a 1-D or 3-D transposed convolution layer for the volume panel: an input of
 * ones of `inputSize` (`[L]` or `[D, H, W]`, each side at most 64 or 16; 8 or 4 when not given) and a
 * weight of ones of the layer's kernel, with its stride, padding, output_padding, dilation and
 * groups. Channels are cut down as the 2-D example does (one), except that a grouped layer keeps one
 * channel per group (up to {@link MAX_EXAMPLE_GROUPS}) so the grouping shows; more groups, or
 * groups written as an expression, run as one group.
 */
export function volumeExample(call: LayerCall, axes: readonly ConvAxis[], rank: 1 | 3, inputSize?: readonly number[]): VolumeLinkArguments {
  const sides = Array.from({ length: rank }, (_, i) => Math.max(1, Math.min(MAX_SIDE[rank], inputSize?.[i] ?? DEFAULT_SIDE[rank])));
  const kernel = axes.map((a) => a.kernel);
  const written = read<unknown>(call, 'groups', 1);
  const groups = written.ok && typeof written.value === 'number' && Number.isSafeInteger(written.value) && written.value >= 1 && written.value <= MAX_EXAMPLE_GROUPS ? written.value : 1;
  // One channel per group in and out: weight [C_in, C_out / groups, …kernel] = [groups, 1, …kernel].
  const input = filled([1, groups, ...sides]);
  const weight = filled([groups, 1, ...kernel]);
  const perAxis = (f: (a: ConvAxis) => number): number | number[] => {
    const values = axes.map(f);
    return values.every((v) => v === values[0]) ? (values[0] as number) : values;
  };
  return {
    op: rank === 1 ? 'convTranspose1d' : 'convTranspose3d',
    input,
    weight,
    options: {
      stride: perAxis((a) => a.stride),
      padding: perAxis((a) => a.padding),
      outputPadding: perAxis(safeOutputPadding),
      dilation: perAxis((a) => a.dilation),
      ...(groups > 1 ? { groups } : {}),
    },
  };
}

const filled = (shape: number[]): LinkedTensor => ({ shape, data: new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(1) });

/** A `command:` link target with its arguments, as VS Code's markdown expects. */
export function commandUri(command: string, args: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}
