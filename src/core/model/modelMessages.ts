/**
 * The engine worker's whole-model request and answer (`op: 'analyzeModel'`): the model read and
 * its valid input sizes searched off the extension host's thread (the search over sides 1..1024
 * takes a few hundred milliseconds). Both are checked on arrival, as every message is.
 */
import { analyzeModel, traceModel, validInputSizes, type ConstructorArgument, type ModelAnalysis, type ModelProblem, type ValidInputSizes } from './analyzeModel';
import type { ModelTrace, TraceStep } from './modelTrace';

export interface ModelRequest {
  readonly source: string;
  readonly className: string;
  readonly inputShape: readonly number[];
  readonly files?: Readonly<Record<string, string>>;
  readonly args?: Readonly<Record<string, ConstructorArgument>>;
  /** Also search the square sides 1..maxSide that run, for inputs of `channels` channels (and `rank` spatial axes: lengths in 1-D, cube sides in 3-D). */
  readonly validSides?: { readonly channels: number; readonly maxSide: number; readonly rank?: 1 | 2 | 3 };
  /** Also trace every step of the run (the model view's table, src/core/model/modelTrace.ts). */
  readonly trace?: boolean;
}

export interface ModelAnswer {
  readonly analysis: ModelAnalysis;
  readonly sizes?: ValidInputSizes;
  readonly trace?: ModelTrace;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.length <= 8 && v.every(isCount);
const isScalar = (v: unknown): boolean => v === null || ['number', 'string', 'boolean'].includes(typeof v);

export function isModelRequest(value: unknown): value is ModelRequest {
  if (!isRecord(value)) return false;
  const { source, className, inputShape, files, args, validSides } = value;
  if (typeof source !== 'string' || typeof className !== 'string' || !isShape(inputShape)) return false;
  if (files !== undefined && !(isRecord(files) && Object.values(files).every((t) => typeof t === 'string'))) return false;
  if (args !== undefined && !(isRecord(args) && Object.values(args).every((a) => isScalar(a) || (Array.isArray(a) && a.every(isScalar))))) return false;
  if (value.trace !== undefined && typeof value.trace !== 'boolean') return false;
  return validSides === undefined || (isRecord(validSides) && isCount(validSides.channels) && isCount(validSides.maxSide) && validSides.maxSide <= 4096 && (validSides.rank === undefined || [1, 2, 3].includes(validSides.rank as number)));
}

const isProblem = (v: unknown): v is ModelProblem | null => v === null || (isRecord(v) && isCount(v.line) && typeof v.message === 'string' && typeof v.file === 'string');

function isAnalysis(v: unknown): v is ModelAnalysis {
  if (!isRecord(v) || !Array.isArray(v.layers) || !isProblem(v.error) || !isProblem(v.unknown)) return false;
  const layerOk = (l: unknown) => isRecord(l) && typeof l.path === 'string' && typeof l.op === 'string' && isShape(l.inputShape) && isShape(l.outputShape) && typeof l.macs === 'number' && typeof l.params === 'number';
  const output = v.output;
  const outputOk = output === null || (isRecord(output) && isShape(output.shape) && Array.isArray(output.shapes) && output.shapes.every(isShape));
  const pair = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every(Number.isSafeInteger);
  const field = v.receptiveField;
  const fieldOk = field === undefined || field === null || (isRecord(field) && pair(field.output) && pair(field.rows) && pair(field.cols));
  return v.layers.every(layerOk) && outputOk && fieldOk && (v.params === null || typeof v.params === 'number');
}

const isInputSource = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= -2;

function isTraceStep(v: unknown): v is TraceStep {
  if (!isRecord(v)) return false;
  const { kind, op, path, scope, inputs, output, sources, params, macs, line, file, transposed } = v;
  if ((kind !== 'layer' && kind !== 'op') || typeof op !== 'string' || typeof path !== 'string' || typeof scope !== 'string' || typeof file !== 'string') return false;
  if (!Array.isArray(inputs) || !inputs.every(isShape) || !isShape(output) || !Array.isArray(sources) || !sources.every(isInputSource)) return false;
  if (typeof params !== 'number' || typeof macs !== 'number' || !isCount(line)) return false;
  const axisOk = (a: unknown) => isRecord(a) && [a.kernel, a.stride, a.padding, a.outputPadding, a.dilation].every(isCount);
  return transposed === undefined || (isRecord(transposed) && (transposed.rank === 1 || transposed.rank === 2) && Array.isArray(transposed.axes) && transposed.axes.every(axisOk));
}

function isTrace(v: unknown): v is ModelTrace {
  return isRecord(v) && Array.isArray(v.steps) && v.steps.every(isTraceStep) && isRecord(v.modules) && Object.values(v.modules).every((t) => typeof t === 'string');
}

export function isModelAnswer(value: unknown): value is ModelAnswer {
  if (!isRecord(value) || !isAnalysis(value.analysis)) return false;
  if (value.trace !== undefined && !isTrace(value.trace)) return false;
  const sizes = value.sizes;
  return sizes === undefined || (isRecord(sizes) && Array.isArray(sizes.sides) && sizes.sides.every(isCount) && typeof sizes.rule === 'string' && typeof sizes.formula === 'string' && isProblem(sizes.unknown));
}

/** What the worker does with a model request. */
export function answerModel(request: ModelRequest): ModelAnswer {
  let analysis: ModelAnalysis;
  let trace: ModelTrace | undefined;
  if (request.trace) {
    const { trace: traced, ...rest } = traceModel(request.source, request);
    analysis = rest;
    trace = traced;
  } else analysis = analyzeModel(request.source, request);
  const sizes = request.validSides ? validInputSizes(request.source, { ...request, ...request.validSides }) : undefined;
  return { analysis, ...(sizes ? { sizes } : {}), ...(trace ? { trace } : {}) };
}
