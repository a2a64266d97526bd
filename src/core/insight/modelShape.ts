/**
 * The size diagnostic of whole models: for each `nn.Module` class of a Python document, `forward()`
 * is followed for one input shape (analyzeModel, nothing run) and where two tensors that must line
 * up do not (`torch.cat`, `torch.stack`, `+`…), the operation is reported in words: "torch.cat at
 * line 62: the skip skip_connection is 9×9 but the upsampled x is 8×8 for an input of 1×3×78×78".
 *
 * Only what the analysis is sure of is reported: a mismatch of two tensors' sizes along an axis
 * other than the channels, for an input shape the user gave (the `layerLens.models.inputShape`
 * setting, or `layer-lens check --model-input`): a model that expects other channels fails earlier,
 * at a convolution, and that is not reported (the setting's channels may be meant for another class).
 * Constructor arguments come from a call of the class with literal arguments in the same file
 * (`UNet(n_channels=3, n_classes=2)`), else from the defaults; a class that cannot be built is skipped.
 */
import { buildModel, runModel, type AnalyzeModelOptions, type ModelAnalysis } from '../model/analyzeModel';
import { constructorParameters, findConstructorCalls, type ConstructorArgument } from '../model/constructorArguments';
import type { ClassDef, Stmt } from '../model/pyAst';
import { parseModule } from '../model/pyParser';
import type { MismatchOperand, ShapeMismatch } from '../model/shapeMismatch';

/** Documents longer than this are not read as whole models (each class is followed through forward()). */
export const MODEL_SHAPE_MAX_CHARACTERS = 300_000;
/** At most this many classes of one document are followed (the ones that can be built: see constructorArguments). */
export const MODEL_SHAPE_MAX_CLASSES = 40;

export interface ModelShapeProblem {
  /** The operation's range in the document: `torch.cat(…)`, or the line of `a + b`. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** The class whose forward() was followed, with the arguments and input it was built with. */
  readonly className: string;
  readonly args: Readonly<Record<string, ConstructorArgument>>;
  readonly mismatch: ShapeMismatch;
}

/** Which operand is the skip and which the upsampled (or otherwise resized) tensor. */
export interface MismatchRoles {
  readonly skip: MismatchOperand;
  readonly resized: MismatchOperand;
  /** Whether the resized one is known to come from an upsampling layer (else: the second operand). */
  readonly upsampled: boolean;
}

const UPSAMPLING = /^(ConvTranspose[123]d|Upsample|UpsamplingNearest2d|UpsamplingBilinear2d|PixelShuffle|MaxUnpool[123]d)$/;

function grows(o: MismatchOperand): boolean {
  const l = o.layer;
  if (!l) return false;
  if (UPSAMPLING.test(l.type)) return true;
  return l.outputShape.length === l.inputShape.length && l.outputShape.slice(2).some((n, i) => n > (l.inputShape[i + 2] ?? n));
}

export function mismatchRoles(m: ShapeMismatch): MismatchRoles {
  const [a, b] = m.operands;
  if (grows(a) && !grows(b)) return { skip: b, resized: a, upsampled: true };
  return { skip: a, resized: b, upsampled: grows(b) };
}

/** `9×9` for an image tensor's height and width, else the whole shape. */
export function sizeOf(shape: readonly number[]): string {
  return (shape.length >= 3 ? shape.slice(2) : shape).join('×');
}

const label = (o: MismatchOperand, fallback: string) => (o.name ? `${fallback} ${o.name}` : fallback);

export function mismatchMessage(m: ShapeMismatch): string {
  const roles = mismatchRoles(m);
  const made = (o: MismatchOperand) => (o.layer ? ` (from ${o.layer.path || o.layer.type}, ${o.layer.type} at line ${o.layer.line}${o.layer.file ? ` of ${o.layer.file}` : ''})` : '');
  const skip = roles.upsampled ? label(roles.skip, 'the skip') : label(roles.skip, 'the first tensor');
  const resized = roles.upsampled ? label(roles.resized, 'the upsampled input') : label(roles.resized, 'the second tensor');
  const verb = m.op === 'torch.cat' || m.op === 'torch.stack' ? m.op : `\`${m.op}\``;
  return `${verb} at line ${m.line}: ${skip} is ${sizeOf(roles.skip.shape)} but ${resized}${made(roles.resized)} is ${sizeOf(roles.resized.shape)} for an input of ${m.inputShape.join('×')}.`;
}

/** The size problems of every class of `text` for `inputShape` (the analysis of each class is cached by text). */
export function modelShapeProblems(text: string, inputShape: readonly number[]): ModelShapeProblem[] {
  if (text.length > MODEL_SHAPE_MAX_CHARACTERS || inputShape.length === 0 || !/\bforward\s*\(/.test(text)) return [];
  const key = `${inputShape.join('x')}|${text}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const problems = computeProblems(text, inputShape);
  cache.set(key, problems);
  // A few documents at a time: the editor's own and the one a quick fix asks about.
  if (cache.size > 4) cache.delete(cache.keys().next().value as string);
  return problems;
}

const cache = new Map<string, ModelShapeProblem[]>();

/**
 * The classes of `text` the model reader can build, with their constructor arguments (see
 * constructorArguments), at most {@link MODEL_SHAPE_MAX_CLASSES}; none when it cannot be parsed.
 */
export function buildableClasses(text: string): { readonly name: string; readonly args: Record<string, ConstructorArgument> }[] {
  let body: Stmt[];
  try {
    body = parseModule(text);
  } catch {
    return [];
  }
  const found: { name: string; args: Record<string, ConstructorArgument> }[] = [];
  for (const cls of moduleClasses(body)) {
    const args = constructorArguments(text, cls);
    // A class that cannot be built (a part whose arguments its model passes) costs nothing and does not count.
    if (args !== undefined) found.push({ name: cls.name, args });
    if (found.length >= MODEL_SHAPE_MAX_CLASSES) break;
  }
  return found;
}

function computeProblems(text: string, inputShape: readonly number[]): ModelShapeProblem[] {
  const problems: ModelShapeProblem[] = [];
  const seen = new Set<number>();
  for (const cls of buildableClasses(text)) {
    const args = cls.args;
    const m = mismatchOf(text, cls.name, inputShape, args);
    // Channels depend on the input the setting gives; the other axes on the model alone.
    if (!m || m.file !== '' || m.axis < 2 || seen.has(m.start)) continue;
    seen.add(m.start);
    problems.push({ start: m.start, end: operationEnd(text, m), message: mismatchMessage(m), className: cls.name, args, mismatch: m });
  }
  return problems;
}

/** The mismatch forward() stops at, if any; a class the reader fails on is skipped, so that the document's other diagnostics still come. */
function mismatchOf(text: string, className: string, inputShape: readonly number[], args: Readonly<Record<string, ConstructorArgument>>): ShapeMismatch | undefined {
  try {
    return followForward(text, { className, inputShape, args }).error?.mismatch;
  } catch {
    return undefined;
  }
}

/** Classes deriving from a `Module` (`nn.Module`, `torch.nn.Module`) or from such a class of the same file, with a forward(). */
function moduleClasses(body: readonly Stmt[]): ClassDef[] {
  const modules = new Set<string>();
  const found: ClassDef[] = [];
  for (const stmt of body) {
    if (stmt.t !== 'class') continue;
    const def = stmt.def;
    const isModule = def.bases.some((b) => (b.t === 'attr' && b.name === 'Module') || (b.t === 'name' && (b.id === 'Module' || modules.has(b.id))));
    if (!isModule) continue;
    modules.add(def.name);
    found.push(def);
  }
  return found;
}

/**
 * The arguments of the first call of `cls` in the file whose arguments are all literals, by
 * parameter name (`{}` when there is none: the defaults); undefined when there is no such call and
 * a parameter has no default.
 */
function constructorArguments(text: string, cls: ClassDef): Record<string, ConstructorArgument> | undefined {
  const params = constructorParameters([cls]);
  // Calls in the module's functions and at its top level: a part built inside its model's class is not a model of its own.
  const call = findConstructorCalls(text, '', cls.name, params, false).find((c) => c.complete);
  if (call) return Object.fromEntries(call.literals);
  // Built from its defaults: a parameter without one would leave the model unknown, so it is not tried.
  return params.every((p) => p.star !== undefined || p.defaultText !== undefined) ? {} : undefined;
}

/** The end of the operation's text: `torch.cat(…)`'s closing parenthesis, or the end of `a + b`'s line. */
export function operationEnd(text: string, m: ShapeMismatch): number {
  const lineEnd = (() => {
    const n = text.indexOf('\n', m.start);
    return (n < 0 ? text.length : n) - (text[n - 1] === '\r' ? 1 : 0);
  })();
  if (m.op !== 'torch.cat' && m.op !== 'torch.stack') return Math.max(m.start + 1, text.slice(m.start, lineEnd).trimEnd().length + m.start);
  const close = matchingParen(text, text.indexOf('(', m.start));
  return close < 0 ? lineEnd : close + 1;
}

/** The offset of the `)` that closes the `(` at `open` (strings and comments skipped); -1 when none does. */
export function matchingParen(text: string, open: number): number {
  if (open < 0) return -1;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      const n = text.indexOf('\n', i);
      if (n < 0) return -1;
      i = n;
    } else if (c === '"' || c === "'") {
      const n = text.indexOf(c, i + 1);
      if (n < 0) return -1;
      i = n;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** forward() followed for one input without listing the layers or following receptive fields (several times faster). */
export function followForward(text: string, options: AnalyzeModelOptions): ModelAnalysis {
  return runModel(buildModel(text, options), options.inputShape, false);
}
