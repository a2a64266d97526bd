/** The engine itself, the reference every other library is checked against. */
import { core } from '../core';
import { inProcessCase, type PeerSource } from './peer';

export const layerLens: PeerSource = {
  name: 'Layer Lens',
  async load() {
    return {
      name: this.name,
      dtype: 'float64',
      detail: 'dist/core.js, float64, WebAssembly SIMD kernels from 2048 multiply-adds up (TypeScript below that, and wherever WebAssembly cannot run)',
      async prepare(c, data) {
        const input = core.tensor([...c.inputShape], data.input);
        const weight = core.tensor([...c.weightShape], data.weight);
        const options = { stride: c.stride, padding: c.padding, outputPadding: c.outputPadding };
        const run = () => core.convTranspose2d(input, weight, options);
        return inProcessCase({ run, output: run, release() {} });
      },
      async close() {},
    };
  },
};
