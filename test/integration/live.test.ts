/**
 * Live tensors in a real debug session: samples/live_generator.py runs under Debian's debugpy (the
 * `debugpy` type comes from the test-only extension test/fixtures/debugpy-extension, which the
 * harness loads beside Layer Lens), stops in the generator's `forward`, and Layer Lens reads its
 * tensors: the inline values, `x` bit for bit against the bytes the script wrote, `self.up` run live
 * against the float32-vs-float64 difference the script measured, and every refusal. The speeds
 * (inline values for 20 tensors, a 262,144-value fetch) are measured and written to
 * test-results/integration/live-speed.json, never asserted.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { samples, until } from './support';
import { launchScript, refused, trackAdapter, type AdapterTraffic } from './liveSession';
import { parseLiveExpression } from '../../src/core/live/expression';
import { fetchSnippet, reference } from '../../src/core/live/snippets';
import { readFetchAnswer } from '../../src/core/live/wire';

const script = path.join(samples, 'live_generator.py');
const resultsDir = path.resolve(__dirname, '../../../test-results/integration');

interface Inspected {
  shape: number[];
  dtype: string;
  data: number[];
}
interface LiveLayer {
  op: string;
  params: Record<string, unknown>;
  output: { shape: number[]; data: number[] };
  agreement: { maxAbsDiff: number; maxRelDiff: number };
}

const inspectTensor = (args: unknown) => vscode.commands.executeCommand<Inspected | undefined>('layerLens.inspectTensor', args);
const inspectLiveLayer = (args: unknown) => vscode.commands.executeCommand<LiveLayer | undefined>('layerLens.inspectLiveLayer', args);

/** The 1-based line of `marker` in the script, as a 0-based line number. */
function lineOf(marker: string): number {
  const index = readFileSync(script, 'utf8').split('\n').findIndex((line) => line.includes(marker));
  assert.ok(index >= 0, marker);
  return index;
}

describe('Live tensors (a real debugpy session)', function () {
  this.timeout(120_000);
  const out = mkdtempSync(path.join(tmpdir(), 'layer-lens-live-'));
  let traffic: AdapterTraffic;
  let session: vscode.DebugSession | undefined;
  const speed: Record<string, number[]> = { inlineValues20TensorsMs: [], fetch262144ValuesMs: [], evaluateRoundTrip262144Ms: [], decode262144Ms: [] };
  let document: vscode.TextDocument;

  const topFrame = async (): Promise<{ frameId: number; line: number }> => {
    const { threads } = (await session!.customRequest('threads')) as { threads: { id: number }[] };
    for (const thread of threads) {
      const trace = (await session!.customRequest('stackTrace', { threadId: thread.id, startFrame: 0, levels: 1 }).then(undefined, () => undefined)) as { stackFrames: { id: number; line: number }[] } | undefined;
      const top = trace?.stackFrames[0];
      if (top) return { frameId: top.id, line: top.line - 1 };
    }
    throw new Error('no paused thread');
  };
  const waitForStop = async (count: number) => until('the debugger to stop', () => traffic.stops(), (n) => n >= count, 30_000);

  before(async () => {
    traffic = trackAdapter();
    // VS Code asks inline value providers only for a file open before the stop.
    document = await vscode.workspace.openTextDocument(script);
    await vscode.window.showTextDocument(document);
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(lineOf("the tests' first breakpoint"), 0))),
      new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(lineOf("the tests' second breakpoint"), 0))),
    ]);
  });

  after(async () => {
    writeFileSync(path.join(out, 'done'), '');
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    traffic.dispose();
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, 'live-speed.json'), JSON.stringify(speed, null, 2) + '\n');
  });

  it('with no debug session: a message and undefined, at once', async () => {
    assert.equal(vscode.debug.activeDebugSession, undefined);
    const { result, messages } = await refused(() => inspectTensor({ expression: 'x', show: false }));
    assert.equal(result, undefined);
    assert.match(messages.join('\n'), /no debug session is running/);
    const layer = await refused(() => inspectLiveLayer({ module: 'self.up', input: 'x', show: false }));
    assert.equal(layer.result, undefined);
    assert.match(layer.messages.join('\n'), /no debug session is running/);
  });

  it('with a session of another language: a message naming its type', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(await vscode.debug.startDebugging(folder, { type: 'layer-lens-other', request: 'launch', name: 'Other language' }));
    await until('the other session', () => vscode.debug.activeDebugSession?.type, (type) => type === 'layer-lens-other');
    const { result, messages } = await refused(() => inspectTensor({ expression: 'x', show: false }));
    assert.equal(result, undefined);
    assert.match(messages.join('\n'), /"layer-lens-other" session; Layer Lens reads tensors from Python sessions/);
    await vscode.debug.stopDebugging(vscode.debug.activeDebugSession);
    await until('the other session to end', () => vscode.debug.activeDebugSession, (s) => s === undefined);
  });

  it('stops at the breakpoint in forward and shows the frame\'s tensors inline', async () => {
    const started = await launchScript('Layer Lens live tensors', script, out);
    assert.ok(started);
    await waitForStop(1);
    session = vscode.debug.activeDebugSession;
    assert.equal(session?.type, 'debugpy');
    const { frameId, line } = await topFrame();
    assert.equal(line, lineOf("the tests' first breakpoint"));
    const values = await vscode.commands.executeCommand<vscode.InlineValue[]>('vscode.executeInlineValueProvider', document.uri, new vscode.Range(0, 0, line, 0), {
      frameId,
      stoppedLocation: new vscode.Range(line, 0, line, 0),
    });
    const texts = values.filter((v): v is vscode.InlineValueText => 'text' in v).map((v) => `${v.range.start.line}:${v.text}`);
    // x is the frame's one tensor (self is a module); it shows on the lines of forward that use it.
    assert.ok(texts.includes(`${line - 1}:x: [1, 64, 64, 64] float32 cpu`), texts.join('\n'));
    assert.ok(texts.includes(`${line}:x: [1, 64, 64, 64] float32 cpu`), texts.join('\n'));
    assert.ok(!texts.some((t) => t.includes('self:')), texts.join('\n'));
    // Only the stopped function's lines: not the module docstring that names x.
    assert.ok(texts.every((t) => Number(t.split(':')[0]) >= line - 1), texts.join('\n'));
  });

  it('fetches x ([1, 64, 64, 64] float32) and every value is bit for bit what the script wrote', async () => {
    const before = Date.now();
    const result = await inspectTensor({ expression: 'x', show: false });
    speed.fetch262144ValuesMs!.push(Date.now() - before);
    assert.ok(result);
    assert.deepEqual(result.shape, [1, 64, 64, 64]);
    assert.equal(result.dtype, 'float32');
    const bytes = readFileSync(path.join(out, 'x.f32'));
    const expected = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    assert.equal(result.data.length, expected.length);
    let mismatches = 0;
    for (let i = 0; i < expected.length; i++) if (!Object.is(result.data[i], expected[i])) mismatches++;
    assert.equal(mismatches, 0);
    const { frameId } = await topFrame();
    const expression = parseLiveExpression('x');
    assert.ok(expression.ok);
    for (let run = 0; run < 3; run++) {
      const again = Date.now();
      await inspectTensor({ expression: 'x', show: false });
      speed.fetch262144ValuesMs!.push(Date.now() - again);
      // The parts: the adapter's round trip alone, then Layer Lens's decoding.
      const start = Date.now();
      const answer = (await session!.customRequest('evaluate', { expression: fetchSnippet(reference(expression.expression), { start: 0, end: 1 << 20, limit: 4_000_000 }), frameId, context: 'clipboard' })) as { result: string };
      speed.evaluateRoundTrip262144Ms!.push(Date.now() - start);
      const decoding = Date.now();
      readFetchAnswer(answer.result);
      speed.decode262144Ms!.push(Date.now() - decoding);
    }
  });

  it('reads a 0-d tensor as shape [], an indexed element, and a Parameter with grad through a detached copy', async () => {
    const element = await inspectTensor({ expression: 'x[0, 5, 7, 9]', show: false });
    const bytes = readFileSync(path.join(out, 'x.f32'));
    const x = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    assert.deepEqual(element, { shape: [], dtype: 'float32', data: [x[((0 * 64 + 5) * 64 + 7) * 64 + 9]] });
    const bias = await inspectTensor({ expression: 'self.up.bias', show: false });
    assert.deepEqual(bias?.shape, [32]);
    const transposedRow = await inspectTensor({ expression: 'self.up.weight[3, 2]', show: false });
    assert.deepEqual(transposedRow?.shape, [4, 4]);
  });

  it('runs self.up live: Layer Lens\'s output agrees with the module\'s as the script measured', async () => {
    const result = await inspectLiveLayer({ module: 'self.up', input: 'x', show: false });
    assert.ok(result);
    const expected = JSON.parse(readFileSync(path.join(out, 'expected.json'), 'utf8')) as { maxAbsDiff: number; maxAbs: number; shape: number[] };
    assert.equal(result.op, 'ConvTranspose2d');
    assert.deepEqual(result.output.shape, expected.shape);
    assert.deepEqual(result.params.stride, [2, 2]);
    assert.deepEqual(result.params.padding, [1, 1]);
    assert.equal(result.params.bias, true);
    // Layer Lens's float64 and PyTorch's float64 differ by rounding (~1e-16); the float32 module by ~1e-7.
    assert.ok(Math.abs(result.agreement.maxAbsDiff - expected.maxAbsDiff) <= 1e-6 * expected.maxAbsDiff, `${result.agreement.maxAbsDiff} vs ${expected.maxAbsDiff}`);
    assert.ok(Math.abs(result.agreement.maxRelDiff - expected.maxAbsDiff / expected.maxAbs) <= 1e-6 * result.agreement.maxRelDiff);
    assert.ok(result.agreement.maxAbsDiff > 0, 'a float32 module cannot equal float64 everywhere');
  });

  it('runs the pool, the pixel shuffle and a 1-D convolution live, and explains an input that does not fit', async () => {
    const pool = await inspectLiveLayer({ module: 'self.pool', input: 'x', show: false });
    assert.equal(pool?.op, 'AvgPool2d');
    assert.deepEqual(pool?.output.shape, [1, 64, 32, 32]);
    assert.ok(pool!.agreement.maxRelDiff < 1e-6, String(pool?.agreement.maxRelDiff));
    const shuffle = await inspectLiveLayer({ module: 'self.shuffle', input: 'x', show: false });
    assert.equal(shuffle?.op, 'PixelShuffle');
    assert.deepEqual(shuffle?.output.shape, [1, 16, 128, 128]);
    assert.deepEqual(shuffle?.agreement, { maxAbsDiff: 0, maxRelDiff: 0 }); // a permutation: exact
    const mix = await inspectLiveLayer({ module: 'self.mix', input: 'x[0]', show: false });
    assert.equal(mix?.op, 'Conv1d');
    assert.deepEqual(mix?.output.shape, [64, 8, 64]);
    assert.ok(mix!.agreement.maxRelDiff < 1e-5 && mix!.agreement.maxAbsDiff > 0, JSON.stringify(mix?.agreement));
    const misfit = await refused(() => inspectLiveLayer({ module: 'self.smooth', input: 'x', show: false }));
    assert.equal(misfit.result, undefined);
    assert.match(misfit.messages.join('\n'), /kernel has 32 input channels but the input has 64/);
  });

  it('says the same in the hover over a tensor variable, reading no values', async () => {
    const line = lineOf("the tests' first breakpoint");
    const column = document.lineAt(line).text.indexOf('(x)') + 1;
    const count = traffic.evaluations.length;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
    const texts = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)));
    assert.ok(texts.some((text) => text.includes('`x: [1, 64, 64, 64] float32 cpu`')), texts.join('\n---\n'));
    assert.ok(traffic.evaluations.slice(count).some((expression) => expression.includes('o.numel() <= 0')) && traffic.evaluations.slice(count).every((expression) => !expression.includes('numel() <= 0') || expression.includes('[0:0]')), 'the hover asks for no values');
  });

  it('opens the transposed-convolution panel on the live layer and on a fetched tensor', async () => {
    const panels = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.panel'));
    await vscode.window.tabGroups.close(panels());
    const layer = await inspectLiveLayer({ module: 'self.up', input: 'x' });
    assert.ok(layer);
    await until('the panel on self.up', () => panels().map((tab) => tab.label), (labels) => labels.length === 1);
    const tensor = await inspectTensor({ expression: 'self.up.weight[0]' });
    assert.deepEqual(tensor?.shape, [32, 4, 4]);
    await until('the panel still open', () => panels().length, (n) => n === 1);
    await vscode.window.tabGroups.close(panels());
  });

  it('refuses anything but names, attributes and integer indexing, before evaluating anything', async () => {
    for (const expression of ['x + 1', 'f(x)', 'x[0:2]', 'x.__class__', 'import os', '__import__("os")', 'x[i]', '']) {
      const count = traffic.evaluations.length;
      const { result, messages } = await refused(() => inspectTensor({ expression, show: false }));
      assert.equal(result, undefined, expression);
      assert.match(messages.join('\n'), /cannot be read/, expression);
      assert.equal(traffic.evaluations.length, count, `nothing evaluated for ${JSON.stringify(expression)}`);
    }
    const layer = await refused(() => inspectLiveLayer({ module: 'self.up', input: 'x * 2', show: false }));
    assert.equal(layer.result, undefined);
    assert.match(layer.messages.join('\n'), /the input cannot be read/);
  });

  it('explains a variable that is not a tensor, a failed evaluation, a module it does not run, and a tensor too large', async () => {
    const notTensor = await refused(() => inspectTensor({ expression: 'self', show: false }));
    assert.equal(notTensor.result, undefined);
    assert.match(notTensor.messages.join('\n'), /self is a __main__\.Generator, not a tensor/);

    const missing = await refused(() => inspectTensor({ expression: 'missing_name', show: false }));
    assert.equal(missing.result, undefined);
    assert.match(missing.messages.join('\n'), /NameError/);

    const outOfRange = await refused(() => inspectTensor({ expression: 'x[5]', show: false }));
    assert.equal(outOfRange.result, undefined);
    assert.match(outOfRange.messages.join('\n'), /IndexError/);

    const notLayer = await refused(() => inspectLiveLayer({ module: 'self', input: 'x', show: false }));
    assert.equal(notLayer.result, undefined);
    assert.match(notLayer.messages.join('\n'), /self is a __main__\.Generator/);

    const config = vscode.workspace.getConfiguration('layerLens');
    await config.update('maxOutputElements', 1000, vscode.ConfigurationTarget.Global);
    try {
      const big = await refused(() => inspectTensor({ expression: 'x', show: false }));
      assert.equal(big.result, undefined);
      assert.match(big.messages.join('\n'), /x is a Tensor of shape \[1, 64, 64, 64\] holding 262,144 values, more than layerLens\.maxOutputElements \(1,000\)/);
      const slice = await inspectTensor({ expression: 'x[0, 0, 0]', show: false });
      assert.deepEqual(slice?.shape, [64]);
    } finally {
      await config.update('maxOutputElements', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows 20 tensors inline at the second breakpoint (timed)', async () => {
    await session!.customRequest('continue', { threadId: (await session!.customRequest('threads')).threads[0].id });
    await waitForStop(2);
    const { frameId, line } = await topFrame();
    assert.equal(line, lineOf("the tests' second breakpoint"));
    let texts: string[] = [];
    for (let run = 0; run < 5; run++) {
      const before = Date.now();
      const values = await vscode.commands.executeCommand<vscode.InlineValue[]>('vscode.executeInlineValueProvider', document.uri, new vscode.Range(0, 0, line, 0), { frameId, stoppedLocation: new vscode.Range(line, 0, line, 0) });
      speed.inlineValues20TensorsMs!.push(Date.now() - before);
      texts = values.filter((v): v is vscode.InlineValueText => 'text' in v).map((v) => v.text);
    }
    const names = new Set(texts.map((t) => t.split(':')[0]));
    assert.equal(names.size, 20, texts.join('\n'));
    assert.ok(texts.includes('t10: [2, 3] int64 cpu'), texts.join('\n'));
    assert.ok(texts.includes('a19: [3, 3] float32'), texts.join('\n'));
    assert.ok(texts.includes('t05: [4, 32] float32 cpu'), texts.join('\n'));
  });

  it('with the program running, not paused: a message', async () => {
    await session!.customRequest('continue', { threadId: (await session!.customRequest('threads')).threads[0].id });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { result, messages } = await refused(() => inspectTensor({ expression: 'big', show: false }));
    assert.equal(result, undefined);
    assert.match(messages.join('\n'), /is running, not paused/);
  });

  it('reads a tensor of several requests whole; when the session ends during a fetch: a message, undefined, nothing left waiting', async () => {
    const { threads } = (await session!.customRequest('threads')) as { threads: { id: number; name: string }[] };
    const count = traffic.stops();
    await session!.customRequest('pause', { threadId: threads.find((t) => t.name === 'MainThread')?.id ?? threads[0]!.id });
    await waitForStop(count + 1);
    // First whole: 3,145,728 values in three requests, the seams where they meet read right.
    const started = Date.now();
    const whole = await inspectTensor({ expression: 'big', show: false });
    speed.fetch3145728ValuesMs = [Date.now() - started];
    assert.deepEqual(whole?.shape, [3, 1024, 1024]);
    for (const [row, offset] of [[[1, 0], 1 << 20], [[2, 0], 2 << 20], [[0, 1023], (1 << 20) - 1024]] as const) {
      const part = await inspectTensor({ expression: `big[${row.join(', ')}]`, show: false });
      assert.deepEqual(part?.data, whole?.data.slice(offset, offset + 1024), `big[${row.join(', ')}]`);
    }
    const fetching = refused(() => inspectTensor({ expression: 'big', show: false }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await vscode.debug.stopDebugging(session);
    const { result, messages } = await fetching;
    assert.equal(result, undefined);
    assert.match(messages.join('\n'), /ended while Layer Lens was reading big|failed/);
  });
  it('works the same with the older debug type "python"', async () => {
    await until('the earlier session to end', () => vscode.debug.activeDebugSession, (s) => s === undefined, 20_000);
    const count = traffic.stops();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(await vscode.debug.startDebugging(folder, { type: 'python', request: 'launch', name: 'Legacy type', program: script, python: '/usr/bin/python3', console: 'internalConsole', justMyCode: true, cwd: samples }));
    await waitForStop(count + 1);
    session = vscode.debug.activeDebugSession;
    assert.equal(session?.type, 'python');
    const x = await inspectTensor({ expression: 'x', show: false });
    assert.deepEqual(x?.shape, [1, 64, 64, 64]);
    const layer = await inspectLiveLayer({ module: 'self.pool', input: 'x', show: false });
    assert.equal(layer?.op, 'AvgPool2d');
    await vscode.debug.stopDebugging(session);
  });
});
