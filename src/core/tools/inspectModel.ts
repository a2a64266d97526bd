/**
 * `inspect_model`: a model file and class (and an input shape) → every layer as it runs (PyTorch's
 * `named_modules()` path, op, input and output shape, parameters, multiply-adds), the totals, the
 * output shape, the square input sizes that work and the first place PyTorch would raise. The
 * answer is `analyzeModel` and `validInputSizes` (src/core/model/) on the file and the workspace
 * files it imports, read through the host; the text is the table `layer-lens shapes` prints.
 */
import { analyzeModel, buildModel, validInputSizes, type ModelProblem } from '../model/analyzeModel';
import { namedModules } from '../model/moduleTree';
import { readModelSources, type ModelSources } from './modelSources';
import { defineFileTool, ok, ToolInputError } from './tool';
import { MAX_AXIS_SIZE } from './layerOutputShape';
import type { ObjectSchema } from './jsonSchema';

export interface InspectModelInput {
  readonly path: string;
  readonly className: string;
  readonly inputShape?: readonly number[];
}

/** A place in the model's files: 1-based line and column (the statement's first character). */
export interface ModelPlace {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface InspectModelData {
  readonly file: string;
  readonly className: string;
  readonly inputShape: number[];
  /** `given`, or `model`: the first layer's in_channels and the smallest side that runs. */
  readonly inputShapeFrom: 'given' | 'model';
  readonly layers: { path: string; op: string; inputShape: number[]; outputShape: number[]; params?: number; macs: number; file: string; line: number }[];
  /** `params` is the model's `sum(p.numel() for p in model.parameters())`, absent when not known; `macs` the listed layers' sum. */
  readonly totals: { params?: number; macs: number };
  readonly outputShape?: number[];
  /** The square sides that run (a 4-D input only): the rule, and the working sides nearest the input's height. */
  readonly validInputSizes?: { rule: string; formula: string; checkedUpTo: number; works: boolean; nearest: number[] };
  /** Where PyTorch would raise for this input, and why. */
  readonly error?: ModelPlace;
  /** Where the reader stopped: something the source says that it cannot follow. */
  readonly unknown?: ModelPlace;
  /** Every file read: the model's, then the workspace files it imports. */
  readonly files: string[];
}

const shapeSchema = { type: 'array', items: { type: 'integer' } } as const;
const placeSchema: ObjectSchema = {
  type: 'object',
  properties: { file: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' }, message: { type: 'string' } },
  required: ['file', 'line', 'column', 'message'],
  additionalProperties: false,
};

export const inspectModelTool = defineFileTool<InspectModelInput, InspectModelData>({
  name: 'inspect_model',
  title: 'Inspect Model',
  description:
    'Reads a PyTorch model class from a Python file (and the workspace files it imports, e.g. `from .unet_parts import Up`) without running it, ' +
    'and follows an input shape through forward(): every convolution, transposed convolution, linear, pooling and normalization layer as it runs, ' +
    "with PyTorch's named_modules() path, input and output shape, parameter count and multiply-adds; the totals; the output shape; " +
    'the square input sizes the model accepts (e.g. "H must be a multiple of 16 and at least 16") with the working sizes nearest the one given; ' +
    "and, when PyTorch would raise for this input, the file, line and PyTorch's message. Use it before choosing an input size or after editing a model. " +
    'inputShape is optional for an image model: it defaults to [1, C, S, S] with C the first convolution\'s in_channels and S the smallest size that works.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'The model file: absolute, or relative to the workspace folder (the current directory outside VS Code).', maxLength: 4096 },
      className: { type: 'string', description: 'The nn.Module class to build with its default constructor arguments, e.g. "UNet".', maxLength: 200 },
      inputShape: { type: 'array', description: 'The input of forward(), e.g. [1, 3, 256, 256] ([N, C, H, W]).', items: { type: 'integer', minimum: 0, maximum: MAX_AXIS_SIZE }, minItems: 1, maxItems: 8 },
    },
    required: ['path', 'className'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      file: { type: 'string' },
      className: { type: 'string' },
      inputShape: shapeSchema,
      inputShapeFrom: { type: 'string', enum: ['given', 'model'] },
      layers: {
        type: 'array',
        items: {
          type: 'object',
          properties: { path: { type: 'string' }, op: { type: 'string' }, inputShape: shapeSchema, outputShape: shapeSchema, params: { type: 'integer' }, macs: { type: 'integer' }, file: { type: 'string' }, line: { type: 'integer' } },
          required: ['path', 'op', 'inputShape', 'outputShape', 'macs', 'file', 'line'],
          additionalProperties: false,
        },
      },
      totals: { type: 'object', properties: { params: { type: 'integer' }, macs: { type: 'integer' } }, required: ['macs'], additionalProperties: false },
      outputShape: shapeSchema,
      validInputSizes: {
        type: 'object',
        properties: { rule: { type: 'string' }, formula: { type: 'string' }, checkedUpTo: { type: 'integer' }, works: { type: 'boolean' }, nearest: { type: 'array', items: { type: 'integer' } } },
        required: ['rule', 'formula', 'checkedUpTo', 'works', 'nearest'],
        additionalProperties: false,
      },
      error: placeSchema,
      unknown: placeSchema,
      files: { type: 'array', items: { type: 'string' } },
    },
    required: ['file', 'className', 'inputShape', 'inputShapeFrom', 'layers', 'totals', 'files'],
    additionalProperties: false,
  },
  invocationMessage: (input) => `Layer Lens: reading ${input.path} (and the workspace files it imports) to follow ${input.className}${input.inputShape ? ` on [${input.inputShape.join(', ')}]` : ''}`,
  async execute(input, files) {
    const sources = await readModelSources(files, input.path);
    const data = inspectModel(input, sources);
    return ok(modelText(data), data);
  },
});

/** The class names a file defines at its top level. */
function classNames(text: string): string[] {
  return [...text.matchAll(/^class[ \t]+(\w+)/gm)].map((m) => m[1] as string);
}

/** The analysis of a model whose files are read (the tool's answer, without the reading). */
export function inspectModel(input: InspectModelInput, { source, files }: ModelSources): InspectModelData {
  const defined = [source, ...Object.values(files)].flatMap(classNames);
  if (!defined.includes(input.className)) {
    throw new ToolInputError(`${input.path} defines no class ${input.className}${defined.length > 0 ? `: its classes (and its imports') are ${defined.join(', ')}` : ' (it defines no class)'}.`);
  }
  const options = { className: input.className, files };
  const given = input.inputShape ? [...input.inputShape] : undefined;
  const inputShape = given ?? defaultInput(input, source, files);
  const analysis = analyzeModel(source, { ...options, inputShape });
  const place = (p: ModelProblem | null): ModelPlace | undefined => (p ? placeOf(p, input.path, source, files) : undefined);
  const [, channels, ...spatial] = inputShape;
  const rank = spatial.length;
  let valid: InspectModelData['validInputSizes'];
  // [N, C, L], [N, C, H, W] or [N, C, D, H, W]: lengths, square sides or cube sides are searched.
  if ((rank === 1 || rank === 2 || rank === 3) && channels !== undefined) {
    const side = spatial[0] as number;
    const maxSide = Math.min(4096, Math.max(256, 2 * side));
    const sizes = validInputSizes(source, { ...options, channels, maxSide, batch: inputShape[0] as number, rank });
    valid = { rule: sizes.rule, formula: sizes.formula, checkedUpTo: maxSide, works: spatial.every((s) => s === side) && sizes.sides.includes(side), nearest: nearestSides(sizes.sides, side) };
  }
  const layers = analysis.layers.map((l) => ({
    path: l.path,
    op: l.op,
    inputShape: [...l.inputShape],
    outputShape: [...l.outputShape],
    ...(Number.isFinite(l.params) ? { params: l.params } : {}),
    macs: l.macs,
    file: l.file === '' ? input.path : l.file,
    line: l.line,
  }));
  const error = place(analysis.error);
  const unknown = place(analysis.unknown);
  return {
    file: input.path,
    className: input.className,
    inputShape,
    inputShapeFrom: given ? 'given' : 'model',
    layers,
    totals: { ...(analysis.params !== null ? { params: analysis.params } : {}), macs: layers.reduce((sum, l) => sum + l.macs, 0) },
    ...(analysis.output ? { outputShape: [...analysis.output.shape] } : {}),
    ...(valid ? { validInputSizes: valid } : {}),
    ...(error ? { error } : {}),
    ...(unknown ? { unknown } : {}),
    files: [input.path, ...Object.keys(files)],
  };
}

/**
 * `[1, C, S, S]`: C the first convolution's in_channels, S the smallest side that runs (a
 * generator's 1, a U-Net's 16); `[1, C, L]` or `[1, C, S, S, S]` when that convolution is 1-D or 3-D.
 */
function defaultInput(input: InspectModelInput, source: string, files: Readonly<Record<string, string>>): number[] {
  const ask = (why: string) => new ToolInputError(`${why}: give "inputShape", the input of ${input.className}.forward() (e.g. [1, 3, 256, 256]).`);
  const model = buildModel(source, { className: input.className, files });
  if (!model.root) throw ask(`${input.className} cannot be built (${model.problem?.problem.message ?? 'unknown reason'})`);
  const first = namedModules(model.root).find(([, m]) => m.kind === 'layer' && /^(Conv|ConvTranspose)[123]d$/.test(m.type))?.[1];
  const channels = first?.args?.get('in_channels');
  if (typeof channels !== 'number') throw ask(`the input of ${input.className} cannot be told from its layers (its first layer is not a convolution with a known in_channels)`);
  const rank = Number(first?.type.slice(-2, -1)) as 1 | 2 | 3;
  const sides = validInputSizes(source, { className: input.className, files, channels, maxSide: 256, rank }).sides;
  const side = sides[0];
  if (side === undefined) throw ask(`no ${['input length', 'square input', 'cube input'][rank - 1]} from 1 to 256 with ${channels} channels runs through ${input.className}`);
  return [1, channels, ...new Array<number>(rank).fill(side)];
}

/** The working sides nearest `side`: itself when it works, else the nearest below and above. */
export function nearestSides(sides: readonly number[], side: number): number[] {
  if (sides.includes(side)) return [side];
  const below = sides.filter((s) => s < side).pop();
  const above = sides.find((s) => s > side);
  return [below, above].filter((s): s is number => s !== undefined);
}

function placeOf(problem: ModelProblem, path: string, source: string, files: Readonly<Record<string, string>>): ModelPlace {
  const text = problem.file === '' ? source : (files[problem.file] ?? '');
  const line = Math.max(1, problem.line);
  const written = text.split('\n')[line - 1] ?? '';
  return { file: problem.file === '' ? path : problem.file, line, column: written.length - written.trimStart().length + 1, message: problem.message };
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** The table `layer-lens shapes` prints and the model reads: aligned columns, the totals, the output, the sizes that work, the failure. */
export function modelText(data: InspectModelData): string {
  const header = ['layer', 'op', 'input', 'output', 'params', 'MACs'];
  const rows = data.layers.map((l) => [l.path, l.op, shapeText(l.inputShape), shapeText(l.outputShape), l.params === undefined ? '?' : String(l.params), String(l.macs)]);
  rows.push(['total', '', '', '', data.totals.params === undefined ? '?' : String(data.totals.params), String(data.totals.macs)]);
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] as string).length)));
  // Names and shapes left-aligned, the counts right-aligned, as numbers are read.
  const line = (r: readonly string[]) => r.map((cell, c) => (c >= 4 ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number))).join('  ').trimEnd();
  const out = [`${data.className} (${data.file}) on input ${shapeText(data.inputShape)}${data.inputShapeFrom === 'model' ? ' (chosen from the model: give inputShape for another)' : ''}:`, ...all.map(line)];
  if (data.outputShape) out.push(`Output: ${shapeText(data.outputShape)}`);
  const valid = data.validInputSizes;
  if (valid) {
    const h = data.inputShape[2] as number;
    const near = valid.works ? `${h} works` : valid.nearest.length > 0 ? `${h} does not; the nearest that work: ${valid.nearest.join(' and ')}` : `${h} does not, and none from 1 to ${valid.checkedUpTo} does`;
    out.push(`Input sizes that work (square, checked up to ${valid.checkedUpTo}): ${valid.rule} (${valid.formula}); ${near}.`);
  }
  // The failure as a linter prints it (layer-lens check's form), so editors and CI make it a link.
  if (data.error) out.push(`${data.error.file}:${data.error.line}:${data.error.column}: error: ${data.error.message} [model-shape]`);
  if (data.unknown) out.push(`Not followed past ${data.unknown.file}:${data.unknown.line}:${data.unknown.column}: ${data.unknown.message}`);
  return out.join('\n');
}
