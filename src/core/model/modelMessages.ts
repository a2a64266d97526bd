/**
 * The engine worker's whole-model request and answer (`op: 'analyzeModel'`): the model read and
 * its valid input sizes searched off the extension host's thread (the search over sides 1..1024
 * takes a few hundred milliseconds). Both are checked on arrival, as every message is.
 */
import { analyzeModel, validInputSizes, type ConstructorArgument, type ModelAnalysis, type ModelProblem, type ValidInputSizes } from './analyzeModel';

export interface ModelRequest {
  readonly source: string;
  readonly className: string;
  readonly inputShape: readonly number[];
  readonly files?: Readonly<Record<string, string>>;
  readonly args?: Readonly<Record<string, ConstructorArgument>>;
  /** Also search the square sides 1..maxSide that run, for inputs of `channels` channels. */
  readonly validSides?: { readonly channels: number; readonly maxSide: number };
}

export interface ModelAnswer {
  readonly analysis: ModelAnalysis;
  readonly sizes?: ValidInputSizes;
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
  return validSides === undefined || (isRecord(validSides) && isCount(validSides.channels) && isCount(validSides.maxSide) && validSides.maxSide <= 4096);
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

export function isModelAnswer(value: unknown): value is ModelAnswer {
  if (!isRecord(value) || !isAnalysis(value.analysis)) return false;
  const sizes = value.sizes;
  return sizes === undefined || (isRecord(sizes) && Array.isArray(sizes.sides) && sizes.sides.every(isCount) && typeof sizes.rule === 'string' && typeof sizes.formula === 'string' && isProblem(sizes.unknown));
}

/** What the worker does with a model request. */
export function answerModel(request: ModelRequest): ModelAnswer {
  const analysis = analyzeModel(request.source, request);
  if (!request.validSides) return { analysis };
  return { analysis, sizes: validInputSizes(request.source, { ...request, ...request.validSides }) };
}
