/**
 * What `npm run bench` needs from each library it compares: load it, set a case up outside the
 * timed region, time calls, and hand back the output so the benchmark can check that all agree.
 */
import type { ConvCase, ConvData } from '../cases';
import { medianMs } from '../measure';

export type Dtype = 'float32' | 'float64';

/** A library before it is loaded. Loading fails when it is not installed or cannot start. */
export interface PeerSource {
  readonly name: string;
  /** Loads the library, or rejects with an Error whose message says why it is unavailable. */
  load(): Promise<Peer>;
}

export interface Peer {
  readonly name: string;
  /** The element type it computes in (the engine and PyTorch in float64, the others in float32). */
  readonly dtype: Dtype;
  /** How it runs, for the report: version, backend, threads. */
  readonly detail: string;
  /** Sets a case up outside any timed region: layout changes, tensors, sessions. */
  prepare(c: ConvCase, data: ConvData): Promise<PreparedCase>;
  close(): Promise<void>;
}

/** An output in PyTorch's layout (NCHW), at the precision the library computed it in. */
export interface PeerOutput {
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array;
}

export interface PreparedCase {
  /** Median milliseconds per call, spending about `budgetMs` on timed calls after a warm-up. */
  time(budgetMs: number): Promise<number>;
  /** One call's output, computed and converted to NCHW outside any timed region. */
  output(): Promise<PeerOutput>;
  release(): Promise<void>;
}

/** A case whose calls run in this process, timed here with `medianMs`. */
export interface InProcessCall {
  /** Makes the library ready for this case's calls (tfjs: switch to this peer's backend). */
  activate?(): Promise<void>;
  /** One timed call: the operation with its result read back into JavaScript, so the work is done. */
  run(): unknown;
  output(): PeerOutput | Promise<PeerOutput>;
  release(): void | Promise<void>;
}

export function inProcessCase(call: InProcessCall): PreparedCase {
  return {
    async time(budgetMs) {
      await call.activate?.();
      return medianMs(() => call.run(), budgetMs);
    },
    async output() {
      await call.activate?.();
      return call.output();
    },
    async release() {
      await call.release();
    },
  };
}
