/**
 * The engine worker in the browser's extension host (vscode.dev, github.dev): a Web Worker running
 * the same engine as Node's worker thread (src/host/worker/engineWorker.ts), so large computations never
 * stall the extension host there either.
 */
import { answer } from '../../core/worker/engineService';

self.onmessage = (event: MessageEvent<unknown>) => {
  const { response, transfer } = answer(event.data);
  self.postMessage(response, { transfer });
};
