/** Timing shared by every in-process measurement of `npm run bench`. */
import { performance } from 'node:perf_hooks';

/**
 * Calls `fn` until `budgetMs` is spent (at least 5 times) and returns the median milliseconds per
 * call. It first warms up for a third of the budget (at least 3 calls), so the JIT has optimised the
 * code being measured: a couple of warm-up calls leave most timed calls running unoptimised code.
 * A call that returns a promise (onnxruntime's `run`) is timed until the promise settles; a
 * synchronous call is never awaited, so it pays for no extra turn of the event loop.
 */
export async function medianMs(fn: () => unknown, budgetMs: number): Promise<number> {
  const warmUntil = performance.now() + budgetMs / 3;
  for (let calls = 0; calls < 3 || performance.now() < warmUntil; calls++) {
    const result = fn();
    if (result instanceof Promise) await result;
  }
  const times: number[] = [];
  const started = performance.now();
  while (times.length < 5 || (performance.now() - started < budgetMs && times.length < 200)) {
    const t0 = performance.now();
    const result = fn();
    if (result instanceof Promise) await result;
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The median and range of one figure over several runs of the benchmark. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), count: values.length };
}
