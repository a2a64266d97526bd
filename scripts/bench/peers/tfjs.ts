/**
 * TensorFlow.js, with its plain JavaScript CPU backend or its WebAssembly backend, both in this
 * process (one tfjs engine, switched with tf.setBackend). tfjs computes in float32 only.
 *
 * PyTorch's conv_transpose2d(stride s, padding p, output_padding op) is tfjs's
 * conv2dTranspose(x, filter, outputShape, s, pad) with outputShape PyTorch's output size O and the
 * explicit padding p on every side: tfjs computes the gradient of a conv2d over an O-sized input
 * padded by p on each side, and that conv's output size trunc((O + 2p − k)/s + 1) = H holds for
 * every op < s, so the output_padding rows simply come out of the gradient (zero where the full
 * output does not reach them, as in PyTorch). No cropping is needed, so the timed call is exactly
 * the op plus reading its result back. The padding must be explicit: with a plain number, tfjs
 * 4.22 sizes both axes with the kernel's height, and a non-square kernel then reads past the input
 * (NaN on the CPU backend, stray memory on WebAssembly).
 */
import { dirname, join } from 'node:path';
import { isVolume, outputShape } from '../cases';
import { channelsFirst, channelsLast, tfjsFilter } from '../layout';
import { benchRequire } from './benchPackage';
import { inProcessCase, type Peer, type PeerSource } from './peer';

type Shape4 = [number, number, number, number];

interface TfTensor {
  dataSync(): Float32Array;
  dispose(): void;
}

/**
 * The part of tfjs-core 4.22 used here. Written out because the library lives in `bench/`
 * (installed on first use), so the type-check of a fresh clone cannot read its declarations.
 */
interface Tf {
  readonly version_core: string;
  enableProdMode(): void;
  env(): { getAsync(flag: string): Promise<unknown> };
  getBackend(): string;
  setBackend(name: string): Promise<boolean>;
  tensor4d(values: Float32Array, shape: Shape4): TfTensor;
  conv2dTranspose(x: TfTensor, filter: TfTensor, outputShape: Shape4, strides: number, pad: [[number, number], [number, number], [number, number], [number, number]]): TfTensor;
}

/** The part of tfjs-backend-wasm 4.22 used here. */
interface TfWasm {
  setWasmPaths(prefix: string): void;
  setThreadsCount(threads: number): void;
}

export type TfjsBackend = 'cpu' | 'wasm';

let loadedTf: Tf | undefined;

/** tfjs-core once for both backends: each backend package registers itself with that one engine. */
async function tfjsCore(): Promise<Tf> {
  if (!loadedTf) {
    loadedTf = benchRequire('@tensorflow/tfjs-core') as Tf;
    // Production mode, as an application would run it; it also silences the console banner
    // recommending tfjs-node, which downloads a native TensorFlow outside npm at install time.
    loadedTf.enableProdMode();
  }
  return loadedTf;
}

/** Registers the backend and says how it runs. */
async function registerBackend(tf: Tf, backend: TfjsBackend): Promise<string> {
  if (backend === 'cpu') {
    benchRequire('@tensorflow/tfjs-backend-cpu');
    return `tfjs ${tf.version_core}, plain JavaScript`;
  }
  const wasm = benchRequire('@tensorflow/tfjs-backend-wasm') as TfWasm;
  // The .wasm binaries from bench/node_modules: a file path prefix works in Node. Node gets the
  // single-threaded build (tfjs reports no multithread support there); SIMD when the runtime has it.
  wasm.setWasmPaths(join(dirname(benchRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  wasm.setThreadsCount(1);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return `tfjs ${tf.version_core}, WebAssembly ${simd ? 'with SIMD' : 'without SIMD'}, 1 thread`;
}

/** Switches tfjs to `backend`; `force` asks tfjs even when it says that backend is current (it does after a failed start). */
async function activate(tf: Tf, backend: TfjsBackend, force = false): Promise<void> {
  if ((force || tf.getBackend() !== backend) && !(await tf.setBackend(backend))) throw new Error(`tfjs could not start its ${backend} backend`);
}

export function tfjsPeer(backend: TfjsBackend): PeerSource {
  const name = `tfjs-${backend}`;
  return {
    name,
    async load(): Promise<Peer> {
      const tf = await tfjsCore();
      const detail = await registerBackend(tf, backend);
      await activate(tf, backend, true);
      return {
        name,
        dtype: 'float32',
        detail,
        async prepare(c, data) {
          // tfjs's conv3dTranspose takes no explicit padding, so PyTorch's padding has no exact counterpart.
          if (isVolume(c)) throw new Error('tfjs: compared on 2-D layers only');
          await activate(tf, backend);
          const input = channelsLast(data.input, c.inputShape as Shape4);
          const filter = tfjsFilter(data.weight, c.weightShape as Shape4);
          const x = tf.tensor4d(input.data, [...input.shape]);
          const f = tf.tensor4d(filter.data, [...filter.shape]);
          const [n = 0, outChannels = 0, outH = 0, outW = 0] = outputShape(c);
          const p = c.padding;
          const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [p, p], [p, p], [0, 0]];
          const call = () => tf.conv2dTranspose(x, f, [n, outH, outW, outChannels], c.stride, pad);
          return inProcessCase({
            activate: () => activate(tf, backend),
            run() {
              const y = call();
              y.dataSync();
              y.dispose();
            },
            output() {
              const y = call();
              const nchw = channelsFirst(y.dataSync(), [n, outH, outW, outChannels]);
              y.dispose();
              return nchw;
            },
            release() {
              x.dispose();
              f.dispose();
            },
          });
        },
        async close() {},
      };
    },
  };
}
