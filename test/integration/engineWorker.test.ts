import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LayerError } from '../../src/core/engine/errors';
import { tensor } from '../../src/core/engine/tensor';
import { EngineWorkerClient } from '../../src/host/worker/engineWorkerClient';
import { nodeWorkerStarter } from '../../src/host/worker/nodeWorker';

const workerScript = path.resolve(__dirname, '../../../dist/engineWorker.js');

describe('engine worker (worker_threads in the extension host)', () => {
  let client: EngineWorkerClient;
  beforeEach(() => (client = new EngineWorkerClient(nodeWorkerStarter(workerScript))));
  afterEach(() => client.dispose());

  it('computes in the worker and returns the output as a Float64Array', async () => {
    const output = await client.convTranspose2d(tensor([2, 2], [1, 2, 3, 4]), tensor([2, 2], [1, 1, 1, 1]), { stride: 1 });
    assert.deepEqual(output.shape, [3, 3]);
    assert.ok(output.data instanceof Float64Array);
    assert.deepEqual(Array.from(output.data), [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });

  it("rejects with the engine's LayerError for a call PyTorch rejects", async () => {
    await assert.rejects(
      client.convTranspose2d(tensor([2, 2], [1, 2, 3, 4]), tensor([2, 2], [1, 1, 1, 1]), { stride: 1, outputPadding: 2 }),
      (error: unknown) => error instanceof LayerError && error.code === 'output-padding-too-large',
    );
  });

  it('cancels a running job by stopping the thread, and starts a fresh one for the next job', async () => {
    const big = tensor([2000, 2000], new Float64Array(4_000_000).fill(1));
    const kernel = tensor([32, 32], new Float64Array(1024).fill(1)); // 4 billion multiply-adds
    const source = new vscode.CancellationTokenSource();
    const job = client.convTranspose2d(big, kernel, { stride: 1 }, source.token);
    setTimeout(() => source.cancel(), 100);
    const started = Date.now();
    await assert.rejects(job, (error: unknown) => error instanceof vscode.CancellationError);
    assert.ok(Date.now() - started < 5000, 'cancelling did not stop the job');
    const next = await client.convTranspose2d(tensor([1, 1], [2]), tensor([1, 1], [3]), {});
    assert.deepEqual(Array.from(next.data), [6]);
  });
});
