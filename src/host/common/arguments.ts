/**
 * Validation of the arguments object that keybindings, tests and other extensions pass to Layer
 * Lens commands. It arrives as `unknown` (a keybinding's JSON, another extension's object), so every
 * field is checked and a wrong one is reported by name instead of failing somewhere deeper.
 */
import { isKernelPresetKind, KERNEL_PRESETS, type KernelPresetKind } from '../../core/engine/kernelPresets';
import { tensor, type Tensor } from '../../core/engine/tensor';

/** A problem the user (or the caller) can fix; its message is shown as it is. */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(message: string, readonly reveal?: { uri: string; start: number; end: number }) {
    super(message);
  }
}

/** Where a literal is in an open document, as the CodeLens passes it (0-based line and character). */
export interface SourcePlace {
  readonly uri: string;
  readonly position: { readonly line: number; readonly character: number };
}

/**
 * A matrix given as nested number arrays (`[[1, 2], [3, 4]]`), as text in a notation the parser
 * reads, or as the place of a literal in an open document (read there when the command runs).
 */
export type MatrixArgument = readonly unknown[] | string | SourcePlace;
/** An int (both axes) or `[h, w]`, like PyTorch. */
export type PairArgument = number | readonly [number, number];

export interface TransposedConvolutionArguments {
  readonly input?: MatrixArgument;
  readonly kernel?: MatrixArgument;
  readonly stride?: PairArgument;
  readonly padding?: PairArgument;
  readonly outputPadding?: PairArgument;
  readonly dilation?: PairArgument;
  /** PyTorch's `groups`: input and output channels split into this many groups. */
  readonly groups?: number;
}

const knownKeys = new Set(['input', 'kernel', 'stride', 'padding', 'outputPadding', 'dilation', 'groups']);

/**
 * A command's arguments object as a record, checked for unknown keys; `{}` when there is none (no
 * argument, or the URI VS Code passes when the command runs from an editor menu or title).
 */
export function argumentRecord(value: unknown, command: string, known: ReadonlySet<string>): Record<string, unknown> {
  if (!isArgumentsObject(value)) return {};
  const record = value;
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw new UserFacingError(`Unknown argument "${key}": ${command} takes ${[...known].join(', ')}.`);
  }
  return record;
}

export function readTransposedConvolutionArguments(value: unknown): TransposedConvolutionArguments {
  const record = argumentRecord(value, 'Transposed Convolution', knownKeys);
  if (Object.keys(record).length === 0) return {};
  return {
    input: readMatrixArgument(record.input, 'input'),
    kernel: readMatrixArgument(record.kernel, 'kernel'),
    stride: readPairArgument(record.stride, 'stride'),
    padding: readPairArgument(record.padding, 'padding'),
    outputPadding: readPairArgument(record.outputPadding, 'outputPadding'),
    dilation: readPairArgument(record.dilation, 'dilation'),
    groups: readGroupsArgument(record.groups),
  };
}

export function readGroupsArgument(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  throw new UserFacingError(`Argument "groups" must be a whole number of at least 1, not ${describe(value)}.`);
}

/**
 * Whether a command was given an arguments object, rather than nothing (the palette, a keybinding
 * without `args`) or the URI VS Code passes from an editor menu: without one, a person is there to
 * answer questions.
 */
export function isArgumentsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUriLike(value);
}

function isUriLike(value: object): boolean {
  return 'scheme' in value && 'path' in value;
}

/** `layerLens.setKernel`: a matrix, or a preset with its parameters; neither means "ask". */
export interface SetKernelArguments {
  readonly kernel?: MatrixArgument;
  readonly preset?: KernelPresetKind;
  readonly size?: PairArgument;
  readonly sigma?: number;
  readonly seed?: number;
}

const setKernelKeys = new Set(['kernel', 'preset', 'size', 'sigma', 'seed']);

export function readSetKernelArguments(value: unknown): SetKernelArguments {
  const record = argumentRecord(value, 'Set Kernel', setKernelKeys);
  if (Object.keys(record).length === 0) return {};
  const preset = record.preset;
  if (preset !== undefined && !isKernelPresetKind(preset)) {
    throw new UserFacingError(`Argument "preset" must be one of ${KERNEL_PRESETS.map((p) => p.kind).join(', ')}, not ${describe(preset)}.`);
  }
  if (preset !== undefined && record.kernel !== undefined) throw new UserFacingError('Give either "kernel" or "preset", not both.');
  return {
    kernel: readMatrixArgument(record.kernel, 'kernel'),
    preset,
    size: readPairArgument(record.size, 'size'),
    sigma: readNumberArgument(record.sigma, 'sigma'),
    seed: readNumberArgument(record.seed, 'seed'),
  };
}

export function readNumberArgument(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new UserFacingError(`Argument "${name}" must be a number, not ${describe(value)}.`);
}

export function readMatrixArgument(value: unknown, name: string): MatrixArgument | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || Array.isArray(value) || isSourcePlace(value)) return value;
  throw new UserFacingError(`Argument "${name}" must be a nested array of numbers, the text of a matrix or its place { uri, position }, not ${describe(value)}.`);
}

export function isSourcePlace(value: unknown): value is SourcePlace {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { uri, position } = value as { uri?: unknown; position?: { line?: unknown; character?: unknown } };
  return typeof uri === 'string' && typeof position === 'object' && position !== null && Number.isSafeInteger(position.line) && Number.isSafeInteger(position.character);
}

export function readPairArgument(value: unknown, name: string): PairArgument | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return [value[0] as number, value[1] as number];
  }
  throw new UserFacingError(`Argument "${name}" must be a number or a pair [h, w], not ${describe(value)}.`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  return typeof value === 'string' ? `"${value}"` : typeof value === 'object' ? 'an object' : String(value);
}

/**
 * A matrix from nested arrays: `[1, 2, 3]` is 1-D, `[[1, 2], [3, 4]]` 2-D, and so on up to 4-D.
 * Every row must have the same length and every leaf must be a number.
 */
export function tensorFromNested(value: readonly unknown[], name: string): Tensor {
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (shape.length > 4) throw new UserFacingError(`Argument "${name}" is nested more than 4 levels deep.`);
    if (level.length === 0) throw new UserFacingError(`Argument "${name}" has an empty list.`);
  }
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  // One mutable index path, read only to word an error; depth is at most 4, so recursion is safe.
  const path: number[] = [];
  const where = () => `[${path.join('][')}]`;
  let filled = 0;
  const visit = (node: unknown, depth: number): void => {
    const expected = shape[depth];
    if (expected === undefined) {
      if (typeof node !== 'number') throw new UserFacingError(`Argument "${name}" at ${where()} is ${describe(node)}, not a number.`);
      data[filled++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== expected) {
      const got = Array.isArray(node) ? `${node.length} values` : describe(node);
      throw new UserFacingError(`Argument "${name}" is ragged: ${where()} has ${got} where ${expected} values are expected.`);
    }
    for (let i = 0; i < expected; i++) {
      path.push(i);
      visit(node[i], depth + 1);
      path.pop();
    }
  };
  visit(value, 0);
  return tensor(shape, data);
}

/** "2" or "2, 1" → a pair; anything else is explained while the user types. */
export function parseStrideText(text: string): readonly [number, number] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 2) return 'Type a stride: one whole number (2) or two for height and width (2, 1).';
  const values = parts.map(Number);
  const bad = parts.find((_, i) => !Number.isInteger(values[i]) || (values[i] ?? 0) < 1);
  if (bad !== undefined) return `"${bad}" is not a valid stride: a stride is a whole number of at least 1.`;
  return [values[0] ?? 1, values[1] ?? values[0] ?? 1];
}

/** "4" or "3, 5"; a message otherwise. */
export function readSizeText(text: string): number | [number, number] | string {
  const parts = text.split(/[\s,×x]+/).filter(Boolean);
  const values = parts.map(Number);
  if (parts.length === 0 || parts.length > 2 || values.some((v) => !Number.isInteger(v) || v < 1)) return 'Type a size: one whole number of at least 1 (4), or height and width (3, 5).';
  return parts.length === 1 ? (values[0] as number) : [values[0] as number, values[1] as number];
}

/** A 0-based place in a document, as commands take it: `{ line, character }`. */
export interface Place {
  readonly line: number;
  readonly character: number;
}

export function isPlace(value: unknown): value is Place {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as { line?: unknown; character?: unknown };
  return Number.isSafeInteger(line) && (line as number) >= 0 && Number.isSafeInteger(character) && (character as number) >= 0;
}
