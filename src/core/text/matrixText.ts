/**
 * The text "copy" puts on the clipboard: a matrix in one of the notations people paste into code
 * or documents, and a runnable PyTorch script that reproduces the panel's computation. Pure: both
 * are written by the parser's `formatMatrix`, whose numbers read back as the same float64 values.
 */
import type { Tensor } from '../engine/tensor';
import { formatMatrix, type Notation } from '../parse/index';
import type { CopyFormat } from '../protocol/common';
import type { TransposedConvolutionParams } from '../protocol/transposed';
import { indentContinuation } from './literalText';

export const COPY_FORMAT_LABELS: Readonly<Record<CopyFormat, string>> = {
  numpy: 'NumPy',
  torch: 'PyTorch',
  json: 'JSON',
  matlab: 'MATLAB',
  latex: 'LaTeX',
  markdown: 'Markdown',
};

const NOTATION_OF: Readonly<Record<CopyFormat, Notation>> = {
  numpy: 'numpy',
  torch: 'torch',
  json: 'json',
  matlab: 'matlab',
  latex: 'latex',
  markdown: 'markdown',
};

/**
 * A matrix as text in `format`. JSON has no NaN or infinities: such values are written `NaN` and
 * `Infinity`, as Python's `json` module does (and reads back).
 */
export function matrixText(matrix: Tensor, format: CopyFormat): string {
  return formatMatrix(matrix, NOTATION_OF[format]);
}

/** Everything the PyTorch script needs. */
export interface SnippetLayer {
  readonly input: Tensor;
  readonly kernel: Tensor;
  readonly params: TransposedConvolutionParams;
  /** Where the input came from (`model.py:5`), for the script's first comment. */
  readonly source?: string;
}

const pair = ([h, w]: readonly [number, number]): string => `(${h}, ${w})`;

/**
 * A script that runs as it is (`python3 snippet.py`, with PyTorch installed) and prints the output
 * Layer Lens shows: the operands in float64 with their exact values, reshaped to the
 * (batch, channels, H, W) and (in, out, kH, kW) layouts `F.conv_transpose2d` expects.
 */
export function pytorchSnippet(layer: SnippetLayer): string {
  const { stride, padding, outputPadding, dilation, groups } = layer.params;
  const tensorLine = (name: string, value: Tensor): string => `${name} = ${indentContinuation(formatMatrix(value, 'torch'), ' '.repeat(name.length + 3))}`;
  return [
    `# Transposed convolution${layer.source ? ` of ${layer.source}` : ''}, as shown by Layer Lens.`,
    'import torch',
    'import torch.nn.functional as F',
    '',
    tensorLine('x', layer.input),
    tensorLine('w', layer.kernel),
    '',
    ...(layer.input.shape.length === 2 && layer.kernel.shape.length === 2
      ? [
          '# One image with one channel, and one kernel from one channel to one: [None, None] adds the two axes.',
          `y = F.conv_transpose2d(x[None, None], w[None, None], stride=${pair(stride)}, padding=${pair(padding)}, output_padding=${pair(outputPadding)}, dilation=${pair(dilation)})[0, 0]`,
        ]
      : [
          `# x is ${layer.input.shape.length === 4 ? '[N, C_in, H, W]' : '[C_in, H, W]'}, w is [C_in, C_out/groups, kH, kW], as F.conv_transpose2d takes them.`,
          `y = F.conv_transpose2d(x, w, stride=${pair(stride)}, padding=${pair(padding)}, output_padding=${pair(outputPadding)}, dilation=${pair(dilation)}, groups=${groups ?? 1})`,
        ]),
    'print(y)',
    '# The exact float64 values, row by row:',
    'print(y.tolist())',
    '',
  ].join('\n');
}
