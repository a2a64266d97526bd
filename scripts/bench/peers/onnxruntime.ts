/**
 * onnxruntime-node on the CPU: one session per case, running a one-node ConvTranspose model built in
 * memory, with one intra-op thread, one inter-op thread and sequential execution.
 *
 * Its CPU ConvTranspose kernel exists for float32 only (a float64 model fails to load with "Could
 * not find an implementation"), so `load` probes float64 first and falls back to float32, labelled.
 */
import { convTransposeModel, valueNames, type OnnxDtype } from '../onnxModel';
import { benchRequire } from './benchPackage';
import { inProcessCase, type Peer, type PeerSource } from './peer';

interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
}

interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor | undefined>>;
  release(): Promise<void>;
}

/**
 * The part of onnxruntime-node 1.30 used here. Written out because the library lives in `bench/`
 * (installed on first use), so the type-check of a fresh clone cannot read its declarations.
 */
interface Ort {
  readonly env: { readonly versions: { readonly node?: string } };
  readonly InferenceSession: { create(model: Uint8Array, options: typeof sessionOptions): Promise<OrtSession> };
  readonly Tensor: new (type: OnnxDtype, data: Float32Array | Float64Array, dims: readonly number[]) => OrtTensor;
}

const sessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' } as const;

/** Whether onnxruntime can run a ConvTranspose in `dtype`: it refuses to load the model if not. */
async function supports(ort: Ort, dtype: OnnxDtype): Promise<boolean> {
  const model = convTransposeModel({ dtype, inputShape: [1, 1, 2, 2], weightShape: [1, 1, 2, 2], stride: 1, padding: 0, outputPadding: 0 });
  try {
    await (await ort.InferenceSession.create(model, sessionOptions)).release();
    return true;
  } catch {
    return false;
  }
}

export const onnxruntime: PeerSource = {
  name: 'onnxruntime',
  async load(): Promise<Peer> {
    const ort = benchRequire('onnxruntime-node') as Ort;
    const dtype: OnnxDtype = (await supports(ort, 'float64')) ? 'float64' : 'float32';
    if (!(await supports(ort, dtype))) throw new Error('onnxruntime cannot load a ConvTranspose model');
    const Values = dtype === 'float64' ? Float64Array : Float32Array;
    return {
      name: this.name,
      dtype,
      detail: `onnxruntime-node ${ort.env.versions.node ?? '?'}, CPU, 1 thread, ${dtype}${dtype === 'float32' ? ' (its CPU ConvTranspose has no float64 kernel)' : ''}`,
      async prepare(c, data) {
        const model = convTransposeModel({ dtype, inputShape: c.inputShape, weightShape: c.weightShape, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding });
        const session = await ort.InferenceSession.create(model, sessionOptions);
        const feeds = {
          [valueNames.input]: new ort.Tensor(dtype, Values.from(data.input), [...c.inputShape]),
          [valueNames.weight]: new ort.Tensor(dtype, Values.from(data.weight), [...c.weightShape]),
        };
        // `run` resolves after the native call has copied the output into a JavaScript array.
        const run = async () => (await session.run(feeds))[valueNames.output];
        return inProcessCase({
          run,
          async output() {
            const y = await run();
            if (!y || !(y.data instanceof Float32Array || y.data instanceof Float64Array)) throw new Error('onnxruntime returned no floating-point output');
            return { shape: y.dims, data: y.data };
          },
          release: () => session.release(),
        });
      },
      async close() {},
    };
  },
};
