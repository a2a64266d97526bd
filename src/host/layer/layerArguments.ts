/**
 * The arguments objects of Convolution, Pool, Upsample and Pixel Shuffle, checked field by field
 * (they arrive as `unknown` from keybindings, tests and other extensions), and the texts their
 * input boxes read. The values' ranges are the engine's to judge, in its words.
 */
import { argumentRecord, readGroupsArgument, readMatrixArgument, readNumberArgument, readPairArgument, UserFacingError, type MatrixArgument, type PairArgument } from '../common/arguments';

export interface ConvolutionArguments {
  readonly input?: MatrixArgument;
  readonly kernel?: MatrixArgument;
  readonly stride?: PairArgument;
  readonly padding?: PairArgument | 'same' | 'valid';
  readonly dilation?: PairArgument;
  readonly groups?: number;
}

export const POOL_KINDS = ['max', 'average'] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

export interface PoolArguments {
  readonly input?: MatrixArgument;
  readonly kind?: PoolKind;
  readonly kernelSize?: PairArgument;
  readonly stride?: PairArgument;
  readonly padding?: PairArgument;
  readonly dilation?: PairArgument;
  readonly ceilMode?: boolean;
  readonly countIncludePad?: boolean;
}

export const UPSAMPLE_MODES = ['nearest', 'bilinear'] as const;
export type UpsampleModeArgument = (typeof UPSAMPLE_MODES)[number];

export interface UpsampleArguments {
  readonly input?: MatrixArgument;
  readonly mode?: UpsampleModeArgument;
  readonly scaleFactor?: PairArgument;
  readonly size?: PairArgument;
  readonly alignCorners?: boolean;
}

export interface PixelShuffleArguments {
  readonly input?: MatrixArgument;
  readonly upscaleFactor?: number;
}

export function readConvolutionArguments(value: unknown): ConvolutionArguments {
  const r = argumentRecord(value, 'Convolution', new Set(['input', 'kernel', 'stride', 'padding', 'dilation', 'groups']));
  const padding = r.padding === 'same' || r.padding === 'valid' ? r.padding : readPairArgument(r.padding, 'padding');
  return compact({
    input: readMatrixArgument(r.input, 'input'),
    kernel: readMatrixArgument(r.kernel, 'kernel'),
    stride: readPairArgument(r.stride, 'stride'),
    padding,
    dilation: readPairArgument(r.dilation, 'dilation'),
    groups: readGroupsArgument(r.groups),
  });
}

export function readPoolArguments(value: unknown): PoolArguments {
  const r = argumentRecord(value, 'Pool', new Set(['input', 'kind', 'kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'countIncludePad']));
  const kind = readChoice(r.kind, 'kind', POOL_KINDS);
  if (kind === 'average' && r.dilation !== undefined) throw new UserFacingError('Argument "dilation" applies to max pooling only: average pooling (F.avg_pool2d) has none.');
  if (kind === 'max' && r.countIncludePad !== undefined) throw new UserFacingError('Argument "countIncludePad" applies to average pooling only.');
  return compact({
    input: readMatrixArgument(r.input, 'input'),
    kind,
    kernelSize: readPairArgument(r.kernelSize, 'kernelSize'),
    stride: readPairArgument(r.stride, 'stride'),
    padding: readPairArgument(r.padding, 'padding'),
    dilation: readPairArgument(r.dilation, 'dilation'),
    ceilMode: readBoolean(r.ceilMode, 'ceilMode'),
    countIncludePad: readBoolean(r.countIncludePad, 'countIncludePad'),
  });
}

export function readUpsampleArguments(value: unknown): UpsampleArguments {
  const r = argumentRecord(value, 'Upsample', new Set(['input', 'mode', 'scaleFactor', 'size', 'alignCorners']));
  if (r.scaleFactor !== undefined && r.size !== undefined) throw new UserFacingError('Give either "scaleFactor" or "size", not both (as F.interpolate).');
  return compact({
    input: readMatrixArgument(r.input, 'input'),
    mode: readChoice(r.mode, 'mode', UPSAMPLE_MODES),
    scaleFactor: readPairArgument(r.scaleFactor, 'scaleFactor'),
    size: readPairArgument(r.size, 'size'),
    alignCorners: readBoolean(r.alignCorners, 'alignCorners'),
  });
}

export function readPixelShuffleArguments(value: unknown): PixelShuffleArguments {
  const r = argumentRecord(value, 'Pixel Shuffle', new Set(['input', 'upscaleFactor']));
  return compact({ input: readMatrixArgument(r.input, 'input'), upscaleFactor: readNumberArgument(r.upscaleFactor, 'upscaleFactor') });
}

function readBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new UserFacingError(`Argument "${name}" must be true or false, not ${JSON.stringify(value)}.`);
}

function readChoice<T extends string>(value: unknown, name: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new UserFacingError(`Argument "${name}" must be ${choices.map((c) => `"${c}"`).join(' or ')}, not ${JSON.stringify(value)}.`);
}

/** Drops the fields left `undefined`, so "given" means present. */
function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/** "2" or "1.5, 2": one or two positive numbers (a scale factor need not be whole). */
export function parseScaleText(text: string): readonly [number, number] | string {
  const parts = text.split(/[\s,×x]+/).filter(Boolean);
  const values = parts.map(Number);
  if (parts.length === 0 || parts.length > 2) return 'Type a scale factor: one number (2) or height and width (2, 1.5).';
  const bad = parts.find((_, i) => !Number.isFinite(values[i]) || (values[i] as number) <= 0);
  if (bad !== undefined) return `"${bad}" is not a valid scale factor: a scale factor is a number above 0.`;
  return [values[0] as number, (values[1] ?? values[0]) as number];
}

/** A whole number of at least 1, or a message. */
export function parseWholeText(text: string, what: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isSafeInteger(value) || value < 1) return `Type ${what}: a whole number of at least 1.`;
  return value;
}

/** "1" or "1, 0": zeros added on each side, one whole number of at least 0 or one for height and one for width. */
export function parsePaddingText(text: string): number | readonly [number, number] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const values = parts.map(Number);
  if (parts.length === 0 || parts.length > 2) return 'Type a padding: one whole number (1) or height and width (1, 0).';
  const bad = parts.find((_, i) => !Number.isSafeInteger(values[i]) || (values[i] as number) < 0);
  if (bad !== undefined) return `"${bad}" is not a valid padding: a padding is a whole number of at least 0.`;
  return parts.length === 1 ? (values[0] as number) : [values[0] as number, values[1] as number];
}
