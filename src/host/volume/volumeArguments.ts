/**
 * The arguments of a 1-D or 3-D layer given to "Transposed Convolution" or "Inspect Layer" as
 * `{ op, input, weight, options, show }` (from keybindings, tests and other extensions, so checked
 * field by field). Tensors are nested arrays or `{ shape, data }`; a sequence `[L]` or a volume
 * `[D, H, W]` is read as one image of one channel (src/core/engine/volumeLayer.ts). The input may
 * also be a literal in a document: its text, its place `{ uri, position }`, or, left out, the
 * selection or the literal at the cursor. No `vscode` here.
 */
import { tensor, type Tensor } from '../../core/engine/tensor';
import { isVolumeLayerOp, VOLUME_LAYER_OPS, WEIGHTED_VOLUME_OPS, type VolumeLayerCall, type VolumeLayerOp } from '../../core/protocol/volume';
import { isArgumentsObject, isSourcePlace, tensorFromNested, UserFacingError, type SourcePlace } from '../common/arguments';

/**
 * Where the input comes from when it is not given as numbers: the text of a literal, the place of
 * one in an open document, or (`undefined`) the active editor's selection or the literal at its
 * cursor. It is read for the op as PyTorch reads a tensor of its rank (src/core/insight/volumeInput.ts).
 */
export interface LiteralInput {
  readonly literal: string | SourcePlace | undefined;
}

export interface VolumeArguments {
  /** The call; `input` is absent when it is a {@link LiteralInput}, read by the command. */
  readonly call: Omit<VolumeLayerCall, 'input'> & { readonly input?: Tensor };
  readonly literal?: LiteralInput;
  /** Whether to open the panel (default true); `false` only returns the result. */
  readonly show: boolean;
}

const KNOWN = new Set(['op', 'input', 'weight', 'options', 'show']);

/** The most values a tensor argument may hold before it is read (a bound, not PyTorch's). */
export const MAX_ARGUMENT_VALUES = 4_000_000;

/** Whether `value` asks for one of the 1-D or 3-D layers (`ops` of them), so that this reader is the one to use. */
export function asksForVolumeLayer(value: unknown, ops: readonly VolumeLayerOp[] = VOLUME_LAYER_OPS): boolean {
  return isArgumentsObject(value) && isVolumeLayerOp(value.op) && ops.includes(value.op);
}

export function readVolumeArguments(value: unknown, command: string): VolumeArguments {
  if (!isArgumentsObject(value)) throw new UserFacingError(`${command} with a 1-D or 3-D layer takes an arguments object { op, input, weight, options, show }.`);
  for (const key of Object.keys(value)) {
    if (!KNOWN.has(key)) throw new UserFacingError(`Unknown argument "${key}": ${command} with a 1-D or 3-D layer takes ${[...KNOWN].join(', ')}.`);
  }
  const op = value.op;
  if (!isVolumeLayerOp(op)) throw new UserFacingError(`Argument "op" must be one of ${VOLUME_LAYER_OPS.join(', ')}, not ${JSON.stringify(op)}.`);
  // No input, a literal's text or its place: the command reads it from the document.
  const literal = value.input === undefined || typeof value.input === 'string' || isSourcePlace(value.input) ? { literal: value.input } : undefined;
  const input = literal ? undefined : readTensor(value.input, 'input');
  const weighted = WEIGHTED_VOLUME_OPS.includes(op);
  if (weighted && value.weight === undefined) throw new UserFacingError(`Argument "weight" is missing: ${op} needs a weight (nested arrays or { shape, data }).`);
  if (!weighted && value.weight !== undefined) throw new UserFacingError(`Argument "weight" does not apply: ${op} has no weight.`);
  const options = readOptions(value.options);
  if (value.show !== undefined && typeof value.show !== 'boolean') throw new UserFacingError(`Argument "show" must be true or false, not ${JSON.stringify(value.show)}.`);
  const call = { op, ...(input ? { input } : {}), ...(weighted ? { weight: readTensor(value.weight, 'weight') } : {}), options };
  return { call, ...(literal ? { literal } : {}), show: value.show !== false };
}

/** Nested arrays (up to 5 levels) or `{ shape, data }` with as many numbers as the shape says. */
export function readTensor(value: unknown, name: string): Tensor {
  if (Array.isArray(value)) return nestedTensor(value, name);
  if (typeof value === 'object' && value !== null) {
    const { shape, data } = value as { shape?: unknown; data?: unknown };
    if (!Array.isArray(shape) || shape.length === 0 || shape.length > 5 || !shape.every((d) => Number.isSafeInteger(d) && d >= 1)) {
      throw new UserFacingError(`Argument "${name}" has no valid "shape": give 1 to 5 whole numbers of at least 1.`);
    }
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (size > MAX_ARGUMENT_VALUES) throw new UserFacingError(`Argument "${name}" has ${size.toLocaleString('en-US')} values, more than ${MAX_ARGUMENT_VALUES.toLocaleString('en-US')}.`);
    const values = data instanceof Float64Array ? Array.from(data) : data;
    if (!Array.isArray(values) || values.length !== size || !values.every((v) => typeof v === 'number')) {
      throw new UserFacingError(`Argument "${name}": "data" must be ${size} numbers (the shape [${(shape as number[]).join(', ')}]), in row-major order.`);
    }
    return tensor(shape as number[], values as number[]);
  }
  throw new UserFacingError(`Argument "${name}" must be nested arrays of numbers or { shape, data }, not ${JSON.stringify(value)}.`);
}

/** Nested arrays 5 levels deep are read as a 4-D `[N·C·D, H, W]`… by tensorFromNested; a rank-5 batch is read here. */
function nestedTensor(value: readonly unknown[], name: string): Tensor {
  const depth = nestingDepth(value);
  if (depth <= 4) return tensorFromNested(value, name);
  if (depth > 5) throw new UserFacingError(`Argument "${name}" is nested more than 5 levels deep.`);
  // [N][C][D][H][W]: read each image's 4-D block and stack them.
  const images = value.map((image, n) => {
    if (!Array.isArray(image)) throw new UserFacingError(`Argument "${name}" is ragged: [${n}] is not a list.`);
    return tensorFromNested(image, `${name}[${n}]`);
  });
  const first = images[0] as Tensor;
  const ragged = images.findIndex((t) => t.shape.join() !== first.shape.join() || t.shape.length !== 4);
  if (ragged >= 0) throw new UserFacingError(`Argument "${name}" is ragged: [${ragged}] has the shape [${(images[ragged] as Tensor).shape.join(', ')}], not [${first.shape.join(', ')}].`);
  const data = new Float64Array(images.length * first.data.length);
  images.forEach((t, n) => data.set(t.data, n * first.data.length));
  return tensor([images.length, ...first.shape], data);
}

function nestingDepth(value: unknown): number {
  let depth = 0;
  for (let level = value; Array.isArray(level) && depth <= 6; level = level[0]) depth++;
  return depth;
}

/** Option values are the engine's to judge; here they must only be numbers, booleans, strings or short lists of numbers. */
function readOptions(value: unknown): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (!isArgumentsObject(value) || Object.getPrototypeOf(value) !== Object.prototype) throw new UserFacingError(`Argument "options" must be an object such as { stride: 2, padding: 1 }, not ${JSON.stringify(value)}.`);
  for (const [key, v] of Object.entries(value)) {
    const plain = typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || (Array.isArray(v) && v.length <= 3 && v.every((x) => typeof x === 'number'));
    if (!plain) throw new UserFacingError(`Option "${key}" must be a number, a list of up to 3 numbers, true or false, or a word, not ${JSON.stringify(v)}.`);
    if (key === 'bias') throw new UserFacingError('Option "bias" is not taken here: the panel shows the layer without bias.');
  }
  return { ...value };
}
