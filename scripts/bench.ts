/**
 * `npm run bench`: how long the engine and the parsers take, through the same `dist/core.js` that
 * other tools use, and how the engine's transposed convolution compares with the libraries a user
 * could pick instead: PyTorch (float64), tfjs with its CPU and WebAssembly backends, and
 * onnxruntime (float32); and the panel: in a bare Chromium page (render, step, scrub) and in the
 * real workbench (from the command's last answer to the first painted output, and the activation
 * time VS Code reports for Layer Lens); and the checkerboard lab (256×256 through the three methods
 * and their spectra, in process and in the engine worker); and checkpoints (the tensor list of 1 GiB
 * files, the checkerboard audit of 50 layers). tfjs and onnxruntime are the package in
 * bench/, installed into bench/node_modules the first time the comparison runs. Every figure is the
 * median of repeated calls after a warm-up, on one thread; it measures and prints, it asserts
 * nothing, and a library that cannot load is skipped.
 *
 *   npm run bench [-- --only=conv|parse|stack|panel|activation|lab|checkpoint] [--runs=N] [--json <file>]
 *
 * --runs=N repeats the whole convolution comparison N times (interleaved, so each run sees the
 * machine in the same state for every library) and reports "median (range)" per figure.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { formatError, formatMs, formatRatio, formatSpread, markdownTable } from './bench/report';
import { compareConv, loadPeers, medianRatio, type CaseFigures, type Unavailable } from './bench/conv';
import { labFigures, type LabFigure } from './bench/lab';
import { panelFigures, type PanelFigure } from './bench/panel';
import { parseFigures, type ParseFigure } from './bench/parse';
import { stackFigures } from './bench/stack';
import { checkpointFigures } from './bench/checkpoint';
import { workbenchFigures } from './bench/workbench';
import { activationFigures } from './bench/activation';
import { MissingPrerequisite } from '../test/harness/prerequisites';
import { ensureBenchPackage } from './bench/peers/benchPackage';
import { layerLens, layerLensReusedOutput } from './bench/peers/layerLens';
import { onnxruntime } from './bench/peers/onnxruntime';
import type { Dtype, Peer } from './bench/peers/peer';
import { tfjsPeer } from './bench/peers/tfjs';
import { torch } from './bench/peers/torch';

const convBudgetMs = 1500;
const dtypeTag: Record<Dtype, string> = { float64: 'f64', float32: 'f32' };

/** A wrong command line: reported as one line, without a stack. */
class UsageError extends Error {}

interface Options {
  readonly conv: boolean;
  readonly parse: boolean;
  readonly stack: boolean;
  readonly panel: boolean;
  /** The activation rows of the panel figures: with `--only=panel`, or alone with `--only=activation`. */
  readonly activation: boolean;
  readonly lab: boolean;
  readonly checkpoint: boolean;
  readonly runs: number;
  readonly json?: string;
}

function options(): Options {
  let values: { only?: string; runs?: string; json?: string };
  try {
    ({ values } = parseArgs({ options: { only: { type: 'string' }, runs: { type: 'string' }, json: { type: 'string' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.only !== undefined && !['conv', 'parse', 'stack', 'panel', 'activation', 'lab', 'checkpoint'].includes(values.only)) throw new UsageError(`--only takes conv, parse, stack, panel, activation, lab or checkpoint, not ${values.only}`);
  const runs = Number(values.runs ?? 1);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs takes a positive whole number, not ${values.runs}`);
  const only = (part: string) => values.only === undefined || values.only === part;
  return { conv: only('conv'), parse: only('parse'), stack: only('stack'), panel: only('panel'), activation: only('panel') || values.only === 'activation', lab: only('lab'), checkpoint: only('checkpoint'), runs, json: values.json };
}

function resultsTable(reference: Peer, others: readonly Peer[], figures: readonly CaseFigures[]): string {
  const header = ['transposed convolution', ...[reference, ...others].map((p) => `${p.name} ${dtypeTag[p.dtype]} ms`)];
  const rows = figures.map(({ case: c, peers }) => {
    const mine = peers.get(reference.name);
    const cells = [c.label, mine ? formatSpread(mine.ms) : ''];
    for (const peer of others) {
      const theirs = peers.get(peer.name);
      const ratio = mine && theirs ? medianRatio(mine, theirs) : undefined;
      if (!theirs || ratio === undefined) cells.push(`failed: ${theirs?.failure ?? 'no timing'}`);
      else cells.push(`${formatSpread(theirs.ms)} · ${formatRatio(ratio)}${theirs.failure !== undefined ? ' (failed in a later run)' : ''}`);
    }
    return cells;
  });
  return markdownTable(header, ['left', ...header.slice(1).map(() => 'right' as const)], rows);
}

function agreementTable(others: readonly Peer[], figures: readonly CaseFigures[]): { table: string; disagreements: string[] } {
  const disagreements: string[] = [];
  const rows = figures.map(({ case: c, peers }) => [
    c.label,
    ...others.map((peer) => {
      const agreement = peers.get(peer.name)?.agreement;
      if (!agreement) return 'not checked';
      if (agreement.agrees) return `${formatError(agreement.maxRelativeError)} ✓`;
      const what = agreement.sameShape ? `max relative error ${formatError(agreement.maxRelativeError)} > ${formatError(agreement.tolerance)}` : 'a different output shape';
      disagreements.push(`${peer.name} DISAGREES with Layer Lens on ${c.label}: ${what}`);
      return `${formatError(agreement.maxRelativeError)} ✗ DIFFERS`;
    }),
  ]);
  const header = ['max |peer − Layer Lens| / max |Layer Lens|', ...others.map((p) => `${p.name} ${dtypeTag[p.dtype]}`)];
  return { table: markdownTable(header, ['left', ...others.map(() => 'right' as const)], rows), disagreements };
}

function legend(runs: number, peers: readonly Peer[], unavailable: readonly Unavailable[]): string {
  const lines = [
    `Milliseconds per call, the median of repeated calls after a warm-up, one thread${runs > 1 ? `; each figure is the median (range) of ${runs} runs` : ''}.`,
    '"LL 3.8× slower" means Layer Lens took 3.8 times as long as that library on the same run (the median of the per-run ratios). f64 = float64, f32 = float32.',
    '',
    ...peers.map((p) => `- ${p.name}: ${p.detail}`),
    ...unavailable.map((u) => `- ${u.name}: unavailable: ${u.reason}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = options();
  console.log(`Layer Lens benchmarks — Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, median of repeated calls, single-threaded\n`);
  const report: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, runs: opts.runs, budgetMs: convBudgetMs };

  if (opts.conv) {
    // The peer libraries are bench/'s own package, installed here on first use; without them the
    // comparison still runs, with those peers reported unavailable.
    await ensureBenchPackage().catch((error: unknown) => console.log(`[bench] Could not install the peer libraries: ${(error as Error).message}\n`));
    const { peers, unavailable } = await loadPeers([layerLens, layerLensReusedOutput, torch, tfjsPeer('cpu'), tfjsPeer('wasm'), onnxruntime]);
    const [reference, ...others] = peers;
    if (!reference || reference.name !== layerLens.name) throw new Error(`Layer Lens itself did not load: ${unavailable[0]?.reason ?? ''}`);
    for (const p of peers) console.log(`${p.name}: ${p.detail}`);
    for (const u of unavailable) console.log(`${u.name}: unavailable: ${u.reason}`);
    console.log('');
    try {
      const figures = await compareConv(reference, others, { runs: opts.runs, budgetMs: convBudgetMs, log: (line) => console.log(line) });
      const { table, disagreements } = agreementTable(others, figures);
      console.log(`\nAgreement with Layer Lens (float64), checked on the first run; tolerance 1e-9 for f64, 1e-5 for f32:\n\n${table}\n`);
      for (const line of disagreements) console.log(`!!! ${line}`);
      // One table per way of calling the engine, each against the other libraries only.
      const libraries = others.filter((p) => p.name !== layerLensReusedOutput.name);
      const reused = others.find((p) => p.name === layerLensReusedOutput.name);
      console.log(`\nA new output array per call:\n\n${resultsTable(reference, libraries, figures)}\n`);
      if (reused) console.log(`Into a reused output array (the out option):\n\n${resultsTable(reused, libraries, figures)}\n`);
      console.log(`${legend(opts.runs, peers, unavailable)}\n`);
      report.peers = peers.map((p) => ({ name: p.name, dtype: p.dtype, detail: p.detail }));
      report.unavailable = unavailable;
      report.conv = figures.map(({ case: c, peers: byPeer }) => ({ ...c, peers: Object.fromEntries(byPeer) }));
    } finally {
      await Promise.all(peers.map((p) => p.close()));
    }
  }

  if (opts.parse) {
    const parse: ParseFigure[] = await parseFigures();
    console.log(markdownTable(['parsing', 'ms per call'], ['left', 'right'], parse.map((f) => [f.name, formatMs(f.ms)])));
    report.parse = parse;
  }

  if (opts.stack) {
    const stack = await stackFigures();
    console.log(`\n${markdownTable(['stacks', 'ms per call'], ['left', 'right'], stack.map((f) => [f.name, formatMs(f.ms)]))}`);
    report.stack = stack;
  }

  if (opts.panel || opts.activation) {
    try {
      const panel: PanelFigure[] = [...(opts.panel ? [...(await panelFigures()), ...(await workbenchFigures())] : []), ...(await activationFigures())];
      console.log(`\n${markdownTable(['panel, in Chromium', 'median ms', 'slowest ms', 'samples'], ['left', 'right', 'right', 'right'], panel.map((f) => [f.name, formatMs(f.medianMs), formatMs(f.maxMs), String(f.samples)]))}`);
      report.panel = panel;
    } catch (error) {
      if (!(error instanceof MissingPrerequisite)) throw error;
      console.log(`\npanel: unavailable: ${error.message}`);
    }
  }

  if (opts.lab) {
    const lab: LabFigure[] = await labFigures(convBudgetMs);
    const stall = (f: LabFigure) => (f.mainThreadStallMs === undefined ? '' : formatMs(f.mainThreadStallMs));
    console.log(`\n${markdownTable(['checkerboard lab', 'ms', 'longest main-thread stall ms'], ['left', 'right', 'right'], lab.map((f) => [f.name, formatMs(f.ms), stall(f)]))}`);
    report.lab = lab;
  }

  if (opts.checkpoint) {
    const checkpoint = await checkpointFigures();
    console.log(`\n${markdownTable(['checkpoints', 'ms per call'], ['left', 'right'], checkpoint.map((f) => [f.name, formatMs(f.ms)]))}`);
    report.checkpoint = checkpoint;
  }

  if (opts.json) {
    writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nraw figures written to ${opts.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\nusage: npm run bench [-- --only=conv|parse|stack|panel|activation|lab|checkpoint] [--runs=N] [--json <file>]` : error);
  process.exitCode = 1;
});
