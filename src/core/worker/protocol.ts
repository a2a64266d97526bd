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
import { isVolumeLayerCall, type VolumeLayerCall } from '../protocol/volume';
import { isLabComputed, isLabSettings, type LabComputed, type LabSettings } from '../protocol/lab';
import { isDocumentSummary, isSummaryRequest, type DocumentSummary, type SummaryRequest } from '../insight/documentSummary';
import { isListedMatrices, type ListedMatrix } from './matrixListing';
import type { FoundMatrix } from '../parse/codeFinder';
import type { ParseProblem, TextRange } from '../parse/errors';
import { NOTATIONS, type Notation } from '../parse/notation';
import type { LocatedTensor } from '../parse/parseMatrix';
import { isModelAnswer, isModelRequest, type ModelAnswer, type ModelRequest } from '../model/modelMessages';

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

/** A 1-D or 3-D layer: convolution, transposed convolution, pooling, upsampling (src/core/engine/volumeLayer.ts). */
export interface VolumeLayerRequest {
  readonly id: number;
  readonly op: 'volumeLayer';
  readonly call: VolumeLayerCall;
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

/**
 * A selection read as one matrix (`parseRange` over the whole text), off the extension host: a
 * 2000×2000 literal takes seconds to read.
 */
export interface ParseMatrixRequest {
  readonly id: number;
  readonly op: 'parseMatrix';
  readonly text: string;
  readonly notation?: Notation;
}

/** A part of a document and where it starts in it. */
export interface TextPiece {
  readonly text: string;
  readonly offset: number;
}

/**
 * The matrix literals of parts of a document, as `findMatrices` lists them, at their offsets in the
 * document: the parts around the input, which the kernel picker does not offer and which may be the
 * largest literal of all (neither read nor sent).
 */
export interface FindMatricesRequest {
  readonly id: number;
  readonly op: 'findMatrices';
  readonly pieces: readonly TextPiece[];
  readonly languageId?: string;
}

/** A whole model read and its valid input sizes searched (src/core/model/modelMessages.ts). */
export interface AnalyzeModelRequest {
  readonly id: number;
  readonly op: 'analyzeModel';
  readonly request: ModelRequest;
}

export type WorkerRequest =
  | AnalyzeModelRequest
  | ConvTranspose2dRequest
  | CheckerboardLabRequest
  | CompoundOverlapRequest
  | GatherLayerRequest
  | VolumeLayerRequest
  | SummarizeDocumentRequest
  | ListMatricesRequest
  | ParseMatrixRequest
  | FindMatricesRequest;

export type WorkerFailure =
  /** The engine refused the call (a LayerError): shown to the user as it is. */
  | { readonly kind: 'layer'; readonly code: LayerErrorCode; readonly message: string }
  /** The text is not a matrix (a ParseError): its words and the place, relative to the text sent. */
  | { readonly kind: 'parse'; readonly problem: ParseProblem; readonly message: string; readonly range: TextRange }
  /** Anything else: a bug, reported as one. */
  | { readonly kind: 'internal'; readonly message: string };

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly output: Tensor }
  | { readonly id: number; readonly ok: true; readonly lab: LabComputed }
  | { readonly id: number; readonly ok: true; readonly compound: CompoundOverlap }
  | { readonly id: number; readonly ok: true; readonly summary: DocumentSummary }
  | { readonly id: number; readonly ok: true; readonly matrices: ListedMatrix[] }
  | { readonly id: number; readonly ok: true; readonly located: LocatedTensor }
  | { readonly id: number; readonly ok: true; readonly found: readonly FoundMatrix[] }
  | { readonly id: number; readonly ok: true; readonly model: ModelAnswer }
  | { readonly id: number; readonly ok: false; readonly failure: WorkerFailure };

function isTensor(value: unknown): value is Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0) && data instanceof Float64Array;
}

/** One finite number per spatial axis: `[l]`, `[h, w]` or `[d, h, w]` (the engine checks that a step's match its map). */
function isAxisSizes(value: unknown): value is readonly number[] {
  return Array.isArray(value) && value.length >= 1 && value.length <= 3 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

const STEP_SIZES: Readonly<Record<SpatialStep['kind'], readonly string[]>> = {
  convTranspose: ['kernel', 'stride', 'padding', 'outputPadding', 'dilation'],
  conv: ['kernel', 'stride', 'padding', 'dilation'],
  maxPool: ['kernel', 'stride', 'padding'],
  avgPool: ['kernel', 'stride', 'padding'],
  upsample: ['scale'],
};

const UPSAMPLE_MODES: readonly string[] = ['nearest', 'linear', 'bilinear', 'trilinear'];

function isSpatialStep(value: unknown): value is SpatialStep {
  if (typeof value !== 'object' || value === null) return false;
  const step = value as Record<string, unknown>;
  const sizes = STEP_SIZES[step.kind as SpatialStep['kind']] as readonly string[] | undefined;
  if (!sizes || !Object.hasOwn(STEP_SIZES, step.kind as string)) return false;
  if (step.kind === 'upsample' && !UPSAMPLE_MODES.includes(step.mode as string)) return false;
  return sizes.every((key) => isAxisSizes(step[key]));
}

export function isCompoundOverlapOptions(value: unknown): value is CompoundOverlapOptions {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as { inputSize?: unknown; steps?: unknown };
  return isAxisSizes(o.inputSize) && Array.isArray(o.steps) && o.steps.every(isSpatialStep);
}

function isCompoundOverlap(value: unknown): value is CompoundOverlap {
  if (typeof value !== 'object' || value === null) return false;
  const steps = (value as { steps?: unknown }).steps;
  return Array.isArray(steps) && steps.every((s: unknown) => typeof s === 'object' && s !== null && isTensor((s as { map?: unknown }).map) && isAxisSizes((s as { period?: unknown }).period));
}

const PARSE_PROBLEMS: readonly ParseProblem[] = ['syntax', 'not-a-number', 'empty', 'shape', 'size'];

function isTextRange(value: unknown): value is TextRange {
  if (typeof value !== 'object' || value === null) return false;
  const { start, end } = value as { start?: unknown; end?: unknown };
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && (start as number) >= 0 && (end as number) >= (start as number);
}

function isNotation(value: unknown): value is Notation {
  return (NOTATIONS as readonly unknown[]).includes(value);
}

/** A literal found or read: its place, its notation, and values matching its shape. */
function isLocatedValues(value: unknown): boolean {
  if (!isTextRange(value)) return false;
  const { shape, data, notation } = value as { shape?: unknown; data?: unknown; notation?: unknown };
  return isTensor({ shape, data }) && (data as Float64Array).length === (shape as number[]).reduce((a, b) => a * b, 1) && isNotation(notation);
}

function isLocatedTensor(value: unknown): value is LocatedTensor {
  if (typeof value !== 'object' || value === null) return false;
  const { tensor, start, end, notation } = value as { tensor?: unknown; start?: unknown; end?: unknown; notation?: unknown };
  return typeof tensor === 'object' && tensor !== null && isLocatedValues({ ...tensor, start, end, notation });
}

function isParseFailure(failure: { kind?: unknown; message?: unknown; problem?: unknown; range?: unknown }): boolean {
  return failure.kind === 'parse' && typeof failure.message === 'string' && PARSE_PROBLEMS.includes(failure.problem as ParseProblem) && isTextRange(failure.range);
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof ConvTranspose2dRequest | keyof CheckerboardLabRequest | 'options', unknown>>;
  if (typeof r.id !== 'number') return false;
  if (r.op === 'checkerboardLab') return isLabSettings(r.settings);
  if (r.op === 'compoundOverlap') return isCompoundOverlapOptions(r.options);
  if (r.op === 'summarizeDocument') return isSummaryRequest((value as { request?: unknown }).request);
  if (r.op === 'analyzeModel') return isModelRequest((value as { request?: unknown }).request);
  if (r.op === 'gatherLayer') return isGatherLayerCall((value as { call?: unknown }).call);
  if (r.op === 'volumeLayer') return isVolumeLayerCall((value as { call?: unknown }).call);
  if (r.op === 'listMatrices') {
    const { text, languageId } = value as { text?: unknown; languageId?: unknown };
    return typeof text === 'string' && typeof languageId === 'string';
  }
  if (r.op === 'parseMatrix') {
    const { text, notation } = value as { text?: unknown; notation?: unknown };
    return typeof text === 'string' && (notation === undefined || isNotation(notation));
  }
  if (r.op === 'findMatrices') {
    const { pieces, languageId } = value as { pieces?: unknown; languageId?: unknown };
    const isPiece = (piece: unknown) => typeof piece === 'object' && piece !== null && typeof (piece as TextPiece).text === 'string' && Number.isSafeInteger((piece as TextPiece).offset) && (piece as TextPiece).offset >= 0;
    return Array.isArray(pieces) && pieces.every(isPiece) && (languageId === undefined || typeof languageId === 'string');
  }
  return r.op === 'convTranspose2d' && isTensor(r.input) && isTensor(r.weight) && typeof r.options === 'object' && r.options !== null;
}

export function isWorkerResponse(value: unknown): value is WorkerResponse {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { id?: unknown; ok?: unknown; output?: unknown; lab?: unknown; compound?: unknown; summary?: unknown; matrices?: unknown; located?: unknown; found?: unknown; failure?: { kind?: unknown; message?: unknown } };
  if (typeof r.id !== 'number') return false;
  if (r.ok === true) {
    if ('lab' in r) return isLabComputed(r.lab);
    if ('compound' in r) return isCompoundOverlap(r.compound);
    if ('summary' in r) return isDocumentSummary(r.summary);
    if ('matrices' in r) return isListedMatrices(r.matrices);
    if ('located' in r) return isLocatedTensor(r.located);
    if ('found' in r) return Array.isArray(r.found) && r.found.every(isLocatedValues);
    if ('model' in r) return isModelAnswer((r as { model?: unknown }).model);
    return isTensor(r.output);
  }
  if (r.ok !== false || typeof r.failure !== 'object' || r.failure === null) return false;
  return ((r.failure.kind === 'layer' || r.failure.kind === 'internal') && typeof r.failure.message === 'string') || isParseFailure(r.failure);
}
