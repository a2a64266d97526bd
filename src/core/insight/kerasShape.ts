/**
 * The size diagnostic of Keras models (the PyTorch one is modelShape.ts): each builder `def` and
 * module-level model variable of a document that imports Keras is built for the configured input
 * (kerasModel.ts, Keras's own shape rules, nothing run), and where a merge layer's inputs do not
 * line up (`concatenate`, `Concatenate()`, `add`, `Add()`, `Subtract`, `Multiply`, `Average`,
 * `Maximum`, `Minimum`), the call is reported in words with Keras's own message after them:
 * "concatenate (Concatenate) at line 14: input 0 is 40×40 but input 1 is 39×39, … for an input of
 * 39×39. Keras: A `Concatenate` layer requires inputs with matching shapes …".
 *
 * The input: `layerLens.models.inputShape` is `[N, C, H, W]` (PyTorch's order, one setting for the
 * workspace). A Keras model is read channels-last with the setting's batch and sides and the
 * channels its own `Input` declares (the setting's C only when the Input leaves them None): the
 * model as its author wrote it, for the image size asked about. Only a mismatch of the sides is
 * reported, as for PyTorch: the channels are the model's own business.
 */
import { findModelClasses } from '../model/modelClasses';
import { kerasDeclaredInput } from '../model/kerasModel';
import type { KerasMergeMismatch } from '../model/kerasMismatch';
import { findConstructorCalls, type ConstructorArgument } from '../model/constructorArguments';
import { parseModule } from '../model/pyParser';
import type { Stmt } from '../model/pyAst';
import type { Value } from '../model/values';
import { followForward, matchingParen, MODEL_SHAPE_MAX_CHARACTERS, MODEL_SHAPE_MAX_CLASSES } from './modelShape';

export interface KerasShapeProblem {
  /** The merge call's range in the document: `layers.concatenate([…], axis=-1)`. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** The builder or variable that was built, and the channels-last input it was built for. */
  readonly className: string;
  /** The builder's arguments: a call of it with literal arguments in the file, when a parameter has no default. */
  readonly args: Readonly<Record<string, ConstructorArgument>>;
  readonly inputShape: readonly number[];
  readonly keras: KerasMergeMismatch;
}

/**
 * The channels-last input of a Keras model for the `[N, C, …sides]` setting: `[N, …sides, C']` where
 * C' is the channels of the model's declared Input (`declared`, batch left out), else the setting's;
 * null when the Input has another number of sides.
 */
export function kerasInputFor(setting: readonly number[], declared: readonly (number | null)[] | null): number[] | null {
  if (setting.length < 3) return null;
  const [n, c, ...sides] = setting as [number, number, ...number[]];
  if (declared && declared.length !== sides.length + 1) return null;
  const channels = declared?.[declared.length - 1] ?? c;
  return [n, ...sides, channels];
}

/** The size problems of the Keras models of `text` for the `[N, C, H, W]` setting `setting` (cached by text). */
export function kerasShapeProblems(text: string, setting: readonly number[]): KerasShapeProblem[] {
  if (text.length > MODEL_SHAPE_MAX_CHARACTERS || setting.length < 3 || !/^[ \t]*(?:import|from)[ \t]+(?:tensorflow|keras|tf_keras)\b/m.test(text)) return [];
  const key = `${setting.join('x')}|${text}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const problems = computeProblems(text, setting);
  cache.set(key, problems);
  if (cache.size > 4) cache.delete(cache.keys().next().value as string);
  return problems;
}

const cache = new Map<string, KerasShapeProblem[]>();

function computeProblems(text: string, setting: readonly number[]): KerasShapeProblem[] {
  const problems: KerasShapeProblem[] = [];
  const seen = new Set<number>();
  const entries = findModelClasses(text, MODEL_SHAPE_MAX_CLASSES * 2).filter((c) => c.framework === 'keras').slice(0, MODEL_SHAPE_MAX_CLASSES);
  let body: Stmt[] | undefined;
  for (const entry of entries) {
    try {
      body ??= parseModule(text);
    } catch {
      return [];
    }
    const args = builderArguments(text, body, entry.name);
    if (!args) continue;
    const found = mergeProblem(text, entry.name, args, setting);
    if (!found || seen.has(found.start)) continue;
    seen.add(found.start);
    problems.push(found);
  }
  return problems;
}

/**
 * What a builder `def` is called with: `{}` (its defaults) when every parameter has one, else the
 * literal arguments of the first call of it in the file that passes only literals
 * (`model = build_unet((128, 128, 3), 2)`); undefined when there is none. A model variable: `{}`.
 */
function builderArguments(text: string, body: readonly Stmt[], name: string): Record<string, ConstructorArgument> | undefined {
  const def = body.find((s): s is Extract<Stmt, { t: 'def' }> => s.t === 'def' && s.def.name === name)?.def;
  if (!def || def.params.every((p) => p.star !== undefined || p.default !== undefined)) return {};
  const params = def.params.map((p) => ({ name: p.name, ...(p.default ? { defaultText: '?' } : {}), ...(p.star ? { star: p.star } : {}) }));
  const call = findConstructorCalls(text, '', name, params, false).find((c) => c.complete);
  return call ? Object.fromEntries(call.literals) : undefined;
}

const toValue = (v: ConstructorArgument): Value => (Array.isArray(v) ? { k: 'list', items: v.map((x) => x as Value) } : (v as Value));

/** The merge `className` stops at for the setting, if its sides do not line up; a model the reader fails on is skipped. */
function mergeProblem(text: string, className: string, args: Readonly<Record<string, ConstructorArgument>>, setting: readonly number[]): KerasShapeProblem | undefined {
  try {
    const declared = kerasDeclaredInput(text, { className, args: new Map(Object.entries(args).map(([k, v]) => [k, toValue(v)] as const)) });
    const inputShape = kerasInputFor(setting, declared);
    if (!inputShape) return undefined;
    const error = followForward(text, { className, inputShape, args }).error;
    const m = error?.kerasMerge;
    if (!error || !m || m.file !== '' || !sidesDiffer(m)) return undefined;
    return { start: m.start, end: expressionEnd(text, m.start), message: error.message, className, args, inputShape, keras: m };
  } catch {
    return undefined;
  }
}

/** Whether the merge's two inputs differ in their sides (not only in their channels). */
export function sidesDiffer(m: KerasMergeMismatch): boolean {
  const a = m.operands[0]?.shape ?? [];
  const b = m.operands[m.other]?.shape ?? [];
  return a.length >= 3 && a.length === b.length && a.slice(1, -1).some((n, i) => n !== b[i + 1]);
}

/** `9×9`: a channels-last shape's sides. */
export function sidesOf(shape: readonly number[]): string {
  return shape.slice(1, -1).join('×');
}

/**
 * The end of the expression that starts at `start`: a dotted name followed by calls and subscripts
 * (`layers.Conv2DTranspose(32, 2, strides=2)(x)`, `skips[-1]`); what follows it is not part of it.
 */
export function expressionEnd(text: string, start: number): number {
  const name = /^[A-Za-z_][\w]*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*/.exec(text.slice(start, start + 500));
  let i = start + (name ? name[0].length : 0);
  for (;;) {
    const c = text[i];
    if (c === '(' || c === '[') {
      const close = matchingParen(text, i);
      if (close < 0) return i;
      i = close + 1;
    } else if (c === '.' && /^\.[A-Za-z_]\w*/.test(text.slice(i, i + 200))) {
      i += (/^\.[A-Za-z_]\w*/.exec(text.slice(i, i + 200)) as RegExpExecArray)[0].length;
    } else return i;
  }
}
