/**
 * How much a transposed-convolution trace keeps, and how far apart its checkpoints are.
 *
 * Steps run one output plane `(n, c_out)` at a time, so the output after any step is: the finished
 * planes before it (final values), the bias in the planes after it, and one plane in progress. Only
 * that plane needs replaying, so a checkpoint is one plane, saved every K steps of its plane (the
 * plane's start, all bias, needs none). A step is then reached by restoring the nearest checkpoint
 * at or before it and replaying fewer than K steps. Memory, in bytes:
 *
 *     bytes = 8·(input + weight + bias + output + plane·(1 + checkpoints))
 *     checkpoints = planes·⌊(stepsPerPlane − 1) / K⌋
 *
 * (counts are float64 values; `plane` = H_out·W_out; the `1 +` is the replay buffer). K is the
 * smallest interval that keeps `bytes` within the budget, but at least ⌈plane / tapsPerStep⌉:
 * restoring a checkpoint already copies a plane, so replaying fewer steps than that buys nothing.
 * Hence `bytes ≤ max(budget, 8·(input + weight + bias + output + plane))`: with the default 64 MiB
 * budget, a single-plane 1024×1024 output (8 MiB) stays within 64 MiB.
 */
import { LayerError } from './errors';

/** The default budget: 64 MiB. */
export const DEFAULT_TRACE_MEMORY_BUDGET = 64 * 2 ** 20;

/** The sizes a trace's memory depends on, in float64 values (steps and taps are counts). */
export interface TraceSizes {
  readonly planes: number;
  readonly planeValues: number;
  readonly stepsPerPlane: number;
  readonly tapsPerStep: number;
  readonly inputValues: number;
  readonly weightValues: number;
  readonly biasValues: number;
}

export interface TraceMemoryPlan {
  readonly budgetBytes: number;
  /** K: a checkpoint every K steps of a plane; at most K − 1 steps are replayed to reach any step. */
  readonly checkpointInterval: number;
  readonly checkpointsPerPlane: number;
  readonly checkpointCount: number;
  /** What the trace keeps, by the formula above. */
  readonly bytes: number;
  /** The formula with this trace's numbers, for display. */
  readonly formula: string;
}

export function planTraceMemory(sizes: TraceSizes, budgetBytes: number = DEFAULT_TRACE_MEMORY_BUDGET): TraceMemoryPlan {
  if (typeof budgetBytes !== 'number' || !(budgetBytes > 0) || budgetBytes === Infinity) {
    throw new LayerError('invalid-parameter', `the trace's memory budget must be a positive number of bytes, not ${String(budgetBytes)}`);
  }
  const { planes, planeValues, stepsPerPlane, tapsPerStep } = sizes;
  const outputValues = planes * planeValues;
  const fixedValues = sizes.inputValues + sizes.weightValues + sizes.biasValues + outputValues + planeValues;
  const interval = checkpointInterval(sizes, Math.floor(budgetBytes / 8) - fixedValues);
  const checkpointsPerPlane = stepsPerPlane > 0 ? Math.floor((stepsPerPlane - 1) / interval) : 0;
  const checkpointCount = planes * checkpointsPerPlane;
  const bytes = 8 * (fixedValues + planeValues * checkpointCount);
  const formula =
    `8·(input ${sizes.inputValues} + weight ${sizes.weightValues} + bias ${sizes.biasValues} + output ${outputValues} + plane ${planeValues}·(1 + ${checkpointCount} checkpoints)) = ${bytes} bytes; ` +
    `a checkpoint every ${interval} of a plane's ${stepsPerPlane} steps (${tapsPerStep} taps each)`;
  return { budgetBytes, checkpointInterval: interval, checkpointsPerPlane, checkpointCount, bytes, formula };
}

/** The smallest K whose checkpoints fit in `spareValues`, and no smaller than the cost of restoring one. */
function checkpointInterval(sizes: TraceSizes, spareValues: number): number {
  const { planes, planeValues, stepsPerPlane, tapsPerStep } = sizes;
  if (planes === 0 || stepsPerPlane <= 1) return 1;
  const worthwhile = Math.max(1, Math.ceil(planeValues / Math.max(1, tapsPerStep)));
  const affordablePerPlane = Math.floor(Math.max(0, spareValues) / planeValues / planes);
  // ⌊(S − 1)/K⌋ ≤ c holds for K = ⌈S/(c + 1)⌉; with c = 0 that is one interval spanning the plane.
  const affordable = Math.ceil(stepsPerPlane / (Math.min(affordablePerPlane, stepsPerPlane - 1) + 1));
  return Math.min(stepsPerPlane, Math.max(worthwhile, affordable));
}
