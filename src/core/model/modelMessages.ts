/**
 * The engine worker's whole-model request and answer (`op: 'analyzeModel'`): the model read and
 * its valid input sizes searched off the extension host's thread (the search over sides 1..1024
 * takes a few hundred milliseconds). Both are checked on arrival, as every message is.
 */
import { analyzeModel, traceModel, validInputSizes, type ModelAnalysis, type ModelProblem, type ValidInputSizes } from './analyzeModel';
import { isConstructorArguments, missingArgumentsProblem, modelConstructor, type ConstructorArgument, type ModelConstructor } from './constructorArguments';
import type { ModelTrace, TraceBlock, TraceStep } from './modelTrace';

export interface ModelRequest {
  readonly source: string;
  readonly className: string;
  readonly inputShape: readonly number[];
  readonly files?: Readonly<Record<string, string>>;
  /** Constructor arguments the user gave; the others come from `callers` or the defaults. */
  readonly args?: Readonly<Record<string, ConstructorArgument>>;
  /** Files (by name) that may call the class with literal arguments (`train.py`: `UNet(n_channels=3, n_classes=2)`). */
  readonly callers?: Readonly<Record<string, string>>;
  /** Also search the square sides 1..maxSide that run, for inputs of `channels` channels (and `rank` spatial axes: lengths in 1-D, cube sides in 3-D). */
  readonly validSides?: { readonly channels: number; readonly maxSide: number; readonly rank?: 1 | 2 | 3 };
  /** Also trace every step of the run (the model view's table, src/core/model/modelTrace.ts). */
  readonly trace?: boolean;
}

export interface ModelAnswer {
  readonly analysis: ModelAnalysis;
  readonly sizes?: ValidInputSizes;
  readonly trace?: ModelTrace;
  /** The arguments the model was built with, and those missing; null when the class is not found. */
  readonly builtWith?: ModelConstructor | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.length <= 8 && v.every(isCount);

export function isModelRequest(value: unknown): value is ModelRequest {
  if (!isRecord(value)) return false;
  const { source, className, inputShape, files, args, callers, validSides } = value;
  if (typeof source !== 'string' || typeof className !== 'string' || !isShape(inputShape)) return false;
  const isTexts = (v: unknown) => isRecord(v) && Object.values(v).every((t) => typeof t === 'string');
  if ((files !== undefined && !isTexts(files)) || (callers !== undefined && !isTexts(callers))) return false;
  if (args !== undefined && !isConstructorArguments(args)) return false;
  if (value.trace !== undefined && typeof value.trace !== 'boolean') return false;
  return validSides === undefined || (isRecord(validSides) && isCount(validSides.channels) && isCount(validSides.maxSide) && validSides.maxSide <= 4096 && (validSides.rank === undefined || [1, 2, 3].includes(validSides.rank as number)));
}

const isProblem = (v: unknown): v is ModelProblem | null => v === null || (isRecord(v) && isCount(v.line) && typeof v.message === 'string' && typeof v.file === 'string' && (v.layerOffset === undefined || isCount(v.layerOffset)));

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
  const { kind, op, path, scope, inputs, output, sources, params, macs, line, file, offset, transposed, field } = v;
  if ((kind !== 'layer' && kind !== 'op') || typeof op !== 'string' || typeof path !== 'string' || typeof scope !== 'string' || typeof file !== 'string') return false;
  if (!Array.isArray(inputs) || !inputs.every(isShape) || !isShape(output) || !Array.isArray(sources) || !sources.every(isInputSource)) return false;
  if (typeof params !== 'number' || typeof macs !== 'number' || !isCount(line) || (offset !== undefined && !isCount(offset))) return false;
  const axisOk = (a: unknown) => isRecord(a) && [a.kernel, a.stride, a.padding, a.outputPadding, a.dilation].every(isCount);
  if (field !== undefined && !isFieldSummary(field)) return false;
  return transposed === undefined || (isRecord(transposed) && (transposed.rank === 1 || transposed.rank === 2) && Array.isArray(transposed.axes) && transposed.axes.every(axisOk));
}

function isFieldSummary(v: unknown): boolean {
  const jumpOk = (j: unknown) => j === null || (Array.isArray(j) && j.length === 2 && j.every(Number.isSafeInteger) && (j[1] as number) > 0);
  const axisOk = (a: unknown) => isRecord(a) && isCount(a.size) && isCount(a.minSize) && Number.isSafeInteger(a.offset) && jumpOk(a.jump);
  return isRecord(v) && axisOk(v.rows) && axisOk(v.cols) && (v.global === undefined || typeof v.global === 'string');
}

function isFailure(v: unknown): boolean {
  return isRecord(v) && (v.kind === 'layer' || v.kind === 'op') && typeof v.op === 'string' && typeof v.path === 'string' && typeof v.scope === 'string' && isCount(v.line) && typeof v.file === 'string';
}

function isTraceBlock(v: unknown): v is TraceBlock {
  return isRecord(v) && typeof v.path === 'string' && typeof v.type === 'string' && typeof v.file === 'string' && isCount(v.offset) && Array.isArray(v.inputs) && v.inputs.every(isShape) && isShape(v.output);
}

function isTrace(v: unknown): v is ModelTrace {
  if (!isRecord(v) || !Array.isArray(v.steps) || !v.steps.every(isTraceStep) || !isRecord(v.modules) || !Object.values(v.modules).every((t) => typeof t === 'string')) return false;
  if (v.blocks !== undefined && !(Array.isArray(v.blocks) && v.blocks.every(isTraceBlock))) return false;
  return (v.failure === undefined || isFailure(v.failure)) && (v.after === undefined || (Array.isArray(v.after) && v.after.every(isTraceStep)));
}

function isConstructor(v: unknown): v is ModelConstructor | null {
  if (v === null) return true;
  if (!isRecord(v) || typeof v.call !== 'string' || !Array.isArray(v.arguments) || !isRecord(v.values) || !Array.isArray(v.missing) || !v.missing.every((m) => typeof m === 'string')) return false;
  const argumentOk = (a: unknown) =>
    isRecord(a) && typeof a.name === 'string' && ['given', 'call', 'default', 'missing'].includes(a.origin as string) && (a.text === undefined || typeof a.text === 'string') && (a.where === undefined || typeof a.where === 'string');
  return v.arguments.every(argumentOk) && isConstructorArguments(v.values);
}

export function isModelAnswer(value: unknown): value is ModelAnswer {
  if (!isRecord(value) || !isAnalysis(value.analysis)) return false;
  if (value.builtWith !== undefined && !isConstructor(value.builtWith)) return false;
  if (value.trace !== undefined && !isTrace(value.trace)) return false;
  const sizes = value.sizes;
  return sizes === undefined || (isRecord(sizes) && Array.isArray(sizes.sides) && sizes.sides.every(isCount) && typeof sizes.rule === 'string' && typeof sizes.formula === 'string' && isProblem(sizes.unknown));
}

/** What the worker does with a model request. */
export function answerModel(asked: ModelRequest): ModelAnswer {
  const builtWith = modelConstructor(asked.source, asked);
  // Built with what the user gave and what a call in the workspace supplied; the class's defaults do the rest.
  const request = builtWith ? { ...asked, args: builtWith.values } : asked;
  let analysis: ModelAnalysis;
  let trace: ModelTrace | undefined;
  if (request.trace) {
    const { trace: traced, ...rest } = traceModel(request.source, request);
    analysis = rest;
    trace = traced;
  } else analysis = analyzeModel(request.source, request);
  // A model missing constructor arguments is built for no size: nothing to search.
  const sizes = request.validSides && !builtWith?.missing.length ? validInputSizes(request.source, { ...request, ...request.validSides }) : undefined;
  if (trace?.failure && sizes) trace = withStepsAfter(request, trace, sizes.sides);
  // Missing constructor arguments are said at the class, not where their value is first used.
  const missing = missingArgumentsProblem(builtWith);
  if (missing && analysis.unknown && !analysis.output) analysis = { ...analysis, unknown: missing };
  return { analysis, ...(sizes ? { sizes } : {}), ...(trace ? { trace } : {}), builtWith };
}

/**
 * The steps after the failing one, from the run of the working square side nearest the input's
 * height: kept when that run made the same steps up to the failure and its next step is the one
 * that failed (same line), so the model view can show what did not run, in order.
 */
export function withStepsAfter(request: ModelRequest, trace: ModelTrace, sides: readonly number[]): ModelTrace {
  const shape = request.inputShape;
  const failure = trace.failure;
  if (!failure || shape.length !== 4 || sides.length === 0) return trace;
  const height = shape[2] as number;
  const side = [...sides].sort((a, b) => Math.abs(a - height) - Math.abs(b - height) || a - b)[0] as number;
  const working = traceModel(request.source, { ...request, inputShape: [shape[0] as number, shape[1] as number, side, side] }).trace;
  const full = working.steps;
  const k = trace.steps.length;
  const same = trace.steps.every((step, i) => full[i]?.op === step.op && full[i]?.path === step.path);
  const next = full[k];
  if (!same || !next || next.line !== failure.line || next.file !== failure.file) return trace;
  // The classes of the modules that did not run too (a module's class does not depend on the size): for the groups.
  return { ...trace, modules: { ...working.modules, ...trace.modules }, after: full.slice(k + 1) };
}
