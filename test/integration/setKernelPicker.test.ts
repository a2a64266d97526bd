/**
 * Set Kernel's picker in the real extension host: a matrix of a workspace file that is not open is
 * listed (searched in the engine worker) and taken; the search runs every file in the worker while
 * the extension host's thread stays free, stops at its time budget saying how far it got, and stops
 * when the picker closes.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listMatrices } from '../../src/core/worker/matrixListing';
import { EngineWorkerClient, type StartWorker } from '../../src/host/worker/engineWorkerClient';
import { nodeWorkerStarter } from '../../src/host/worker/nodeWorker';
import { scanFiles, type FileMatrices } from '../../src/host/transposed/workspaceMatrices';
import { openUntitled, until } from './support';

const workerScript = path.resolve(__dirname, '../../../dist/engineWorker.js');

/** Runs `body` with the next quick pick the extension creates handed to `drive` (the extension and the tests share the `vscode` API object). */
async function withNextQuickPick<T>(drive: (picker: vscode.QuickPick<vscode.QuickPickItem>, accept: () => void) => Promise<void>, body: () => Thenable<T>): Promise<T> {
  const window = vscode.window as { createQuickPick: typeof vscode.window.createQuickPick };
  const original = window.createQuickPick;
  let driving: Promise<void> | undefined;
  window.createQuickPick = (<I extends vscode.QuickPickItem>() => {
    window.createQuickPick = original;
    const picker = original<I>();
    const listeners: (() => void)[] = [];
    const onDidAccept = picker.onDidAccept;
    Object.defineProperty(picker, 'onDidAccept', {
      value: (listener: () => void, thisArg?: unknown, disposables?: vscode.Disposable[]) => {
        listeners.push(() => listener.call(thisArg));
        return onDidAccept.call(picker, listener, thisArg, disposables);
      },
    });
    driving = drive(picker as unknown as vscode.QuickPick<vscode.QuickPickItem>, () => listeners.forEach((l) => l()));
    return picker;
  }) as typeof vscode.window.createQuickPick;
  try {
    const result = await body();
    await driving;
    return result;
  } finally {
    window.createQuickPick = original;
  }
}

/** A Python file of `bytes` or so with a small literal every few lines. */
function pythonWithMatrices(bytes: number, seed: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = i % 4 === 0 ? `k${i} = [[${seed}, ${i}, 1], [2, 3, 4]]` : `x${i} = compute(${i}, "some text that is not a matrix")`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

describe('Set Kernel’s picker', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('lists a matrix of a workspace file that is not open, found in the worker, and sets it as the kernel, beside an open file of 400 literals', async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // An open document with more literals than the picker lists must not leave the workspace's files out.
    await openUntitled('python', Array.from({ length: 400 }, (_, i) => `k${i} = [[${i}, 1], [1, 1]]`).join('\n'));
    const seen: string[][] = [];
    const set = await withNextQuickPick(
      async (picker, accept) => {
        const item = await until(
          'the sobel_y kernel of kernels.json',
          () => picker.items.find((i) => i.description === 'kernels.json:5'),
          (found) => found !== undefined,
          20_000,
        ).catch((error: unknown) => {
          // Close the picker so that the command ends and the test fails with what the picker showed.
          const shown = `the picker showed "${picker.title ?? ''}" / "${picker.placeholder ?? ''}" with ${picker.items.map((i) => i.description ?? i.label).join(', ')}`;
          picker.hide();
          throw new Error(`${error instanceof Error ? error.message : String(error)}; ${shown}`);
        });
        seen.push(picker.items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label));
        picker.selectedItems = [item!];
        accept();
      },
      () => vscode.commands.executeCommand<{ shape: number[]; data: number[]; target: string }>('layerLens.setKernel'),
    );
    assert.deepEqual(set?.shape, [3, 3]);
    assert.deepEqual(set?.data, [-1, -2, -1, 0, 0, 0, 1, 2, 1]);
    assert.ok(seen[0]?.some((label) => label.startsWith('Workspace files')), JSON.stringify(seen));
  });

  describe('the search of the workspace files', () => {
    let folder: string;
    let uris: vscode.Uri[];
    let posted: number;
    let client: EngineWorkerClient;
    const countingStarter: StartWorker = (events) => {
      const handle = nodeWorkerStarter(workerScript)(events);
      return {
        postMessage: (message) => {
          if (message.op === 'listMatrices') posted++;
          handle.postMessage(message);
        },
        terminate: () => handle.terminate(),
      };
    };

    before(async () => {
      folder = await fs.mkdtemp(path.join(os.tmpdir(), 'layer-lens-scan-'));
      uris = [];
      for (let i = 0; i < 16; i++) {
        const file = path.join(folder, `model_${String(i).padStart(2, '0')}.py`);
        await fs.writeFile(file, pythonWithMatrices(400_000, i));
        uris.push(vscode.Uri.file(file));
      }
    });
    beforeEach(() => {
      posted = 0;
      client = new EngineWorkerClient(countingStarter);
    });
    afterEach(() => client.dispose());

    it('lists every file in the worker while the extension host’s thread stays free', async function () {
      this.timeout(120_000);
      // The same work on this thread, for comparison.
      const texts = await Promise.all(uris.map(async (uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))));
      const onThreadStarted = performance.now();
      const onThread = texts.reduce((n, text) => n + listMatrices(text, 'python').length, 0);
      const onThreadMs = performance.now() - onThreadStarted;

      let longestGap = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 5);
      const files: FileMatrices[] = [];
      const source = new vscode.CancellationTokenSource();
      const started = performance.now();
      const outcome = await scanFiles(uris, { engine: client, token: source.token, onFile: (file) => files.push(file), budgetMs: 60_000 });
      const scanMs = performance.now() - started;
      clearInterval(ticker);
      assert.deepEqual(outcome, { read: uris.length, total: uris.length, stopped: false });
      assert.equal(posted, uris.length, 'every file was searched in the worker');
      assert.equal(files.reduce((n, f) => n + f.matrices.length, 0), onThread);
      assert.deepEqual(files[0]?.matrices[0]?.shape, [2, 3]);
      const figures = { files: uris.length, bytesEach: 400_000, onHostThreadMs: Math.round(onThreadMs), inWorkerMs: Math.round(scanMs), longestHostPauseMs: Math.round(longestGap) };
      const results = path.resolve(__dirname, '../../../test-results/integration');
      await fs.mkdir(results, { recursive: true });
      await fs.writeFile(path.join(results, 'set-kernel-search.json'), JSON.stringify(figures, null, 2) + '\n');
      assert.ok(longestGap < onThreadMs / 2, `the host's thread paused ${longestGap.toFixed(0)} ms while the worker searched (the whole search takes ${onThreadMs.toFixed(0)} ms on it)`);
    });

    it('stops at its time budget, saying how many files it read', async () => {
      const source = new vscode.CancellationTokenSource();
      const outcome = await scanFiles(uris, { engine: client, token: source.token, onFile: () => undefined, budgetMs: 1 });
      assert.equal(outcome.stopped, true);
      assert.ok(outcome.read >= 1 && outcome.read < uris.length, `read ${outcome.read} of ${uris.length}`);
      assert.equal(outcome.total, uris.length);
    });

    it('stops when cancelled (the picker closed), and reports nothing after', async () => {
      const source = new vscode.CancellationTokenSource();
      const files: FileMatrices[] = [];
      const outcome = await scanFiles(uris, {
        engine: client,
        token: source.token,
        onFile: (file) => {
          files.push(file);
          if (files.length === 2) source.cancel();
        },
      });
      assert.equal(files.length, 2);
      assert.equal(outcome.stopped, false);
      assert.ok(outcome.read < uris.length, `read ${outcome.read}`);
    });
  });
});
