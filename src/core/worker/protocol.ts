/**
 * Messages between the extension host and the engine worker (`dist/engineWorker.js`). Tensors
 * travel as typed arrays (structured clone), never as JSON text; the worker transfers its output
 * buffers back instead of copying them.
 */
import type { CompoundOverlap, CompoundOverlapOptions, SpatialStep } from '../engine/compoundOverlap';
import type { LayerErrorCode } from '../engine/errors';
import type { ConvTranspose2dOptions } from '../engine/options';
import type { Tensor } from '../engine/tensor';
import type { GatherLayerCall } from '../engine/gatherLayer';
import { isGatherLayerCall } from '../protocol/layer';
import { isLabComputed, isLabSettings, type LabComputed, type LabSettings } from '../protocol/lab';
import { isDocumentSummary, isSummaryRequest, type DocumentSummary, type SummaryRequest } from '../insight/documentSummary';
import { isListedMatrices, type ListedMatrix } from './matrixListing';

export interface ConvTranspose2dRequest {
  readonly id: number;
  readonly op: 'convTranspose2d';
  readonly input: Tensor;
  readonly weight: Tensor;
  readonly options: Omit<ConvTranspose2dOptions, 'bias'>;
}

/** The checkerboard lab: the three upsampling methods and their spectra (src/core/worker/labCompute.ts). */
export interface CheckerboardLabRequest {
  readonly id: number;
  readonly op: 'checkerboardLab';
  readonly settings: LabSettings;
}


/** The all-ones response through a stack's spatial path (src/core/engine/compoundOverlap.ts). */
export interface CompoundOverlapRequest {
  readonly id: number;
  readonly op: 'compoundOverlap';
  readonly options: CompoundOverlapOptions;
}

/** A convolution, pooling, upsampling or pixel shuffle (src/core/engine/gatherLayer.ts). */
export interface GatherLayerRequest {
  readonly id: number;
  readonly op: 'gatherLayer';
  readonly call: GatherLayerCall;
}

/** What the editor shows for a whole document: its CodeLens, diagnostics and matrix count (src/core/insight/documentSummary.ts). */
export interface SummarizeDocumentRequest {
  readonly id: number;
  readonly op: 'summarizeDocument';
  readonly request: SummaryRequest;
}

/** Set Kernel's list of one workspace file's matrices (src/core/worker/matrixListing.ts). */
export interface ListMatricesRequest {
  readonly id: number;
  readonly op: 'listMatrices';
  readonly text: string;
  readonly languageId: string;
}

export type WorkerRequest = ConvTranspose2dRequest | CheckerboardLabRequest | CompoundOverlapRequest | GatherLayerRequest | SummarizeDocumentRequest | ListMatricesRequest;

export type WorkerFailure =
  /** The engine refused the call (a LayerError): shown to the user as it is. */
  | { readonly kind: 'layer'; readonly code: LayerErrorCode; readonly message: string }
  /** Anything else: a bug, reported as one. */
  | { readonly kind: 'internal'; readonly message: string };

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly output: Tensor }
  | { readonly id: number; readonly ok: true; readonly lab: LabComputed }
  | { readonly id: number; readonly ok: true; readonly compound: CompoundOverlap }
  | { readonly id: number; readonly ok: true; readonly summary: DocumentSummary }
  | { readonly id: number; readonly ok: true; readonly matrices: ListedMatrix[] }
  | { readonly id: number; readonly ok: false; readonly failure: WorkerFailure };

function isTensor(value: unknown): value is Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0) && data instanceof Float64Array;
}

function isPair(value: unknown): value is readonly [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

const STEP_PAIRS: Readonly<Record<SpatialStep['kind'], readonly string[]>> = {
  convTranspose: ['kernel', 'stride', 'padding', 'outputPadding', 'dilation'],
  conv: ['kernel', 'stride', 'padding', 'dilation'],
  maxPool: ['kernel', 'stride', 'padding'],
  avgPool: ['kernel', 'stride', 'padding'],
  upsample: ['scale'],
};

function isSpatialStep(value: unknown): value is SpatialStep {
  if (typeof value !== 'object' || value === null) return false;
  const step = value as Record<string, unknown>;
  const pairs = STEP_PAIRS[step.kind as SpatialStep['kind']] as readonly string[] | undefined;
  if (!pairs || !Object.hasOwn(STEP_PAIRS, step.kind as string)) return false;
  if (step.kind === 'upsample' && step.mode !== 'nearest' && step.mode !== 'bilinear') return false;
  return pairs.every((key) => isPair(step[key]));
}

export function isCompoundOverlapOptions(value: unknown): value is CompoundOverlapOptions {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as { inputSize?: unknown; steps?: unknown };
  return isPair(o.inputSize) && Array.isArray(o.steps) && o.steps.every(isSpatialStep);
}

function isCompoundOverlap(value: unknown): value is CompoundOverlap {
  if (typeof value !== 'object' || value === null) return false;
  const steps = (value as { steps?: unknown }).steps;
  return Array.isArray(steps) && steps.every((s: unknown) => typeof s === 'object' && s !== null && isTensor((s as { map?: unknown }).map) && isPair((s as { period?: unknown }).period));
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof ConvTranspose2dRequest | keyof CheckerboardLabRequest | 'options', unknown>>;
  if (typeof r.id !== 'number') return false;
  if (r.op === 'checkerboardLab') return isLabSettings(r.settings);
  if (r.op === 'compoundOverlap') return isCompoundOverlapOptions(r.options);
  if (r.op === 'summarizeDocument') return isSummaryRequest((value as { request?: unknown }).request);
  if (r.op === 'gatherLayer') return isGatherLayerCall((value as { call?: unknown }).call);
  if (r.op === 'listMatrices') {
    const { text, languageId } = value as { text?: unknown; languageId?: unknown };
    return typeof text === 'string' && typeof languageId === 'string';
  }
  return r.op === 'convTranspose2d' && isTensor(r.input) && isTensor(r.weight) && typeof r.options === 'object' && r.options !== null;
}

export function isWorkerResponse(value: unknown): value is WorkerResponse {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { id?: unknown; ok?: unknown; output?: unknown; lab?: unknown; compound?: unknown; summary?: unknown; matrices?: unknown; failure?: { kind?: unknown; message?: unknown } };
  if (typeof r.id !== 'number') return false;
  if (r.ok === true) {
    if ('lab' in r) return isLabComputed(r.lab);
    if ('compound' in r) return isCompoundOverlap(r.compound);
    if ('summary' in r) return isDocumentSummary(r.summary);
    if ('matrices' in r) return isListedMatrices(r.matrices);
    return isTensor(r.output);
  }
  return r.ok === false && (r.failure?.kind === 'layer' || r.failure?.kind === 'internal') && typeof r.failure.message === 'string';
}
