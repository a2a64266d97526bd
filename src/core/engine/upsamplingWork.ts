/**
 * How much one comparison of the upsampling methods (Compare Upsampling, a checkerboard lab run)
 * costs, estimated before anything runs, and the most Layer Lens spends on one. Its own small
 * module, free of the engine's kernels, because the lab's page reads it too: the page offers only
 * the sizes, factors, kernels and stages whose comparison the engine accepts.
 */
import { MAX_TENSOR_ELEMENTS } from './layout';
import type { Pair } from './pairs';

/**
 * The most multiply-adds one comparison (or lab stack) may take, estimated before any runs: about
 * 15 s of single-threaded work on a loaded 2-core machine (a 256×256 input at factor 4 with a 9×9
 * kernel, the lab's largest single stage, is 2 billion). Unbounded, a factor of 4097 took 101 s,
 * the lab's largest stack (32×32, factor 4, 9×9, 3 stages: 8.7 billion) 62 s, and a 64×64 one ran
 * out of memory.
 */
export const MAX_UPSAMPLING_WORK = 2.5e9;

/**
 * The estimated multiply-adds of a comparison. Per method and stage k of `stages`, every run costs
 * about `H·W·r^(2k)·kH·kW`; each method runs on the input, on ones, and (for its counts) once per
 * input row on `[H, 3]` and once per column on `[3, W]`.
 */
export function upsamplingWork([h, w]: Pair, factor: number, [kh, kw]: Pair, stages: number): number {
  let growth = 0;
  for (let k = 1; k <= stages; k++) growth += factor ** (2 * k);
  const runsArea = 2 * h * w + 3 * h * h + 3 * w * w;
  return 3 * runsArea * growth * kh * kw;
}

/**
 * Why `op` refuses the comparison (more than `budget` multiply-adds, or an output over the engine's
 * tensor limit), or undefined when it runs it. The lab passes its own, smaller budget.
 */
export function upsamplingWorkProblem(op: string, [h, w]: Pair, factor: number, [kh, kw]: Pair, stages: number, budget = MAX_UPSAMPLING_WORK): string | undefined {
  const work = upsamplingWork([h, w], factor, [kh, kw], stages);
  const outputSide = Math.max(h, w) * factor ** stages;
  if (work <= budget && outputSide * outputSide <= MAX_TENSOR_ELEMENTS) return undefined;
  return `${op} of a ${h}×${w} input by factor ${factor}${stages > 1 ? ` over ${stages} stages` : ''} with a ${kh}×${kw} kernel would take about ${formatWork(work)} multiply-adds, more than the ${formatWork(budget)} Layer Lens spends on one comparison: use a smaller input, factor, kernel or fewer stages`;
}

function formatWork(work: number): string {
  // Two significant digits, written out: 8.7 billion, 600 million (never 6.0e+2).
  return work >= 1e9 ? `${Number((work / 1e9).toPrecision(2))} billion` : work >= 1e6 ? `${Number((work / 1e6).toPrecision(2))} million` : String(Math.round(work));
}
