/**
 * `inspect_model`: a model file and class (and an input shape) → every layer as it runs (PyTorch's
 * `named_modules()` path, op, input and output shape, parameters, multiply-adds), the totals, the
 * output shape, the square input sizes that work and the first place PyTorch would raise. The
 * answer is `analyzeModel` and `validInputSizes` (src/core/model/) on the file and the workspace
 * files it imports, read through the host; the text is the table `layer-lens shapes` prints.
 */
import { analyzeModel, buildModel, validInputSizes, type ConstructorArgument, type ModelProblem } from '../model/analyzeModel';
import { isKerasEntry, kerasDeclaredInput } from '../model/kerasModel';
import { namedModules } from '../model/moduleTree';
import { missingArgumentsProblem, modelConstructor, type ModelConstructor } from '../model/constructorArguments';
import { readCallers, readModelSources, type ModelSources } from './modelSources';
import { defineFileTool, ok, ToolInputError } from './tool';
import { MAX_AXIS_SIZE } from './layerOutputShape';
import type { ObjectSchema } from './jsonSchema';

export interface InspectModelInput {
  readonly path: string;
  readonly className: string;
  readonly inputShape?: readonly number[];
  /** Constructor keyword arguments (`{ "ngf": 32 }`); the class's defaults are used for the rest. */
  readonly args?: Readonly<Record<string, unknown>>;
  /** Constructor positional arguments, after `self` (`[3, 2]`). */
  readonly positionalArgs?: readonly unknown[];
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
  /** The constructor arguments the class was built with (absent: its defaults). */
  readonly args?: Record<string, ConstructorArgument>;
  readonly positionalArgs?: ConstructorArgument[];
  /**
   * How the class was built when not every argument was given: each `__init__` parameter with its
   * value and where it came from (`call`: a call of the class in a file near the model, `default`,
   * `missing`), and the call as Python writes it.
   */
  readonly builtWith?: { call: string; arguments: { name: string; origin: 'given' | 'call' | 'default' | 'missing'; text?: string; where?: string }[] };
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

/** The most constructor arguments, and items of a list argument, taken. */
const MAX_ARGUMENTS = 64;

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
    'inputShape is optional for an image model: it defaults to [1, C, S, S] with C the first convolution\'s in_channels and S the smallest size that works. ' +
    'Constructor arguments __init__ requires and args does not give are taken from a call of the class with literal arguments in a Python file near the model ' +
    '(its folder and up to two folders above, e.g. hubconf.py or train.py); the answer says where each came from, or which are still missing.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'The model file: absolute, or relative to the workspace folder (the current directory outside VS Code).', maxLength: 4096 },
      className: { type: 'string', description: 'The nn.Module class to build (with its default constructor arguments unless args or positionalArgs are given), e.g. "UNet"; or, in a file that imports Keras, a builder function or a model variable (shapes then channels-last).', maxLength: 200 },
      inputShape: { type: 'array', description: 'The input of forward(), e.g. [1, 3, 256, 256] ([N, C, H, W]); for a Keras model channels-last, [1, 256, 256, 3].', items: { type: 'integer', minimum: 0, maximum: MAX_AXIS_SIZE }, minItems: 1, maxItems: 8 },
      args: {
        type: 'object',
        description:
          'Constructor keyword arguments, as Python literals in JSON: numbers, strings, true/false, null or lists of them, e.g. {"ngf": 32, "n_blocks": 6}. The class\'s defaults are used for the others.',
        properties: {},
        additionalProperties: true,
      },
      positionalArgs: { type: 'array', description: 'Constructor positional arguments after self, e.g. [3, 2] for UNet(3, 2); the same literals as args.', maxItems: MAX_ARGUMENTS },
    },
    required: ['path', 'className'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      file: { type: 'string' },
      className: { type: 'string' },
      args: { type: 'object', properties: {}, additionalProperties: true },
      positionalArgs: { type: 'array' },
      builtWith: {
        type: 'object',
        properties: {
          call: { type: 'string' },
          arguments: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, origin: { type: 'string', enum: ['given', 'call', 'default', 'missing'] }, text: { type: 'string' }, where: { type: 'string' } },
              required: ['name', 'origin'],
              additionalProperties: false,
            },
          },
        },
        required: ['call', 'arguments'],
        additionalProperties: false,
      },
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
  invocationMessage: (input) => `Layer Lens: reading ${input.path} (and the workspace files it imports) to follow ${input.className}${input.args || input.positionalArgs ? `(${callText(input)})` : ''}${input.inputShape ? ` on [${input.inputShape.join(', ')}]` : ''}`,
  async execute(input, files) {
    const sources = await readModelSources(files, input.path);
    // Arguments __init__ requires and the input does not give may be in a call near the model (hubconf.py, train.py).
    const callers = input.positionalArgs === undefined ? await readCallers(files, input.path, input.className, sources.files) : {};
    const data = inspectModel(input, { ...sources, callers });
    return ok(modelText(data), data);
  },
});

/** The class names a file defines at its top level. */
function classNames(text: string): string[] {
  return [...text.matchAll(/^class[ \t]+(\w+)/gm)].map((m) => m[1] as string);
}

/** The analysis of a model whose files are read (the tool's answer, without the reading). */
export function inspectModel(input: InspectModelInput, { source, files, callers }: ModelSources & { readonly callers?: Readonly<Record<string, string>> }): InspectModelData {
  const defined = [source, ...Object.values(files)].flatMap(classNames);
  // A Keras builder function or model variable (kerasModel.ts): shapes are channels-last.
  const keras = isKerasEntry(source, input.className);
  if (!keras && !defined.includes(input.className)) {
    throw new ToolInputError(`${input.path} defines no class ${input.className}${defined.length > 0 ? `: its classes (and its imports') are ${defined.join(', ')}` : ' (it defines no class)'}.`);
  }
  const given = constructorArguments(input);
  // Keyword arguments (or none): those __init__ still lacks come from a call of the class near the model, as in the model view.
  const built = given.positionalArgs === undefined ? modelConstructor(source, { className: input.className, files, ...(given.args ? { args: given.args } : {}), callers: callers ?? {} }) : null;
  const constructor = built && Object.keys(built.values).length > 0 ? { ...given, args: { ...built.values } } : given;
  const options = { className: input.className, files, ...constructor };
  const givenShape = input.inputShape ? [...input.inputShape] : undefined;
  const inputShape = givenShape ?? (keras ? kerasDefaultInput(input, source, files) : defaultInput(input, source, files, constructor));
  const analysis = analyzeModel(source, { ...options, inputShape });
  const place = (p: ModelProblem | null): ModelPlace | undefined => (p ? placeOf(p, input.path, source, files) : undefined);
  // Keras models are channels-last: [N, H, W, C].
  const [channels, spatial] = keras ? [inputShape[3], inputShape.slice(1, 3)] : [inputShape[1], inputShape.slice(2)];
  const rank = spatial.length;
  let valid: InspectModelData['validInputSizes'];
  // [N, C, L], [N, C, H, W] or [N, C, D, H, W]: lengths, square sides or cube sides are searched.
  // Missing constructor arguments are said at the class, not where their value is first used; such a model runs for no size.
  const missing = missingArgumentsProblem(built);
  if ((rank === 1 || rank === 2 || rank === 3) && channels !== undefined && !missing) {
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
  const unknown = place(missing && analysis.unknown && !analysis.output ? missing : analysis.unknown);
  return {
    file: input.path,
    className: input.className,
    ...(constructor.args ? { args: { ...constructor.args } } : {}),
    ...(constructor.positionalArgs ? { positionalArgs: [...constructor.positionalArgs] } : {}),
    ...(builtWithData(built) ?? {}),
    inputShape,
    inputShapeFrom: givenShape ? 'given' : 'model',
    layers,
    totals: { ...(analysis.params !== null ? { params: analysis.params } : {}), macs: layers.reduce((sum, l) => sum + l.macs, 0) },
    ...(analysis.output ? { outputShape: [...analysis.output.shape] } : {}),
    ...(valid ? { validInputSizes: valid } : {}),
    ...(error ? { error } : {}),
    ...(unknown ? { unknown } : {}),
    files: [input.path, ...Object.keys(files)],
  };
}

function literalProblem(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'a number that is not finite';
  if (Array.isArray(value) && depth === 0) {
    if (value.length > MAX_ARGUMENTS) return `a list of ${value.length} items (at most ${MAX_ARGUMENTS})`;
    const bad = value.map((v) => literalProblem(v, 1)).find((p) => p !== undefined);
    return bad === undefined ? undefined : `a list holding ${bad}`;
  }
  return Array.isArray(value) ? 'a list of lists' : 'an object';
}

/** The constructor arguments, checked: Python literals (a number, a string, True/False, None or a flat list of them) under identifier names. */
function constructorArguments(input: InspectModelInput): { args?: Record<string, ConstructorArgument>; positionalArgs?: ConstructorArgument[] } {
  const literal = 'a number, a string, true/false, null or a list of them (the Python literal the constructor takes)';
  const out: { args?: Record<string, ConstructorArgument>; positionalArgs?: ConstructorArgument[] } = {};
  if (input.args !== undefined) {
    const entries = Object.entries(input.args);
    if (entries.length > MAX_ARGUMENTS) throw new ToolInputError(`"args" has ${entries.length} keywords; the most is ${MAX_ARGUMENTS}.`);
    for (const [name, value] of entries) {
      if (!/^[A-Za-z_]\w*$/.test(name) || name === 'self') throw new ToolInputError(`"args" has the key "${name}", which is not a parameter name of ${input.className}.__init__ (a Python identifier other than self).`);
      const problem = literalProblem(value, 0);
      if (problem) throw new ToolInputError(`"args.${name}" must be ${literal}, not ${problem}.`);
    }
    out.args = Object.fromEntries(entries) as Record<string, ConstructorArgument>;
  }
  if (input.positionalArgs !== undefined) {
    input.positionalArgs.forEach((value, i) => {
      const problem = literalProblem(value, 0);
      if (problem) throw new ToolInputError(`"positionalArgs[${i}]" must be ${literal}, not ${problem}.`);
    });
    out.positionalArgs = [...input.positionalArgs] as ConstructorArgument[];
  }
  return out;
}

/** `3, 2, ngf=32`: the call's arguments as Python writes them. */
function callText(input: Pick<InspectModelInput, 'args' | 'positionalArgs'>): string {
  const py = (v: unknown): string => (v === null ? 'None' : v === true ? 'True' : v === false ? 'False' : Array.isArray(v) ? `[${v.map(py).join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v));
  return [...(input.positionalArgs ?? []).map(py), ...Object.entries(input.args ?? {}).map(([k, v]) => `${k}=${py(v)}`)].join(', ');
}

/** Where the arguments came from, when a call or a missing one says more than what was given. */
function builtWithData(built: ModelConstructor | null): Pick<InspectModelData, 'builtWith'> | undefined {
  if (!built || !built.arguments.some((a) => a.origin === 'call' || a.origin === 'missing')) return undefined;
  return { builtWith: { call: built.call, arguments: built.arguments.map((a) => ({ ...a })) } };
}

/**
 * `[1, C, S, S]`: C the first convolution's in_channels, S the smallest side that runs (a
 * generator's 1, a U-Net's 16); `[1, C, L]` or `[1, C, S, S, S]` when that convolution is 1-D or 3-D.
 */
function defaultInput(input: InspectModelInput, source: string, files: Readonly<Record<string, string>>, constructor: ReturnType<typeof constructorArguments>): number[] {
  const ask = (why: string) => new ToolInputError(`${why}: give "inputShape", the input of ${input.className}.forward() (e.g. [1, 3, 256, 256]).`);
  const model = buildModel(source, { className: input.className, files, ...constructor });
  if (!model.root) throw ask(`${input.className} cannot be built (${model.problem?.problem.message ?? 'unknown reason'})`);
  const first = namedModules(model.root).find(([, m]) => m.kind === 'layer' && /^(Conv|ConvTranspose)[123]d$/.test(m.type))?.[1];
  const channels = first?.args?.get('in_channels');
  if (typeof channels !== 'number') throw ask(`the input of ${input.className} cannot be told from its layers (its first layer is not a convolution with a known in_channels)`);
  const rank = Number(first?.type.slice(-2, -1)) as 1 | 2 | 3;
  const sides = validInputSizes(source, { className: input.className, files, ...constructor, channels, maxSide: 256, rank }).sides;
  const side = sides[0];
  if (side === undefined) throw ask(`no ${['input length', 'square input', 'cube input'][rank - 1]} from 1 to 256 with ${channels} channels runs through ${input.className}`);
  return [1, channels, ...new Array<number>(rank).fill(side)];
}

/** A Keras model's declared Input with the batch 1; its None sides the smallest that runs. */
function kerasDefaultInput(input: InspectModelInput, source: string, files: Readonly<Record<string, string>>): number[] {
  const declared = kerasDeclaredInput(source, { className: input.className, files });
  if (!declared) throw new ToolInputError(`the input of ${input.className} cannot be told (it declares no Input shape): give "inputShape" channels-last, e.g. [1, 256, 256, 3].`);
  if (declared.every((n) => n !== null)) return [1, ...(declared as number[])];
  const channels = declared[declared.length - 1];
  if (declared.length !== 3 || typeof channels !== 'number') throw new ToolInputError(`${input.className}'s Input has None sizes: give "inputShape" channels-last, e.g. [1, 256, 256, 3].`);
  const side = validInputSizes(source, { className: input.className, files, channels, maxSide: 256 }).sides[0];
  if (side === undefined) throw new ToolInputError(`no square input from 1 to 256 with ${channels} channels runs through ${input.className}: give "inputShape".`);
  return [1, declared[0] ?? side, declared[1] ?? side, channels];
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
  const built = data.builtWith ? data.builtWith.call : data.args || data.positionalArgs ? `${data.className}(${callText(data)})` : data.className;
  const out = [`${built} (${data.file}) on input ${shapeText(data.inputShape)}${data.inputShapeFrom === 'model' ? ' (chosen from the model: give inputShape for another)' : ''}:`, ...all.map(line)];
  const arguments_ = builtWithLine(data);
  if (arguments_) out.push(arguments_);
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

/** Where the arguments came from in words: `n_channels, n_classes from hubconf.py:9`, or which are missing and how to give them. */
function builtWithLine(data: InspectModelData): string | undefined {
  const built = data.builtWith;
  if (!built) return undefined;
  const missing = built.arguments.filter((a) => a.origin === 'missing').map((a) => a.name);
  if (missing.length > 0) return `${data.className}.__init__ needs ${missing.join(', ')}: no default, and no call of the class near the model gives ${missing.length === 1 ? 'it' : 'them'} as a literal; give "args" (--args on the command line), e.g. {"${missing[0] as string}": …}.`;
  const from = new Map<string, string[]>();
  for (const a of built.arguments) if (a.origin === 'call' && a.where) from.set(a.where, [...(from.get(a.where) ?? []), a.name]);
  return `Built with ${[...from].map(([where, names]) => `${names.join(', ')} from ${where}`).join('; ')} (a call of ${data.className}); the others as given or by default.`;
}
