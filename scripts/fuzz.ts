/**
 * `npm run fuzz [-- --inputs N --seed S --size CHARS]`: the seeded fuzzer of the unit tests
 * (test/unit/reliability/hostileFuzz.ts) at length, 100,000 inputs by default, in batches. Reports
 * crashes (anything but a LayerError or ParseError), calls over 100 ms, and the heap's growth from
 * the first batch to the last (after a collection, when Node runs with --expose-gc). Exits 1 on a
 * crash.
 */
import { runFuzz } from '../test/unit/reliability/hostileFuzz';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
}

const inputs = option('inputs', 100_000);
const seed = option('seed', 1);
const size = option('size', 20_000);
const batch = 5000;
const collect = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

const started = performance.now();
let calls = 0;
let slowest = 0;
const crashes: { what: string; error: string }[] = [];
const slow: { what: string; ms: number }[] = [];
let baseline = 0;
for (let done = 0, round = 0; done < inputs; done += batch, round++) {
  const report = runFuzz(seed * 1_000_003 + round, Math.min(batch, inputs - done), { maxTextLength: size, slowMs: 100 });
  calls += report.calls;
  slowest = Math.max(slowest, report.slowestMs);
  crashes.push(...report.crashes);
  slow.push(...report.slow);
  if (round === 0) baseline = collect();
  process.stdout.write(`\r${Math.min(done + batch, inputs)} / ${inputs} inputs, ${calls} calls, ${crashes.length} crashes, ${slow.length} over 100 ms`);
}
const growth = collect() - baseline;
const seconds = (performance.now() - started) / 1000;
console.log(`\n${inputs} inputs (seed ${seed}, texts up to ${size} characters), ${calls} calls in ${seconds.toFixed(1)} s`);
console.log(`crashes: ${crashes.length}`);
for (const crash of crashes.slice(0, 10)) console.log(`  ${crash.what}\n    ${crash.error.split('\n').slice(0, 3).join('\n    ')}`);
slow.sort((a, b) => b.ms - a.ms);
console.log(`calls over 100 ms: ${slow.length}; slowest ${slowest.toFixed(0)} ms`);
for (const call of slow.slice(0, 10)) console.log(`  ${call.ms.toFixed(0)} ms  ${call.what}`);
console.log(`heap growth from the first batch to the last: ${(growth / 1024 / 1024).toFixed(1)} MiB${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for a collected figure)'}`);
process.exitCode = crashes.length > 0 ? 1 : 0;
