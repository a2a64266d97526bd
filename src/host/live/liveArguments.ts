/**
 * The arguments of Inspect Tensor and Run Live Layer, from wherever they are run: an object
 * (`{ expression, frameId?, show? }`, `{ module, input, frameId?, show? }`) from other extensions,
 * keybindings and tests; a variable of the Variables view's context menu; the reference at the
 * cursor from the editor's context menu; or a question, from the command palette. Whatever the
 * text, it is only a candidate: parseLiveExpression checks it before anything is evaluated.
 */
import * as vscode from 'vscode';
import { argumentRecord, isArgumentsObject, UserFacingError } from '../common/arguments';
import { parseLiveExpression, type LiveExpression } from '../../core/live/expression';
import { referenceAt } from '../../core/live/referenceAt';
import { describeFrameTensor, type FrameTensor } from '../../core/live/wire';

export interface FrameChoice {
  readonly frameId?: number;
  /** Whether to open the panel (default true). */
  readonly show: boolean;
}

/** A reference checked, or a UserFacingError saying why `role` is not one. */
export function checkedExpression(text: unknown, role: string): LiveExpression {
  const reading = parseLiveExpression(text);
  if (!reading.ok) throw new UserFacingError(`the ${role} cannot be read: ${reading.problem}.`);
  return reading.expression;
}

export function readFrameChoice(record: Record<string, unknown>): FrameChoice {
  const { frameId, show } = record;
  if (frameId !== undefined && !(typeof frameId === 'number' && Number.isSafeInteger(frameId) && frameId >= 0)) throw new UserFacingError(`"frameId" is a frame's id (a whole number), not ${JSON.stringify(frameId)}.`);
  if (show !== undefined && typeof show !== 'boolean') throw new UserFacingError(`"show" is true or false, not ${JSON.stringify(show)}.`);
  return { frameId, show: show ?? true };
}

/** Inspect Tensor's expression and frame, or undefined when the user dismissed the question. */
export async function readInspectTensorArguments(raw: unknown): Promise<{ readonly expression: LiveExpression; readonly choice: FrameChoice } | undefined> {
  const fromVariables = variableReference(raw);
  if (fromVariables !== undefined) return { expression: checkedExpression(fromVariables, 'variable'), choice: { show: true } };
  const record = argumentRecord(raw, 'Inspect Tensor', new Set(['expression', 'frameId', 'show']));
  const text = record.expression ?? referenceAtCursor() ?? (await ask('The tensor to inspect: a variable, an attribute or an indexed element of the paused frame', 'x'));
  if (text === undefined) return undefined;
  return { expression: checkedExpression(text, 'expression'), choice: readFrameChoice(record) };
}

/**
 * Run Live Layer's module and frame, and its input if given: from a menu it is chosen afterwards
 * among the frame's tensors (see chooseInput), once the module's channel count is known.
 */
export async function readInspectLiveLayerArguments(raw: unknown): Promise<{ readonly module: LiveExpression; readonly input?: LiveExpression; readonly choice: FrameChoice } | undefined> {
  const fromVariables = variableReference(raw);
  const record = fromVariables === undefined ? argumentRecord(raw, 'Run Live Layer', new Set(['module', 'input', 'frameId', 'show'])) : {};
  const moduleText = fromVariables ?? record.module ?? referenceAtCursor() ?? (await ask('The layer module to run: a variable or attribute of the paused frame', 'self.up'));
  if (moduleText === undefined) return undefined;
  const module = checkedExpression(moduleText, 'module');
  const input = record.input === undefined ? undefined : checkedExpression(record.input, 'input');
  return { module, ...(input ? { input } : {}), choice: readFrameChoice(record) };
}

/** Audit Live Model's module and frame: `{ module, frameId?, show? }`, a variable of the Variables view, the reference at the cursor, or asked. */
export async function readAuditLiveModelArguments(raw: unknown): Promise<{ readonly module: LiveExpression; readonly choice: FrameChoice } | undefined> {
  const fromVariables = variableReference(raw);
  const record = fromVariables === undefined ? argumentRecord(raw, 'Audit Live Model', new Set(['module', 'frameId', 'show'])) : {};
  const moduleText = fromVariables ?? record.module ?? referenceAtCursor() ?? (await ask('The model to audit: a module variable or attribute of the paused frame', 'netG'));
  if (moduleText === undefined) return undefined;
  return { module: checkedExpression(moduleText, 'module'), choice: readFrameChoice(record) };
}

/**
 * The input, picked from the frame's tensors (`x: [1, 64, 64, 64] float32 cpu`), those with the
 * module's input channel count first, or typed; undefined when the user dismissed the question.
 */
export async function chooseInput(tensors: readonly FrameTensor[], moduleLabel: string, inChannels: number | undefined): Promise<LiveExpression | undefined> {
  const fits = (t: FrameTensor) => inChannels !== undefined && (t.shape.length === 4 ? t.shape[1] : t.shape.length === 3 ? t.shape[0] : undefined) === inChannels;
  const ordered = [...tensors.filter(fits), ...tensors.filter((t) => !fits(t))];
  const typeOne = { label: '$(edit) Type an expression…', name: undefined };
  const items = [
    ...ordered.map((t) => ({ label: describeFrameTensor(t), description: fits(t) ? `${inChannels} channels, as ${moduleLabel} takes` : undefined, name: t.name })),
    typeOne,
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Layer Lens: the input to run ${moduleLabel} on`, placeHolder: 'A tensor of the paused frame' });
  if (!picked) return undefined;
  const text = picked.name ?? (await ask(`The input tensor to run ${moduleLabel} on: a variable of the paused frame`, 'x'));
  return text === undefined ? undefined : checkedExpression(text, 'input');
}

/** The Variables view's context menu passes `{ container, variable: { name, evaluateName, … } }`. */
function variableReference(raw: unknown): string | undefined {
  if (!isArgumentsObject(raw) || !isArgumentsObject(raw.variable)) return undefined;
  const { evaluateName, name } = raw.variable;
  if (typeof evaluateName === 'string' && evaluateName.length > 0) return evaluateName;
  return typeof name === 'string' ? name : undefined;
}

/** The selection, or the reference under the cursor, in the active Python editor. */
function referenceAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'python') return undefined;
  const { selection, document } = editor;
  if (!selection.isEmpty) return selection.isSingleLine ? document.getText(selection) : undefined;
  return referenceAt(document.lineAt(selection.active.line).text, selection.active.character);
}

function ask(prompt: string, placeHolder: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: 'Layer Lens', prompt, placeHolder, validateInput: (text) => { const r = parseLiveExpression(text); return r.ok ? undefined : r.problem; } });
}
