/**
 * `solve_layer_size`: a PyTorch (transposed) convolution, an input size and the output size wanted
 * → every padding / output_padding for the layer's own kernel, then the even-overlap kernel sizes,
 * in the order the editor's Solve for Output Size lists them (insight/sizeSolver.ts, the same
 * function). One size for both axes of a 2-D layer, as a square image has.
 */
import { rankOf } from '../insight/layerSize';
import { noSolutionReason, solutionFormula, solvableLayer, solveForSize } from '../insight/sizeSolver';
import { callText, defineTool, ok, readLayerCall, ToolInputError, MAX_CODE_LENGTH } from './tool';
import { MAX_AXIS_SIZE } from './layerOutputShape';

export interface SolveLayerSizeInput {
  readonly layer: string;
  readonly inputSize: number;
  readonly outputSize: number;
}

export interface SolveLayerSizeData {
  readonly solutions: { padding: number; outputPadding: number; kernelSize: number }[];
}

export const solveLayerSizeTool = defineTool<SolveLayerSizeInput, SolveLayerSizeData>({
  name: 'solve_layer_size',
  title: 'Solve Layer Size',
  description:
    'Inverse of the output-size formula for a PyTorch nn.ConvTranspose2d / nn.Conv2d (or the 1-D ones): given the layer as written, ' +
    'the input size (height = width, or length) and the output size wanted, lists every (padding, output_padding) that gives exactly that size ' +
    "with the layer's own kernel_size, then kernel sizes divisible by the stride (even overlap: no checkerboard artifacts) that also reach it. " +
    'Each solution is checked against PyTorch\'s formula and its rules (padding ≥ 0, 0 ≤ output_padding < max(stride, dilation)). ' +
    'An empty list means no padding can give that size with this stride. Keras/Flax layers use padding=\'same\'/\'valid\' and are not solved.',
  inputSchema: {
    type: 'object',
    properties: {
      layer: { type: 'string', description: 'The layer call as written, e.g. "nn.ConvTranspose2d(64, 32, 4, stride=2)".', maxLength: MAX_CODE_LENGTH },
      inputSize: { type: 'integer', description: 'The input height (= width) or length.', minimum: 1, maximum: MAX_AXIS_SIZE },
      outputSize: { type: 'integer', description: 'The output height (= width) or length wanted.', minimum: 1, maximum: MAX_AXIS_SIZE * 64 },
    },
    required: ['layer', 'inputSize', 'outputSize'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      solutions: {
        type: 'array',
        description: "Every (padding, output_padding) for the layer's own kernel, then the even-overlap kernel sizes, as the editor lists them.",
        items: {
          type: 'object',
          properties: { padding: { type: 'integer' }, outputPadding: { type: 'integer' }, kernelSize: { type: 'integer' } },
          required: ['padding', 'outputPadding', 'kernelSize'],
          additionalProperties: false,
        },
      },
    },
    required: ['solutions'],
    additionalProperties: false,
  },
  invocationMessage: (input) => `Layer Lens: padding for ${input.layer.trim().slice(0, 80)} to go from ${input.inputSize} to ${input.outputSize} (reads only the text given)`,
  execute(input) {
    const call = readLayerCall(input.layer);
    const read = solvableLayer(call);
    if (!read.ok) throw new ToolInputError(`${call.name} ${read.reason}.`);
    const { op, axes } = read;
    const rank = rankOf(op);
    if (rank >= 2 && axes.some((axis) => JSON.stringify(axis) !== JSON.stringify(axes[0]))) {
      const which = rank === 2 ? 'height and width' : 'depth, height and width';
      throw new ToolInputError(`${callText(input.layer, call)} has different parameters for ${which}; solve_layer_size takes one size for ${rank === 2 ? 'both' : 'all'}: write the layer with the same kernel_size, stride, padding and dilation on ${rank === 2 ? 'both' : 'all three'} axes.`);
    }
    const input_ = axes.map(() => input.inputSize);
    const wanted = axes.map(() => input.outputSize);
    const found = solveForSize(op, axes, input_, wanted);
    const solutions = found.map((s) => {
      const axis = s.axes[0] as (typeof s.axes)[number];
      return { padding: axis.padding, outputPadding: axis.outputPadding, kernelSize: axis.kernel };
    });
    const name = rank === 1 ? 'L' : rank === 2 ? 'H' : 'D';
    const text =
      found.length === 0
        ? `No padding${op.startsWith('convTranspose') ? ', output_padding or even kernel size' : ''} gives ${callText(input.layer, call)} ${noSolutionReason(op, input_, wanted, rank)}.`
        : `${found.length} way${found.length === 1 ? '' : 's'} for ${callText(input.layer, call)} to give ${input.outputSize} from ${input.inputSize}` +
          `${rank === 2 ? ' (both axes)' : rank === 3 ? ' (all three axes)' : ''}, the layer's own kernel first:\n` +
          found.map((s) => `- ${s.label}${s.kernelChanged ? ' (changes the kernel size; even overlap)' : ''}: ${solutionFormula(op, s.axes[0] as (typeof s.axes)[number], input.inputSize, name)}`).join('\n');
    return ok(text, { solutions });
  },
});
