/**
 * Audit Live Model, and the parts of Inspect Tensor a person drives (its "Use as Input… / Use as
 * Kernel…" buttons, Cancel on its progress), in a real debug session: samples/live_dcgan.py runs
 * under Debian's debugpy (the `debugpy` type from test/fixtures/debugpy-extension), stops in the
 * generator's `forward`, and the live audit of `self` is compared with the checkpoint audit of the
 * state dict the script saved with torch.save. Notifications do not show under the smoke-test
 * driver, so the buttons and Cancel are driven through the API object this test shares with Layer
 * Lens: `showInformationMessage` answers with the button, `withProgress` hands out a token the test
 * cancels.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { samples, until } from './support';
import { launchScript, refused, trackAdapter, type AdapterTraffic, withCancellableProgress } from './liveSession';

const script = path.join(samples, 'live_dcgan.py');

interface AuditedLayer {
  name: string;
  op: string;
  weight: string;
  bias?: string;
  weightShape: number[];
  stride: [number, number] | null;
  strideFrom: string;
  verdict: string;
  periodicEnergy: number;
  phaseSums: number[][][];
  worstChannel?: number;
}
interface LiveAudit {
  module: string;
  type: string;
  values: number;
  skipped: string[];
  layers: AuditedLayer[];
  pageReady?: boolean;
}

const auditLive = (args: unknown) => vscode.commands.executeCommand<LiveAudit | undefined>('layerLens.auditLiveModel', args);
const inspectTensor = (args: unknown) => vscode.commands.executeCommand<{ shape: number[]; data: number[] } | undefined>('layerLens.inspectTensor', args);

/** Replaces a member of the API object the extension shares with this test while `body` runs. */
async function replacing<T extends object, K extends keyof T>(owner: T, key: K, replacement: T[K], body: () => Promise<void>): Promise<void> {
  const original = owner[key];
  owner[key] = replacement;
  try {
    await body();
  } finally {
    owner[key] = original;
  }
}

describe('Audit Live Model (a real debugpy session)', function () {
  this.timeout(120_000);
  const out = mkdtempSync(path.join(tmpdir(), 'layer-lens-live-audit-'));
  let traffic: AdapterTraffic;
  let session: vscode.DebugSession | undefined;

  before(async () => {
    traffic = trackAdapter();
    const line = readFileSync(script, 'utf8').split('\n').findIndex((text) => text.includes("the audit tests' breakpoint"));
    assert.ok(line > 0);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(script), new vscode.Position(line, 0)))]);
    const started = await launchScript('Layer Lens live audit', script, out);
    assert.ok(started);
    await until('the debugger to stop in forward', () => traffic.stops(), (n) => n >= 1, 30_000);
    session = vscode.debug.activeDebugSession;
  });

  after(async () => {
    writeFileSync(path.join(out, 'done'), '');
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    traffic.dispose();
  });

  it('audits self live: the same layers, phase sums and verdicts as the checkpoint audit of its torch.save state dict', async () => {
    const live = await auditLive({ module: 'self', show: false });
    assert.ok(live);
    assert.equal(live.module, 'self');
    assert.equal(live.type, '__main__.Generator');
    assert.deepEqual(live.skipped, []);
    const file = await vscode.commands.executeCommand<{ layers: AuditedLayer[] } | undefined>('layerLens.auditCheckpoint', { uri: path.join(out, 'generator.pt'), source: script, show: false });
    assert.ok(file);
    assert.deepEqual(live.layers.map((l) => l.name), file.layers.map((l) => l.name));
    assert.deepEqual(live.layers.map((l) => l.op).sort(), ['convTranspose2d', 'convTranspose2d', 'convTranspose2d', 'subPixelConvolution']);
    for (const [i, layer] of live.layers.entries()) {
      const saved: AuditedLayer = file.layers[i]!;
      // The live module's own hyperparameters, where the file's audit reads them from the source.
      assert.equal(layer.strideFrom, 'graph', layer.name);
      assert.equal(saved.strideFrom, 'source', layer.name);
      const { strideFrom: _live, ...liveRest } = layer;
      const { strideFrom: _saved, source: _source, ...savedRest } = saved as AuditedLayer & { source?: unknown };
      assert.deepEqual(liveRest, savedRest, layer.name);
    }
    assert.equal(live.layers.find((l) => l.name === 'main.0')?.verdict, 'even', 'stride 1 cannot make a checkerboard');
    assert.equal(live.layers.find((l) => l.name === 'main.3')?.verdict, 'uneven', 'the script made one phase larger');
    // What was evaluated: the model snippet, then one fetch per weight and bias, each from checked names only.
    assert.ok(traffic.evaluations.some((e) => e.includes('named_modules()')));
    assert.ok(traffic.evaluations.some((e) => e.endsWith('(self.main[8].bias)')), traffic.evaluations.slice(-3).join('\n'));
  });

  it('audits a global of the frame (netG) the same way, and opens the audit in the checkpoint editor\'s view', async () => {
    const viewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.checkpoint'));
    const shown = await auditLive({ module: 'netG' });
    assert.ok(shown);
    assert.equal(shown.pageReady, true, "the view's page loaded");
    assert.deepEqual(viewTabs().map((tab) => tab.label), ['Layer Lens: netG (live audit)']);
    const quiet = await auditLive({ module: 'self', show: false });
    assert.deepEqual(shown.layers.map((l) => [l.name, l.verdict, l.periodicEnergy]), quiet?.layers.map((l) => [l.name, l.verdict, l.periodicEnergy]));
    // Again: the view is replaced, not doubled.
    await auditLive({ module: 'netG' });
    assert.equal(viewTabs().length, 1);
    await vscode.window.tabGroups.close(viewTabs());
  });

  it('explains an object that is not a module, a model with no upsampling layer, weights too many to read, and an expression it does not evaluate', async () => {
    const tensor = await refused(() => auditLive({ module: 'z', show: false }));
    assert.equal(tensor.result, undefined);
    assert.match(tensor.messages.join('\n'), /z is a torch\.Tensor, not a PyTorch module/);
    const critic = await refused(() => auditLive({ module: 'netD', show: false }));
    assert.equal(critic.result, undefined);
    assert.match(critic.messages.join('\n'), /netD \(__main__\.Discriminator\) has no upsampling layer to audit: no ConvTranspose2d, and no Conv2d followed by a PixelShuffle/);
    const missing = await refused(() => auditLive({ module: 'netE', show: false }));
    assert.match(missing.messages.join('\n'), /NameError/);
    const config = vscode.workspace.getConfiguration('layerLens');
    await config.update('maxOutputElements', 1000, vscode.ConfigurationTarget.Global);
    try {
      const big = await refused(() => auditLive({ module: 'self', show: false }));
      assert.equal(big.result, undefined);
      assert.match(big.messages.join('\n'), /the upsampling layers of self hold [\d,]+ values, more than layerLens\.maxOutputElements \(1,000\)/);
    } finally {
      await config.update('maxOutputElements', undefined, vscode.ConfigurationTarget.Global);
    }
    const count = traffic.evaluations.length;
    const call = await refused(() => auditLive({ module: 'self.main(z)', show: false }));
    assert.equal(call.result, undefined);
    assert.match(call.messages.join('\n'), /the module cannot be read/);
    assert.equal(traffic.evaluations.length, count, 'nothing evaluated');
  });

  it('Inspect Tensor\'s "Use as Input…" and "Use as Kernel…" run Transposed Convolution on the tensor', async () => {
    const calls: { command: string; args: unknown }[] = [];
    const execute = vscode.commands.executeCommand;
    for (const button of ['Use as Input…', 'Use as Kernel…']) {
      calls.length = 0;
      let buttons: string[] = [];
      await replacing(vscode.window, 'showInformationMessage', ((_message: string, ...items: string[]) => {
        buttons = items;
        return Promise.resolve(button);
      }) as unknown as typeof vscode.window.showInformationMessage, () =>
        replacing(vscode.commands, 'executeCommand', ((command: string, ...rest: unknown[]) => {
          if (command === 'layerLens.transposedConvolution') calls.push({ command, args: rest[0] });
          return execute(command, ...rest);
        }) as typeof vscode.commands.executeCommand, async () => {
          const tensor = await inspectTensor({ expression: 'self.main[3].weight[0, 1]' });
          assert.deepEqual(tensor?.shape, [4, 4]);
          await until(`${button} to run Transposed Convolution`, () => calls.length, (n) => n >= 1);
          assert.deepEqual(buttons, ['Use as Input…', 'Use as Kernel…']);
          const rows = [0, 1, 2, 3].map((r) => tensor!.data.slice(r * 4, r * 4 + 4));
          assert.deepEqual(calls[0]!.args, button === 'Use as Input…' ? { input: rows } : { kernel: rows });
        }),
      );
    }
    const panels = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.panel'));
    assert.ok(panels.length >= 1, 'the transposed-convolution panel opened');
    await vscode.window.tabGroups.close(panels);
  });

  it('Cancel on the progress of a large fetch: the command resolves undefined, says nothing, and leaves nothing running', async () => {
    let outcome: { result: unknown; messages: string[] } | undefined;
    await withCancellableProgress(async (progress) => {
      const fetching = refused(() => inspectTensor({ expression: 'big', show: false }));
      await until('the progress notification of the fetch', () => progress.latest(), (s) => s !== undefined, 20_000);
      assert.equal(progress.running(), 1);
      progress.latest()!.cancel();
      outcome = await fetching;
      await until('the progress to close', () => progress.running(), (n) => n === 0);
    });
    assert.equal(outcome?.result, undefined);
    assert.deepEqual(outcome?.messages, [], 'a cancel is not an error');
    // The session is still there and answers the next read.
    const after = await inspectTensor({ expression: 'z', show: false });
    assert.deepEqual(after?.shape, [1, 16, 1, 1]);
  });

  it('Cancel during a live audit: undefined, no message, no view', async () => {
    let outcome: { result: unknown; messages: string[] } | undefined;
    await withCancellableProgress(async (progress) => {
      outcome = await refused(() => auditLive({ module: 'self' }));
      assert.ok(progress.latest()?.token.isCancellationRequested);
      assert.equal(progress.running(), 0);
    }, true);
    assert.equal(outcome?.result, undefined);
    assert.deepEqual(outcome?.messages, []);
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.checkpoint')).length, 0);
  });

  it('with the session ended: a message and undefined', async () => {
    await vscode.debug.stopDebugging(session);
    await until('the session to end', () => vscode.debug.activeDebugSession, (s) => s === undefined, 20_000);
    const ended = await refused(() => auditLive({ module: 'self', show: false }));
    assert.equal(ended.result, undefined);
    assert.match(ended.messages.join('\n'), /no debug session is running/);
  });
});
