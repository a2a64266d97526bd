/**
 * The engine worker in Node's extension host: a `worker_threads` thread that runs large
 * computations so the extension host, which every extension shares, never waits on them.
 * Cancelling a job terminates the thread (the engine's loops have no yield points), and the host
 * starts a fresh one for the next job. The browser's twin is src/host/web/engineWorker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { answer } from '../../core/worker/engineService';

const port = parentPort;
if (!port) throw new Error('engineWorker.js runs only as a worker thread');

port.on('message', (message: unknown) => {
  const { response, transfer } = answer(message);
  port.postMessage(response, transfer);
});
