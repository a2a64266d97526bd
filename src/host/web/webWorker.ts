/** The engine worker in the browser's extension host: a Web Worker running `dist/web/engineWorker.js`. */
import type { StartWorker } from '../worker/engineWorkerClient';

export const ENGINE_WORKER_NAME = 'Layer Lens engine';

export function webWorkerStarter(scriptUrl: string): StartWorker {
  return (events) => {
    // Named, so that it is recognisable among the workbench's workers in a debugger (and in the end-to-end test).
    const worker = new Worker(scriptUrl, { name: ENGINE_WORKER_NAME });
    worker.onmessage = (event: MessageEvent<unknown>) => events.message(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      events.failure(new Error(`The Layer Lens engine worker failed: ${event.message || 'it could not be started'}`));
    };
    worker.onmessageerror = () => events.failure(new Error('The Layer Lens engine worker sent a message that could not be read.'));
    return {
      postMessage: (message) => worker.postMessage(message),
      terminate: () => worker.terminate(),
    };
  };
}
