/**
 * Normalising PyTorch-style options: an int that stands for every spatial axis, or one value per
 * axis. Every layer reads its options through here, so a half-valid option (`stride: [2, 0]`,
 * `padding: 1.5`, `groups: NaN`) is refused in one place, naming the parameter and the value.
 */
import { LayerError } from './errors';

/** An int for both spatial axes, or `[h, w]`, as PyTorch's 2-D layers take them. */
export type IntPair = number | readonly [number, number];
/** An int, or `[l]`, as PyTorch's 1-D layers take them. */
export type IntSingle = number | readonly [number];
/** An int for every spatial axis, or `[d, h, w]`, as PyTorch's 3-D layers take them. */
export type IntTriple = number | readonly [number, number, number];
/** A normalised `[height, width]` pair. */
export type Pair = readonly [number, number];
/** A normalised `[depth, height, width]` triple. */
export type Triple = readonly [number, number, number];

/** What an integer option must satisfy: strides, dilations, kernel sizes are positive; paddings may be 0. */
export type IntegerRule = 'positive' | 'non-negative';

const axisNames = ['height', 'width'] as const;

/** Reads one integer option (`groups`, `upscale_factor`), or `fallback` when it is absent. */
export function readInteger(name: string, value: unknown, fallback: number, rule: IntegerRule): number {
  if (value === undefined) return fallback;
  if (!isValidInteger(value, rule)) checkInteger(name, value, rule, describeValue(value));
  return value as number;
}

/** Reads an int-or-`[h, w]` option into a pair, or `[fallback, fallback]` when it is absent. */
export function readIntPair(name: string, value: unknown, fallback: number, rule: IntegerRule): Pair {
  if (value === undefined) return [fallback, fallback];
  if (typeof value === 'number') {
    if (!isValidInteger(value, rule)) checkInteger(name, value, rule, describeValue(value));
    return [value, value];
  }
  if (Array.isArray(value) && value.length === 2) {
    const [height, width] = value as unknown[];
    // The message is built only for a bad entry: pairs are read on every layer call.
    if (!isValidInteger(height, rule)) checkInteger(name, height, rule, `${describeValue(value)}: the ${axisNames[0]} value ${describeValue(height)}`);
    if (!isValidInteger(width, rule)) checkInteger(name, width, rule, `${describeValue(value)}: the ${axisNames[1]} value ${describeValue(width)}`);
    return [height as number, width as number];
  }
  throw new LayerError('invalid-parameter', `${name} must be an int or a pair [h, w], not ${describeValue(value)}`);
}

/** Reads an int-or-`[l]` option of a 1-D layer. */
export function readIntSingle(name: string, value: unknown, fallback: number, rule: IntegerRule): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') {
    if (!isValidInteger(value, rule)) checkInteger(name, value, rule, describeValue(value));
    return value;
  }
  if (Array.isArray(value) && value.length === 1) {
    if (!isValidInteger(value[0], rule)) checkInteger(name, value[0], rule, describeValue(value));
    return value[0] as number;
  }
  throw new LayerError('invalid-parameter', `${name} must be an int or a one-element list [l], not ${describeValue(value)}`);
}

/** Reads an int-or-`[d, h, w]` option of a 3-D layer into a triple, or `[fallback, fallback, fallback]` when it is absent. */
export function readIntTriple(name: string, value: unknown, fallback: number, rule: IntegerRule): Triple {
  if (value === undefined) return [fallback, fallback, fallback];
  if (typeof value === 'number') {
    if (!isValidInteger(value, rule)) checkInteger(name, value, rule, describeValue(value));
    return [value, value, value];
  }
  if (Array.isArray(value) && value.length === 3) {
    (value as unknown[]).forEach((entry, index) => {
      if (!isValidInteger(entry, rule)) checkInteger(name, entry, rule, `${describeValue(value)}: the ${volumeAxisNames[index] as string} value ${describeValue(entry)}`);
    });
    return [value[0] as number, value[1] as number, value[2] as number];
  }
  throw new LayerError('invalid-parameter', `${name} must be an int or a triple [d, h, w], not ${describeValue(value)}`);
}

const volumeAxisNames = ['depth', 'height', 'width'] as const;

/**
 * Reads a spatial option of a layer of `spatialRank` axes as `[d, h, w]`: a 3-D layer's triple, a
 * 2-D layer's pair or a 1-D layer's single value filling the last axes, the others neutral (1 for
 * strides, dilations and kernel sizes; 0 for paddings), so that kernels read every rank alike.
 */
export function readSpatialTriple(name: string, value: unknown, fallback: number, rule: IntegerRule, spatialRank: 1 | 2 | 3): Triple {
  const neutral = rule === 'positive' ? 1 : 0;
  if (spatialRank === 3) return readIntTriple(name, value, fallback, rule);
  if (spatialRank === 1) return [neutral, neutral, readIntSingle(name, value, fallback, rule)];
  // No spread: array spread is a slow path in V8, and this runs on every layer call.
  const pair = readIntPair(name, value, fallback, rule);
  return [neutral, pair[0], pair[1]];
}

/**
 * Reads a positive real number, or one per axis (`scale_factor`), for a layer of `axes` spatial
 * axes: `[l]` for 1-D, `[d, h, w]` for 3-D. (2-D layers use {@link readPositivePair}.)
 */
export function readPositiveList(name: string, value: unknown, axes: 1 | 3): number[] {
  const names = axes === 1 ? ['length'] : volumeAxisNames;
  const form = axes === 1 ? '[l]' : '[d, h, w]';
  const check = (entry: unknown, what: string): number => {
    if (typeof entry !== 'number' || !Number.isFinite(entry) || entry <= 0) {
      throw new LayerError('invalid-parameter', `${name} ${what} must be a positive, finite number`);
    }
    return entry;
  };
  if (typeof value === 'number') return new Array<number>(axes).fill(check(value, `(${describeValue(value)})`));
  if (Array.isArray(value) && value.length === axes) {
    return (value as unknown[]).map((entry, index) => check(entry, `${describeValue(value)}: the ${names[index] as string} value ${describeValue(entry)}`));
  }
  throw new LayerError('invalid-parameter', `${name} must be a number or a list ${form}, not ${describeValue(value)}`);
}

/** Reads a positive real number or `[h, w]` of them (`scale_factor`, which need not be whole). */
export function readPositivePair(name: string, value: unknown): Pair {
  const check = (entry: unknown, what: string): number => {
    if (typeof entry !== 'number' || !Number.isFinite(entry) || entry <= 0) {
      throw new LayerError('invalid-parameter', `${name} ${what} must be a positive, finite number`);
    }
    return entry;
  };
  if (typeof value === 'number') {
    const v = check(value, `(${describeValue(value)})`);
    return [v, v];
  }
  if (Array.isArray(value) && value.length === 2) {
    return [
      check(value[0], `${describeValue(value)}: the height value ${describeValue(value[0])}`),
      check(value[1], `${describeValue(value)}: the width value ${describeValue(value[1])}`),
    ];
  }
  throw new LayerError('invalid-parameter', `${name} must be a number or a pair [h, w], not ${describeValue(value)}`);
}

/** Whether `value` is a whole number the rule allows (the check {@link checkInteger} explains when it fails). */
function isValidInteger(value: unknown, rule: IntegerRule): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= (rule === 'positive' ? 1 : 0);
}

/** Throws the message for an integer option that is not a whole number the rule allows. */
function checkInteger(name: string, value: unknown, rule: IntegerRule, shown: string): void {
  const subject = shown.startsWith('[') ? `${name} ${shown}` : `${name} (${shown})`;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new LayerError('invalid-parameter', `${subject} must be a whole number`);
  }
  if (rule === 'positive' && value < 1) {
    throw new LayerError('invalid-parameter', `${subject} must be 1 or more`);
  }
  if (rule === 'non-negative' && value < 0) {
    throw new LayerError('invalid-parameter', `${subject} must be 0 or more`);
  }
}

/** How many entries, and how many levels, of a list {@link describeValue} writes out. */
const SHOWN_ENTRIES = 8;
const SHOWN_LEVELS = 2;

/**
 * A value as a user would have typed it: `2`, `[2, 0]`, `"two"`, `NaN`. Long and deep values are cut
 * (`[[…], …]`), so a cyclic or 20,000-deep array gives a short message, not a stack overflow.
 */
export function describeValue(value: unknown, level = 0): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  if (Array.isArray(value)) {
    if (level >= SHOWN_LEVELS) return value.length === 0 ? '[]' : '[…]';
    const shown = value.slice(0, SHOWN_ENTRIES).map((entry: unknown) => describeValue(entry, level + 1));
    return `[${shown.join(', ')}${value.length > SHOWN_ENTRIES ? ', …' : ''}]`;
  }
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
