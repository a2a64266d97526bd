/**
 * The arguments object of "Layer Lens: Compare Upsampling Methods", checked field by field (it
 * arrives as `unknown` from a keybinding, a test or another extension), and turned into the lab's
 * settings. A wrong field is reported by name with what it accepts.
 */
import { tensorFromNested, UserFacingError, type MatrixArgument } from '../common/arguments';
import type { Tensor } from '../../core/engine/tensor';
import { LAB_DEFAULT_SETTINGS, LAB_LIMITS, LAB_MODES, type LabInputChoice, type LabMode, type LabSettings } from '../../core/protocol/lab';
import { type MatrixView } from '../../core/protocol/common';

export const GENERATED_INPUTS = ['constant', 'gradient', 'pattern'] as const;

export interface LabArguments {
  readonly factor?: number;
  readonly kernelSize?: number;
  readonly kernel?: MatrixArgument;
  /** A generated input's name, or a matrix (nested arrays or text). */
  readonly input?: (typeof GENERATED_INPUTS)[number] | MatrixArgument;
  readonly size?: number;
  readonly mode?: LabMode;
  readonly stages?: number;
  readonly seed?: number;
}

const KNOWN = ['factor', 'kernelSize', 'kernel', 'input', 'size', 'mode', 'stages', 'seed'] as const;

export const LAB_DEFAULTS = LAB_DEFAULT_SETTINGS;

/** `undefined` when there is no arguments object (the Command Palette, or a URI from a menu). */
export function readLabArguments(value: unknown): LabArguments | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || ('scheme' in value && 'path' in value)) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(KNOWN as readonly string[]).includes(key)) throw new UserFacingError(`Unknown argument "${key}": Compare Upsampling Methods takes ${KNOWN.join(', ')}.`);
  }
  const { factor, kernelSize, size, stages } = LAB_LIMITS;
  const input = record.input;
  if (input !== undefined && typeof input !== 'string' && !Array.isArray(input)) {
    throw new UserFacingError(`Argument "input" must be ${GENERATED_INPUTS.map((i) => `"${i}"`).join(', ')} or a matrix (nested arrays or its text), not ${describe(input)}.`);
  }
  const kernel = record.kernel;
  if (kernel !== undefined && typeof kernel !== 'string' && !Array.isArray(kernel)) {
    throw new UserFacingError(`Argument "kernel" must be a matrix (nested arrays or its text), not ${describe(kernel)}.`);
  }
  const mode = record.mode;
  if (mode !== undefined && !(LAB_MODES as readonly unknown[]).includes(mode)) throw new UserFacingError(`Argument "mode" must be "nearest" or "bilinear", not ${describe(mode)}.`);
  return {
    factor: whole(record.factor, 'factor', factor.min, factor.max),
    kernelSize: whole(record.kernelSize, 'kernelSize', kernelSize.min, kernelSize.max),
    kernel: kernel as MatrixArgument | undefined,
    input: input as LabArguments['input'],
    size: whole(record.size, 'size', size.min, size.max),
    mode: mode as LabMode | undefined,
    stages: whole(record.stages, 'stages', stages.min, stages.max),
    seed: whole(record.seed, 'seed', 0, 0xffffffff),
  };
}

function whole(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value;
  throw new UserFacingError(`Argument "${name}" must be a whole number from ${min} to ${max}, not ${describe(value)}.`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  return typeof value === 'string' ? `"${value}"` : typeof value === 'object' ? 'an object' : String(value);
}

/** A matrix for the lab: 2-D (a 1-D list is one row), at most `maxSide` a side. */
export function labMatrix(t: Tensor, name: string, maxSide: number): MatrixView {
  const [rows, cols] = t.shape.length === 2 ? (t.shape as [number, number]) : t.shape.length === 1 ? [1, t.shape[0] as number] : [0, 0];
  if (rows === 0) throw new UserFacingError(`The ${name} is a ${t.shape.length}-D tensor of shape [${t.shape.join(', ')}]; the lab compares on one 2-D matrix ([H, W]).`);
  if (Math.max(rows, cols) > maxSide) throw new UserFacingError(`The ${name} is ${rows}×${cols}; the lab takes at most ${maxSide} values a side.`);
  return { rows, cols, data: t.data };
}

/** The settings from checked arguments, with the lab's defaults for what they leave out; `matrices` parses text. */
export function labSettingsFrom(args: LabArguments, parse: (value: MatrixArgument, name: string) => Tensor = (v, n) => tensorFromNested(v as readonly unknown[], n)): LabSettings {
  const kernel = args.kernel === undefined ? undefined : labMatrix(parse(args.kernel, 'kernel'), 'kernel', LAB_LIMITS.kernelSize.max);
  let input: LabInputChoice = LAB_DEFAULTS.input;
  let matrix: MatrixView | undefined;
  if (typeof args.input === 'string' && (GENERATED_INPUTS as readonly string[]).includes(args.input)) input = args.input as LabInputChoice;
  else if (args.input !== undefined) {
    input = 'matrix';
    matrix = labMatrix(parse(args.input, 'input'), 'input', LAB_LIMITS.inputSide);
  }
  return {
    factor: args.factor ?? LAB_DEFAULTS.factor,
    kernelSize: kernel ? Math.max(kernel.rows, kernel.cols) : (args.kernelSize ?? LAB_DEFAULTS.kernelSize),
    ...(kernel ? { kernel } : {}),
    input,
    size: args.size ?? LAB_DEFAULTS.size,
    mode: args.mode ?? LAB_DEFAULTS.mode,
    stages: args.stages ?? LAB_DEFAULTS.stages,
    seed: args.seed ?? LAB_DEFAULTS.seed,
    ...(matrix ? { matrix, matrixLabel: `your ${matrix.rows}×${matrix.cols} matrix` } : {}),
  };
}
