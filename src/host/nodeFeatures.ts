/**
 * The features bundle of Node's extension host (dist/features.js): src/host/features.ts and the engine
 * worker as a `worker_threads` thread, whose module Node loads only with this bundle.
 */
export { createFeatures } from './features';
export { nodeWorkerStarter } from './worker/nodeWorker';
export { nodeFileSource } from './checkpoint/nodeFileSource';
