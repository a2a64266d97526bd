/** The engine worker in Node's extension host: a `worker_threads` thread running `dist/engineWorker.js`. */
import { Worker } from 'node:worker_threads';
import type { StartWorker } from './engineWorkerClient';

export function nodeWorkerStarter(scriptPath: string): StartWorker {
  return (events) => {
    const worker = new Worker(scriptPath);
    worker.on('message', events.message);
    worker.on('error', (error) => events.failure(new Error(`The Layer Lens engine worker failed: ${error.message}`)));
    worker.on('exit', (code) => events.failure(new Error(`The Layer Lens engine worker stopped unexpectedly (exit code ${code}).`)));
    return {
      postMessage: (message) => worker.postMessage(message),
      terminate: () => void worker.terminate(),
    };
  };
}
