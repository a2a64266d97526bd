/**
 * The engine worker: a `worker_threads` thread that runs large computations so the extension host,
 * which every extension shares, never waits on them. Cancelling a job terminates the thread (the
 * engine's loops have no yield points), and the host starts a fresh one for the next job.
 */
import { parentPort } from 'node:worker_threads';
import { LayerError } from '../engine/errors';
import { convTranspose2d } from '../engine/index';
import { isWorkerRequest, type WorkerResponse } from './protocol';

const port = parentPort;
if (!port) throw new Error('engineWorker.js runs only as a worker thread');

port.on('message', (message: unknown) => {
  if (!isWorkerRequest(message)) {
    const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : -1;
    port.postMessage({ id, ok: false, failure: { kind: 'internal', message: 'the engine worker received a malformed request' } } satisfies WorkerResponse);
    return;
  }
  try {
    const output = convTranspose2d(message.input, message.weight, message.options);
    port.postMessage({ id: message.id, ok: true, output } satisfies WorkerResponse, [output.data.buffer as ArrayBuffer]);
  } catch (error) {
    const failure =
      error instanceof LayerError
        ? ({ kind: 'layer', code: error.code, message: error.message } as const)
        : ({ kind: 'internal', message: error instanceof Error ? error.message : String(error) } as const);
    port.postMessage({ id: message.id, ok: false, failure } satisfies WorkerResponse);
  }
});
