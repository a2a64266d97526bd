/**
 * `compute_layer`: small tensors and options → the layer's exact output, computed by the engine the
 * panels use (PyTorch semantics, float64), so an agent can check its own arithmetic. Tensors arrive
 * as nested JSON arrays and leave flattened row-major with their shape. A call PyTorch refuses
 * comes back as the engine's LayerError, in words. Sizes are bounded before anything is computed.
 */
import { convTranspose2d } from '../engine/convTranspose';
import { LayerError } from '../engine/errors';
import { gatherLayerShape, gatherLayerWork, runGatherLayer, type GatherLayerCall } from '../engine/gatherLayer';
import { outputShape } from '../engine/outputShape';
import { tensor, type Tensor } from '../engine/tensor';
import { PARSE_MAX_RANK } from '../parse/limits';
import { describeValue, type JsonSchema } from './jsonSchema';
import { defineTool, ok, ToolInputError } from './tool';

export const COMPUTE_OPS = ['convTranspose2d', 'conv2d', 'maxPool2d', 'avgPool2d', 'upsample', 'pixelShuffle'] as const;
export type ComputeOp = (typeof COMPUTE_OPS)[number];

export interface ComputeLayerInput {
  readonly op: ComputeOp;
  readonly input: readonly unknown[];
  readonly weight?: readonly unknown[];
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface ComputeLayerData {
  readonly shape: number[];
  readonly data: number[];
}

/** Most values in one tensor given, and in the output: "small tensors", a few hundred kilobytes of JSON. */
export const MAX_TOOL_VALUES = 65_536;
/** Most multiply-adds (or window reads) one call may take: well under a second. */
export const MAX_TOOL_WORK = 50_000_000;

/** The engine's option names each op takes (src/core/engine/options.ts). */
const OPTIONS: Readonly<Record<ComputeOp, readonly string[]>> = {
  convTranspose2d: ['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'bias'],
  conv2d: ['stride', 'padding', 'dilation', 'groups', 'bias'],
  maxPool2d: ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode'],
  avgPool2d: ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad'],
  upsample: ['mode', 'scaleFactor', 'size', 'alignCorners'],
  pixelShuffle: ['upscaleFactor'],
};

const OPTION_DESCRIPTIONS: Readonly<Record<string, string>> = {
  stride: 'int or [h, w]',
  padding: "int or [h, w] (conv2d also 'same' / 'valid')",
  outputPadding: 'int or [h, w] (convTranspose2d)',
  dilation: 'int or [h, w]',
  groups: 'int',
  bias: 'array of one value per output channel (convolutions)',
  kernelSize: 'int or [h, w] (pooling; required there)',
  ceilMode: 'boolean (pooling)',
  countIncludePad: 'boolean (avgPool2d)',
  mode: "'nearest' or 'bilinear' (upsample)",
  scaleFactor: 'number or [h, w] (upsample; or size)',
  size: 'int or [h, w] (upsample; or scaleFactor)',
  alignCorners: 'boolean (bilinear upsample)',
  upscaleFactor: 'int (pixelShuffle; required there)',
};

const optionProperties: Record<string, JsonSchema> = {};
for (const name of Object.keys(OPTION_DESCRIPTIONS)) optionProperties[name] = { description: OPTION_DESCRIPTIONS[name] as string } as JsonSchema;

export const computeLayerTool = defineTool<ComputeLayerInput, ComputeLayerData>({
  name: 'compute_layer',
  title: 'Compute Layer',
  description:
    'Computes one layer exactly as PyTorch does (float64) on small tensors given as nested arrays, so you can check arithmetic instead of guessing. ' +
    'op: convTranspose2d (F.conv_transpose2d), conv2d (F.conv2d), maxPool2d, avgPool2d, upsample (F.interpolate, nearest/bilinear), pixelShuffle. ' +
    'input: [H, W], [C, H, W] or [N, C, H, W]. weight (convolutions only): [kH, kW] for a matrix input, else PyTorch\'s layout ' +
    '([C_in, C_out/groups, kH, kW] transposed, [C_out, C_in/groups, kH, kW] plain). options use camelCase PyTorch names: ' +
    'stride, padding, outputPadding, dilation, groups, bias, kernelSize, ceilMode, countIncludePad, mode, scaleFactor, size, alignCorners, upscaleFactor. ' +
    `Returns { shape, data } with data flattened row-major. At most ${MAX_TOOL_VALUES} values per tensor and in the output. ` +
    'If PyTorch would refuse the call, the result is an error with the reason.',
  inputSchema: {
    type: 'object',
    properties: {
      op: { type: 'string', enum: COMPUTE_OPS, description: 'The layer to compute.' },
      input: { type: 'array', description: 'The input tensor as nested arrays of numbers: [H, W], [C, H, W] or [N, C, H, W].' },
      weight: { type: 'array', description: 'The kernel as nested arrays (convTranspose2d and conv2d only).' },
      options: { type: 'object', description: "The layer's options, under the engine's (camelCase PyTorch) names.", properties: optionProperties, additionalProperties: false },
    },
    required: ['op', 'input'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      shape: { type: 'array', description: 'The output shape (the input\'s rank).', items: { type: 'integer' } },
      data: { type: 'array', description: 'The output values, row-major.', items: { type: 'number' } },
    },
    required: ['shape', 'data'],
    additionalProperties: false,
  },
  invocationMessage: (input) => `Layer Lens: computing ${input.op} on the tensors given (reads nothing else)`,
  execute(input) {
    const values = readTensor(input.input, 'input');
    const known = OPTIONS[input.op];
    const raw = input.options ?? {};
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) throw new ToolInputError(`Option "${key}" does not apply to ${input.op}: it takes ${known.join(', ')}.`);
    }
    const result = compute(input.op, values, input.weight, raw);
    const text = `${input.op} of a [${values.shape.join(', ')}] input gives shape [${result.shape.join(', ')}]:\n${JSON.stringify(nested(result))}`;
    return ok(text, { shape: [...result.shape], data: Array.from(result.data) });
  },
});

function compute(op: ComputeOp, input: Tensor, weightValue: readonly unknown[] | undefined, raw: Readonly<Record<string, unknown>>): Tensor {
  const convolution = op === 'convTranspose2d' || op === 'conv2d';
  if (convolution && weightValue === undefined) throw new ToolInputError(`${op} needs "weight": the kernel as nested arrays.`);
  if (!convolution && weightValue !== undefined) throw new ToolInputError(`${op} takes no "weight".`);
  const { bias: biasValue, ...rest } = raw;
  const options: Record<string, unknown> = { ...rest };
  if (biasValue !== undefined) {
    if (!Array.isArray(biasValue)) throw new ToolInputError(`Option "bias" must be an array of numbers, not ${describeValue(biasValue)}.`);
    options.bias = readTensor(biasValue, 'options.bias');
  }
  if (op === 'convTranspose2d') {
    const weight = readTensor(weightValue as readonly unknown[], 'weight');
    const { shape } = outputShape('convTranspose2d', input.shape, { ...options, bias: undefined, weightShape: weight.shape, ...(options.bias ? { biasShape: (options.bias as Tensor).shape } : {}) } as never);
    checkOutput(shape, input.data.length * weight.data.length);
    return convTranspose2d(input, weight, options as never);
  }
  const call = (convolution ? { op, input, weight: readTensor(weightValue as readonly unknown[], 'weight'), options } : { op, input, options }) as GatherLayerCall;
  const { shape } = gatherLayerShape(call);
  checkOutput(shape, gatherLayerWork(call, shape));
  return runGatherLayer(call);
}

function checkOutput(shape: readonly number[], work: number): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > MAX_TOOL_VALUES) throw new LayerError('too-large', `the output [${shape.join(', ')}] would hold ${size} values; compute_layer returns at most ${MAX_TOOL_VALUES}: use smaller tensors`);
  if (work > MAX_TOOL_WORK) throw new LayerError('too-large', `the call would take ${work} operations; compute_layer does at most ${MAX_TOOL_WORK}: use smaller tensors`);
}

/**
 * Nested arrays of finite numbers, rectangular, 1-D to 4-D, → a tensor. Read level by level
 * (never recursing into the value), so a deeply nested or ragged value is answered, not followed.
 */
export function readTensor(value: readonly unknown[], name: string): Tensor {
  const shape: number[] = [];
  let level: readonly unknown[] = [value];
  for (;;) {
    const first = level[0] as unknown;
    if (!Array.isArray(level[0])) break;
    if (shape.length === PARSE_MAX_RANK) throw new ToolInputError(`"${name}" is nested more than ${PARSE_MAX_RANK} deep: the engine takes 1-D to 4-D tensors.`);
    const length = (first as unknown[]).length;
    if (length === 0) throw new ToolInputError(`"${name}" has an empty list at depth ${shape.length + 1}: every axis needs at least one value.`);
    const next: unknown[] = [];
    for (const [i, item] of level.entries()) {
      if (!Array.isArray(item) || item.length !== length) {
        throw new ToolInputError(`"${name}" is not rectangular: at depth ${shape.length + 1}, item ${i} ${Array.isArray(item) ? `has ${item.length} entries, not ${length}` : `is ${describeValue(item)}, not a list`}.`);
      }
      if (next.length + item.length > MAX_TOOL_VALUES) throw new ToolInputError(`"${name}" holds more than ${MAX_TOOL_VALUES} values, the most compute_layer takes.`);
      next.push(...(item as unknown[]));
    }
    shape.push(length);
    level = next;
  }
  const data = new Float64Array(level.length);
  for (const [i, item] of level.entries()) {
    if (typeof item !== 'number' || !Number.isFinite(item)) throw new ToolInputError(`"${name}" must hold only finite numbers, but value ${i} (row-major) is ${describeValue(item)}.`);
    data[i] = item;
  }
  return tensor(shape, data);
}

/** A tensor as nested arrays again, for the model to read. */
function nested(t: Tensor): unknown {
  const build = (axis: number, offset: number): unknown => {
    const length = t.shape[axis] as number;
    if (axis === t.shape.length - 1) return Array.from(t.data.subarray(offset, offset + length));
    const stride = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length }, (_, i) => build(axis + 1, offset + i * stride));
  };
  return t.shape.length === 0 ? t.data[0] : build(0, 0);
}
