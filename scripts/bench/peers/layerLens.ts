/**
 * The engine itself, the reference every other library is checked against, timed two ways: as
 * most callers use it (a new output array per call), and writing into one output array reused
 * across calls (the `out` option), as a caller that runs a layer repeatedly can. The two differ
 * only where Node hands a large new array fresh memory from the operating system on every call
 * (above 32 MiB); tfjs and onnxruntime keep their outputs in memory they reuse.
 */
import { isVolume } from '../cases';
import { core } from '../core';
import { inProcessCase, type Peer, type PeerSource } from './peer';

const kernels = 'dist/core.js, float64, WebAssembly SIMD kernels from 2048 multiply-adds up (TypeScript below that, and wherever WebAssembly cannot run)';

function engine(name: string, detail: string, reuseOutput: boolean): PeerSource {
  return {
    name,
    async load(): Promise<Peer> {
      return {
        name,
        dtype: 'float64',
        detail,
        async prepare(c, data) {
          const input = core.tensor([...c.inputShape], data.input);
          const weight = core.tensor([...c.weightShape], data.weight);
          const options = { stride: c.stride, padding: c.padding, outputPadding: c.outputPadding };
          const layer = isVolume(c) ? core.convTranspose3d : core.convTranspose2d;
          const first = layer(input, weight, options);
          const out = reuseOutput ? new Float64Array(first.data.length) : undefined;
          const run = () => layer(input, weight, { ...options, out });
          return inProcessCase({ run, output: run, release() {} });
        },
        async close() {},
      };
    },
  };
}

export const layerLens = engine('Layer Lens', `${kernels}; a new output array per call`, false);
export const layerLensReusedOutput = engine('Layer Lens, reused out', `${kernels}; every call writes into one output array (the out option)`, true);
