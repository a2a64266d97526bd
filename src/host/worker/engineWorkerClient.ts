/**
 * The extension host's side of the engine worker: one worker, started on first use, answering
 * requests by id. Cancelling a request terminates the worker (the engine's loops cannot be
 * interrupted otherwise) and rejects everything pending on it with `vscode.CancellationError`; the
 * next request starts a fresh one. The worker itself comes from a {@link StartWorker}: a
 * `worker_threads` thread in Node's extension host, a Web Worker in the browser's.
 */
import * as vscode from 'vscode';
import { LayerError } from '../../core/engine/errors';
import type { GatherLayerCall } from '../../core/engine/gatherLayer';
import type { ConvTranspose2dOptions } from '../../core/engine/options';
import type { Tensor } from '../../core/engine/tensor';
import type { LabComputed, LabSettings } from '../../core/protocol/lab';
import type { VolumeLayerCall } from '../../core/protocol/volume';
import type { CompoundOverlap, CompoundOverlapOptions } from '../../core/engine/compoundOverlap';
import type { DocumentSummary, SummaryRequest } from '../../core/insight/documentSummary';
import type { ListedMatrix } from '../../core/worker/matrixListing';
import type { ModelAnswer, ModelRequest } from '../../core/model/modelMessages';
import { isWorkerResponse, type TextPiece, type WorkerRequest, type WorkerResponse } from '../../core/worker/protocol';
import type { FoundMatrix } from '../../core/parse/codeFinder';
import { ParseError } from '../../core/parse/errors';
import type { Notation } from '../../core/parse/notation';
import type { LocatedTensor } from '../../core/parse/parseMatrix';

/** A running worker, as the client uses it on either platform. */
export interface WorkerHandle {
  postMessage(message: WorkerRequest): void;
  terminate(): void;
}

/** What a worker reports: a message, or that it failed or stopped on its own. */
export interface WorkerEvents {
  readonly message: (message: unknown) => void;
  readonly failure: (error: Error) => void;
}

/** Starts a worker running `dist/engineWorker.js` (or its web twin) and reports its events. */
export type StartWorker = (events: WorkerEvents) => WorkerHandle;

/** What a successful response carries. */
type Success = Extract<WorkerResponse, { ok: true }>;

interface Pending {
  readonly resolve: (response: Success) => void;
  readonly reject: (error: Error) => void;
}

export class EngineWorkerClient implements vscode.Disposable {
  private worker: WorkerHandle | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly startWorker: StartWorker) {}

  async convTranspose2d(input: Tensor, weight: Tensor, options: Omit<ConvTranspose2dOptions, 'bias'>, token?: vscode.CancellationToken): Promise<Tensor> {
    const response = await this.request({ id: this.nextId++, op: 'convTranspose2d', input, weight, options }, token);
    if (!('output' in response)) throw new Error('Layer Lens engine error: the worker answered a convolution with something else');
    return response.output;
  }

  /** A convolution, pooling, upsampling or pixel shuffle; cancelling stops the worker at once. */
  async gatherLayer(call: GatherLayerCall, token?: vscode.CancellationToken): Promise<Tensor> {
    const response = await this.request({ id: this.nextId++, op: 'gatherLayer', call }, token);
    if (!('output' in response)) throw new Error('Layer Lens engine error: the worker answered a layer with something else');
    return response.output;
  }

  /** A 1-D or 3-D layer (src/core/engine/volumeLayer.ts); cancelling stops the worker at once. */
  async volumeLayer(call: VolumeLayerCall, token?: vscode.CancellationToken): Promise<Tensor> {
    const response = await this.request({ id: this.nextId++, op: 'volumeLayer', call }, token);
    if (!('output' in response)) throw new Error('Layer Lens engine error: the worker answered a layer with something else');
    return response.output;
  }

  /** The checkerboard lab on `settings`; cancelling (or disposing) stops the worker at once. */
  async checkerboardLab(settings: LabSettings, token?: vscode.CancellationToken): Promise<LabComputed> {
    const response = await this.request({ id: this.nextId++, op: 'checkerboardLab', settings }, token);
    if (!('lab' in response)) throw new Error('Layer Lens engine error: the worker answered the lab with something else');
    return response.lab;
  }

  /** The compound overlap of a stack's spatial path (src/core/engine/compoundOverlap.ts). */
  async compoundOverlap(options: CompoundOverlapOptions, token?: vscode.CancellationToken): Promise<CompoundOverlap> {
    const response = await this.request({ id: this.nextId++, op: 'compoundOverlap', options }, token);
    if (!('compound' in response)) throw new Error('Layer Lens engine error: the worker answered a compound overlap with something else');
    return response.compound;
  }

  /** A whole model read, traced and its valid input sizes searched (src/core/model/modelMessages.ts). */
  async analyzeModel(request: ModelRequest, token?: vscode.CancellationToken): Promise<ModelAnswer> {
    const response = await this.request({ id: this.nextId++, op: 'analyzeModel', request }, token);
    if (!('model' in response)) throw new Error('Layer Lens engine error: the worker answered a model with something else');
    return response.model;
  }

  /** What the editor shows for a whole document (src/core/insight/documentSummary.ts). */
  async summarizeDocument(request: SummaryRequest, token?: vscode.CancellationToken): Promise<DocumentSummary> {
    const response = await this.request({ id: this.nextId++, op: 'summarizeDocument', request }, token);
    if (!('summary' in response)) throw new Error('Layer Lens engine error: the worker answered a document summary with something else');
    return response.summary;
  }

  /**
   * Set Kernel's list of one text's matrices, read in the worker. No cancellation token: stopping
   * the worker would stop every other job on it, and one file's list is quick (its size is bounded).
   */
  async listMatrices(text: string, languageId: string): Promise<ListedMatrix[]> {
    const response = await this.request({ id: this.nextId++, op: 'listMatrices', text, languageId });
    if (!('matrices' in response)) throw new Error('Layer Lens engine error: the worker answered a matrix list with something else');
    return response.matrices;
  }

  /** A selection read as one matrix; rejects with the parser's ParseError (offsets in `text`). */
  async parseMatrix(text: string, notation: Notation | undefined, token?: vscode.CancellationToken): Promise<LocatedTensor> {
    const response = await this.request({ id: this.nextId++, op: 'parseMatrix', text, ...(notation !== undefined ? { notation } : {}) }, token);
    if (!('located' in response)) throw new Error('Layer Lens engine error: the worker answered a parse with something else');
    return response.located;
  }

  /** The matrix literals of parts of a document, at their offsets in it. */
  async findMatrices(pieces: readonly TextPiece[], languageId: string | undefined, token?: vscode.CancellationToken): Promise<readonly FoundMatrix[]> {
    const response = await this.request({ id: this.nextId++, op: 'findMatrices', pieces, ...(languageId !== undefined ? { languageId } : {}) }, token);
    if (!('found' in response)) throw new Error('Layer Lens engine error: the worker answered a search with something else');
    return response.found;
  }

  private request(request: WorkerRequest, token?: vscode.CancellationToken): Promise<Success> {
    if (token?.isCancellationRequested) return Promise.reject(new vscode.CancellationError());
    const worker = this.ensureWorker();
    return new Promise<Success>((resolve, reject) => {
      const cancellation = token?.onCancellationRequested(() => this.restart(new vscode.CancellationError()));
      const settle = <T>(finish: (value: T) => void) => (value: T) => {
        cancellation?.dispose();
        finish(value);
      };
      this.pending.set(request.id, { resolve: settle(resolve), reject: settle(reject) });
      worker.postMessage(request);
    });
  }

  private ensureWorker(): WorkerHandle {
    if (this.worker) return this.worker;
    const worker: WorkerHandle = this.startWorker({
      message: (message) => this.receive(message),
      // Only this worker's own failure restarts: one terminated on purpose is no longer `this.worker`.
      failure: (error) => {
        if (this.worker === worker) this.restart(error);
      },
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: unknown): void {
    if (!isWorkerResponse(message)) {
      // A request whose answer does not pass the guard fails rather than waiting forever.
      const id = (message as { id?: unknown } | null)?.id;
      const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (pending && typeof id === 'number') {
        this.pending.delete(id);
        pending.reject(new Error('Layer Lens engine error: the worker sent an answer that is not well-formed'));
        return;
      }
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
    worker?.terminate();
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
    pending.resolve(response);
    return;
  }
  const { failure } = response;
  pending.reject(
    failure.kind === 'layer'
      ? new LayerError(failure.code, failure.message)
      : failure.kind === 'parse'
        ? new ParseError(failure.message, failure.range, failure.problem)
        : new Error(`Layer Lens engine error: ${failure.message}`),
  );
}
