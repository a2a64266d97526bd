/**
 * The extension host's side of the engine worker: one thread, started on first use, answering
 * requests by id. Cancelling a request terminates the thread (the engine's loops cannot be
 * interrupted otherwise) and rejects everything pending on it with `vscode.CancellationError`; the
 * next request starts a fresh thread.
 */
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { LayerError } from '../engine/errors';
import type { ConvTranspose2dOptions } from '../engine/options';
import type { Tensor } from '../engine/tensor';
import { isWorkerResponse, type WorkerRequest, type WorkerResponse } from './protocol';

interface Pending {
  readonly resolve: (output: Tensor) => void;
  readonly reject: (error: Error) => void;
}

export class EngineWorkerClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `scriptPath`: the built worker, `dist/engineWorker.js` of the extension. */
  constructor(private readonly scriptPath: string) {}

  convTranspose2d(input: Tensor, weight: Tensor, options: Omit<ConvTranspose2dOptions, 'bias'>, token?: vscode.CancellationToken): Promise<Tensor> {
    return this.request({ id: this.nextId++, op: 'convTranspose2d', input, weight, options }, token);
  }

  private request(request: WorkerRequest, token?: vscode.CancellationToken): Promise<Tensor> {
    if (token?.isCancellationRequested) return Promise.reject(new vscode.CancellationError());
    const worker = this.ensureWorker();
    return new Promise<Tensor>((resolve, reject) => {
      const cancellation = token?.onCancellationRequested(() => this.restart(new vscode.CancellationError()));
      const settle = <T>(finish: (value: T) => void) => (value: T) => {
        cancellation?.dispose();
        finish(value);
      };
      this.pending.set(request.id, { resolve: settle(resolve), reject: settle(reject) });
      worker.postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath);
    worker.on('message', (message: unknown) => this.receive(message));
    worker.on('error', (error) => this.restart(new Error(`The Layer Lens engine worker failed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.restart(new Error(`The Layer Lens engine worker stopped unexpectedly (exit code ${code}).`));
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: unknown): void {
    if (!isWorkerResponse(message)) {
      console.warn('[Layer Lens] ignored a malformed message from the engine worker');
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    settleFrom(message, pending);
  }

  /** Stops the thread and rejects everything pending on it with `reason`. */
  private restart(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of pending) reject(reason);
  }

  dispose(): void {
    this.restart(new vscode.CancellationError());
  }
}

function settleFrom(response: WorkerResponse, pending: Pending): void {
  if (response.ok) {
    pending.resolve(response.output);
    return;
  }
  const { failure } = response;
  pending.reject(failure.kind === 'layer' ? new LayerError(failure.code, failure.message) : new Error(`Layer Lens engine error: ${failure.message}`));
}
