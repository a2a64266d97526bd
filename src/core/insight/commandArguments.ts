/**
 * The arguments Layer Lens's hovers and CodeLens pass to `layerLens.transposedConvolution`, and the
 * `command:` links that carry them. The command validates them again; these only build them.
 */
import { LayerError } from '../engine/errors';
import type { FoundMatrix } from '../parse/index';
import type { ConvAxis, SpatialRank } from './layerSize';

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
 * An example run of a transposed convolution layer: an input of ones (`inputSize`, `[H, W]` or
 * `[L]`; 4 wide when not given) (a constant input shows
 * the overlap's checkerboard directly) and a kernel of ones of the layer's size, with its stride,
 * padding, output_padding and dilation. A 1-D layer becomes one row.
 */
export function layerExample(axes: readonly ConvAxis[], rank: SpatialRank, inputSize?: readonly number[]): TransposedConvolutionLinkArguments {
  // The transposed-convolution panel draws rows and images; a volume is not cut down to one of its axes.
  if (rank === 3) throw new LayerError('invalid-shape', 'a 3-D transposed convolution is not stepped through in the transposed-convolution panel yet: hover the call for its formulas and stride lattice');
  // A 1-D layer runs as a one-row image: its height axis has neutral values (stride 1, padding 0).
  const pair = (f: (a: ConvAxis) => number, neutral: number): number | [number, number] => {
    if (rank === 1) return [neutral, f(axes[0] as ConvAxis)];
    const [h, w] = [f(axes[0] as ConvAxis), f(axes[1] as ConvAxis)];
    return h === w ? h : [h, w];
  };
  const kernel = rank === 2 ? ones((axes[0] as ConvAxis).kernel, (axes[1] as ConvAxis).kernel) : ones(1, (axes[0] as ConvAxis).kernel);
  return {
    input: rank === 2 ? ones(inputSize?.[0] ?? 4, inputSize?.[1] ?? 4) : ones(1, inputSize?.[0] ?? 4),
    kernel,
    stride: pair((a) => a.stride, 1),
    padding: pair((a) => a.padding, 0),
    // output_padding must stay below the stride or the dilation; Keras' uneven 'same' padding at stride 1 is shown without it.
    outputPadding: pair((a) => (a.outputPadding < Math.max(a.stride, a.dilation) ? a.outputPadding : 0), 0),
    dilation: pair((a) => a.dilation, 1),
  };
}

/** A `command:` link target with its arguments, as VS Code's markdown expects. */
export function commandUri(command: string, args: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}
