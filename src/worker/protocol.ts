/**
 * Messages between the extension host and the engine worker (`dist/engineWorker.js`). Tensors
 * travel as typed arrays (structured clone), never as JSON text; the worker transfers its output
 * buffer back instead of copying it.
 */
import type { LayerErrorCode } from '../engine/errors';
import type { ConvTranspose2dOptions } from '../engine/options';
import type { Tensor } from '../engine/tensor';
import { isLabComputed, isLabSettings, type LabComputed, type LabSettings } from '../protocol/messages';

export interface ConvTranspose2dRequest {
  readonly id: number;
  readonly op: 'convTranspose2d';
  readonly input: Tensor;
  readonly weight: Tensor;
  readonly options: Omit<ConvTranspose2dOptions, 'bias'>;
}

/** The checkerboard lab: the three upsampling methods and their spectra (src/worker/labCompute.ts). */
export interface CheckerboardLabRequest {
  readonly id: number;
  readonly op: 'checkerboardLab';
  readonly settings: LabSettings;
}

export type WorkerRequest = ConvTranspose2dRequest | CheckerboardLabRequest;

export type WorkerFailure =
  /** The engine refused the call (a LayerError): shown to the user as it is. */
  | { readonly kind: 'layer'; readonly code: LayerErrorCode; readonly message: string }
  /** Anything else: a bug, reported as one. */
  | { readonly kind: 'internal'; readonly message: string };

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly output: Tensor }
  | { readonly id: number; readonly ok: true; readonly lab: LabComputed }
  | { readonly id: number; readonly ok: false; readonly failure: WorkerFailure };

function isTensor(value: unknown): value is Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0) && data instanceof Float64Array;
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof ConvTranspose2dRequest | keyof CheckerboardLabRequest, unknown>>;
  if (typeof r.id !== 'number') return false;
  if (r.op === 'checkerboardLab') return isLabSettings(r.settings);
  return r.op === 'convTranspose2d' && isTensor(r.input) && isTensor(r.weight) && typeof r.options === 'object' && r.options !== null;
}

export function isWorkerResponse(value: unknown): value is WorkerResponse {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { id?: unknown; ok?: unknown; output?: unknown; lab?: unknown; failure?: { kind?: unknown; message?: unknown } };
  if (typeof r.id !== 'number') return false;
  if (r.ok === true) return 'lab' in r ? isLabComputed(r.lab) : isTensor(r.output);
  return r.ok === false && (r.failure?.kind === 'layer' || r.failure?.kind === 'internal') && typeof r.failure.message === 'string';
}
