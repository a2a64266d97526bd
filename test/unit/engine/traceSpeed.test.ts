/**
 * How fast a trace reaches an arbitrary step of a 256×256 output, and what the trace keeps. This
 * logs measurements; its assertions are deliberately loose (a slow CI machine must not fail it).
 */
import * as assert from 'node:assert/strict';
import { planConvTransposeTrace, traceConvTranspose2d, type Tensor } from '../../../src/core/engine/index';

/** Deterministic values in [−1, 1) (a linear congruential generator), so runs are comparable. */
function pseudoRandom(shape: readonly number[], seed: number): Tensor {
  let state = seed;
  const data = Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 31 - 1;
  });
  return { shape, data };
}

describe('trace speed (logged, loosely asserted)', () => {
  it('input=128x128 k=4 s=2 p=1 (256×256 output): any step in well under 5 ms', () => {
    const input = pseudoRandom([128, 128], 1);
    const weight = pseudoRandom([4, 4], 2);
    let started = performance.now();
    const trace = traceConvTranspose2d(input, weight, { stride: 2, padding: 1 });
    const buildMs = performance.now() - started;
    assert.deepEqual(trace.output.shape, [256, 256]);

    const buffer = new Float64Array(trace.output.data.length);
    let pick = 12345;
    const nextCount = () => {
      pick = (pick * 1103515245 + 12345) % 2 ** 31;
      return pick % (trace.stepCount + 1);
    };
    const measure = (into: Float64Array | undefined): number[] => {
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const count = nextCount();
        started = performance.now();
        trace.outputAfterSteps(count, into);
        trace.step(Math.min(count, trace.stepCount - 1));
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    };
    measure(buffer); // warm-up: let the JIT compile the replay loop
    const reused = measure(buffer);
    const fresh = measure(undefined);
    const at = (times: number[], q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(3);
    const median = Number(at(reused, 0.5));
    console.log(
      `      256×256 output, ${trace.stepCount} steps: build ${buildMs.toFixed(1)} ms; random access (step + partial output) into a reused buffer: ` +
        `median ${at(reused, 0.5)} ms, p95 ${at(reused, 0.95)} ms, worst ${at(reused, 1)} ms; into a fresh tensor: median ${at(fresh, 0.5)} ms, worst ${at(fresh, 1)} ms; ` +
        `K = ${trace.memory.checkpointInterval}, ${trace.memory.checkpointCount} checkpoints, ${(trace.memoryBytes / 2 ** 20).toFixed(2)} MiB`,
    );
    assert.ok(median < 50, `median ${median} ms`);
  });

  it('memory figures: 1024×1024 outputs stay within the 64 MiB budget', () => {
    for (const [label, inSize, kernel, options] of [
      ['k4 s2 p1', 512, 4, { stride: 2, padding: 1 }],
      ['k3 s1', 1022, 3, {}],
      ['k1 s1', 1024, 1, {}],
    ] as const) {
      const plan = planConvTransposeTrace([inSize, inSize], [kernel, kernel], options);
      console.log(`      1024×1024 ${label}: ${(plan.bytes / 2 ** 20).toFixed(2)} MiB — ${plan.formula}`);
      assert.ok(plan.bytes <= 64 * 2 ** 20);
    }
  });
});
