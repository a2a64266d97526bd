/**
 * The input boxes of the layer commands (Convolve's stride and padding, Pool's window, Upsample's
 * scale, Pixel Shuffle's factor, Transposed Convolution's stride): each answer is checked as it is
 * typed, first its form, then by the engine on the layer it makes, and by the output size setting,
 * so "stride 9 on a 3×3 input" or an output over `layerLens.maxOutputElements` is refused before
 * Enter; a valid answer shows the output shape it gives, with its formula.
 */
import * as vscode from 'vscode';
import { LayerError } from '../../core/engine/errors';
import type { OutputShape } from '../../core/engine/outputShape';
import { UserFacingError } from './arguments';

export interface PreviewedQuestion<T> {
  readonly title: string;
  readonly prompt: string;
  readonly value: string;
  /** The answer's form: the value, or why the text is not one. */
  readonly read: (text: string) => T | string;
  /**
   * The output shape the answer gives; throws the engine's LayerError when PyTorch would refuse it;
   * `undefined` while the input is still being read (then the answer's form alone is checked).
   */
  readonly shape: (answer: T) => OutputShape | undefined;
  /** `layerLens.maxOutputElements`: a larger output is refused here, as the command would refuse it. */
  readonly maxOutputElements: number;
  /**
   * Settles once the input is read, with a prompt and offered value that know it: the box then takes
   * them (the value only if it was not edited) and checks the answer again, now with its shape.
   */
  readonly revised?: Promise<Partial<Pick<PreviewedQuestion<T>, 'prompt' | 'value'>> | undefined>;
  /** Dismisses the box (the input's reading failed: its error is reported instead). */
  readonly token?: vscode.CancellationToken;
}

/** What the box says of a well-formed answer before the input is read. */
export const SHAPE_PENDING = 'The output shape shows once the selection is read.';

/** The message for an output over the size setting, or `undefined` when it fits. */
export function outputSizeProblem(shape: readonly number[], maxOutputElements: number): string | undefined {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size <= maxOutputElements) return undefined;
  return (
    `The output would be ${shape.join(' × ')} = ${size.toLocaleString('en-US')} values, more than the layerLens.maxOutputElements ` +
    `setting allows (${maxOutputElements.toLocaleString('en-US')}). Raise the setting to compute it.`
  );
}

/** Refuses an output over the size setting, before anything is computed. */
export function checkOutputSize(shape: readonly number[], maxOutputElements: number): void {
  const problem = outputSizeProblem(shape, maxOutputElements);
  if (problem !== undefined) throw new UserFacingError(problem);
}

type Checked<T> = { readonly problem: string } | { readonly answer: T; readonly preview: string };

function check<T>(question: PreviewedQuestion<T>, text: string): Checked<T> {
  const read = question.read(text);
  if (typeof read === 'string') return { problem: read };
  let shape: OutputShape | undefined;
  try {
    shape = question.shape(read);
  } catch (error) {
    if (error instanceof LayerError) return { problem: `PyTorch would refuse this: ${error.message}` };
    throw error;
  }
  if (shape === undefined) return { answer: read, preview: SHAPE_PENDING };
  const tooLarge = outputSizeProblem(shape.shape, question.maxOutputElements);
  if (tooLarge !== undefined) return { problem: tooLarge };
  return { answer: read, preview: `Output ${shape.shape.join(' × ')}: ${shape.axes.map((a) => `${a.name} = ${a.substituted} = ${a.value}`).join(', ')}` };
}

/** Asks `question`; `undefined` when it is dismissed. Enter does nothing while the answer is refused. */
export async function askWithPreview<T>(question: PreviewedQuestion<T>): Promise<T | undefined> {
  // createInputBox rather than showInputBox: the message for the offered value shows at once, not after the first keystroke.
  const box = vscode.window.createInputBox();
  box.title = question.title;
  box.prompt = question.prompt;
  box.value = question.value;
  box.ignoreFocusOut = true;
  const validate = (value: string): boolean => {
    const result = check(question, value);
    box.validationMessage = 'problem' in result ? result.problem : { message: result.preview, severity: vscode.InputBoxValidationSeverity.Info };
    return !('problem' in result);
  };
  validate(box.value);
  const offered = box.value;
  let open = true;
  void question.revised?.then((revision) => {
    if (!open) return;
    if (revision?.prompt !== undefined) box.prompt = revision.prompt;
    if (revision?.value !== undefined && box.value === offered) box.value = revision.value;
    validate(box.value);
  });
  const dismissal = question.token?.onCancellationRequested(() => box.hide());
  const text = await new Promise<string | undefined>((resolve) => {
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      if (validate(box.value)) resolve(box.value);
    });
    box.onDidHide(() => resolve(undefined));
    box.show();
    if (question.token?.isCancellationRequested) box.hide();
  });
  open = false;
  dismissal?.dispose();
  box.dispose();
  if (text === undefined) return undefined;
  const result = check(question, text);
  if ('problem' in result) throw new UserFacingError(result.problem);
  return result.answer;
}
