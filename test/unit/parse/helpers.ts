import * as assert from 'node:assert/strict';
import { ParseError, parseMatrix, type Notation, type ParseProblem } from '../../../src/core/parse/index';

/** Asserts a tensor's shape and values (NaN equal to NaN, -0 distinct from 0). */
export function assertTensor(actual: { shape: readonly number[]; data: Float64Array }, shape: readonly number[], values: readonly number[]): void {
  assert.deepEqual([...actual.shape], [...shape]);
  assert.equal(actual.data.length, values.length, 'value count');
  values.forEach((v, k) => assert.ok(Object.is(actual.data[k], v), `value ${k}: expected ${v}, got ${actual.data[k]}`));
}

export function parses(text: string, shape: readonly number[], values: readonly number[], notation?: Notation): void {
  assertTensor(parseMatrix(text, notation), shape, values);
}

/**
 * Asserts that parsing fails with a ParseError whose message matches and whose range covers the
 * given piece of the text (`at` is the exact source text the range should span, found at its
 * `occurrence`-th appearance).
 */
export function fails(text: string, message: RegExp, at: string, options: { notation?: Notation; occurrence?: number; problem?: ParseProblem } = {}): ParseError {
  let error: unknown;
  try {
    parseMatrix(text, options.notation);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ParseError, `expected a ParseError for ${JSON.stringify(text)}, got ${String(error)}`);
  assert.match(error.message, message);
  let start = -1;
  for (let k = 0; k <= (options.occurrence ?? 0); k++) start = text.indexOf(at, start + 1);
  assert.ok(start >= 0, `test bug: ${JSON.stringify(at)} not in text`);
  assert.deepEqual({ start: error.range.start, end: error.range.end, text: text.slice(error.range.start, error.range.end) }, { start, end: start + at.length, text: at });
  if (options.problem) assert.equal(error.problem, options.problem);
  return error;
}
