/**
 * "Layer Lens: Compare Upsampling Methods" (`layerLens.compareUpsampling`): opens the checkerboard
 * lab on one factor, kernel and input, and returns the numbers (see ./labSummary). With an
 * arguments object nothing is asked; from the Command Palette quick picks ask for the factor, the
 * kernel size and the input (the matrix at the cursor is offered when there is one). Everything
 * else is changed in the lab itself.
 */
import * as vscode from 'vscode';
import { UserFacingError } from '../common/arguments';
import { describeOrigin, matrixFromArgument, matrixFromEditor } from '../common/matrixSources';
import { reportingProblems } from '../common/problems';
import { LayerError } from '../../core/engine/errors';
import { LAB_LIMITS, labSettingsProblem, type LabSettings } from '../../core/protocol/lab';
import { LAB_DEFAULTS, labMatrix, labSettingsFrom, readLabArguments } from './labArguments';
import { LabPanel, type LabServices } from './labPanel';
import { labSummary, type LabSummary } from './labSummary';

export const COMPARE_UPSAMPLING_COMMAND = 'layerLens.compareUpsampling';

export function compareUpsamplingCommand(services: LabServices, rawArguments: unknown): Promise<LabSummary | undefined> {
  return reportingProblems(async () => {
    const args = readLabArguments(rawArguments);
    const settings = args ? labSettingsFrom(args, (value, name) => matrixFromArgument(value, name).tensor) : await askSettings();
    if (!settings) return undefined;
    const outcome = await LabPanel.show(services, settings);
    switch (outcome.kind) {
      case 'done':
        return labSummary(settings, outcome.result);
      case 'failed':
        // The engine refused the settings: the lab shows why, and so does the notification.
        throw new UserFacingError(outcome.problem);
      case 'superseded':
        return undefined;
    }
  });
}

interface Pick<T> extends vscode.QuickPickItem {
  readonly value: T;
}

const TITLE = 'Layer Lens: Compare Upsampling Methods';

async function askSettings(): Promise<LabSettings | undefined> {
  const factorItems: Pick<number>[] = [];
  for (let r = LAB_LIMITS.factor.min; r <= LAB_LIMITS.factor.max; r++) factorItems.push({ label: `×${r}`, description: `stride ${r}, scale factor ${r}, pixel shuffle ${r}`, value: r });
  const factor = await pick(factorItems, 'Step 1/3: the upsampling factor', LAB_DEFAULTS.factor);
  if (factor === undefined) return undefined;

  const kernelItems: Pick<number>[] = [];
  for (let k = LAB_LIMITS.kernelSize.min; k <= LAB_LIMITS.kernelSize.max; k++) {
    const even = k % factor === 0;
    kernelItems.push({ label: `${k}×${k}`, description: even ? `divisible by ${factor}: even overlap for transposed convolution` : `not divisible by ${factor}: uneven overlap for transposed convolution`, value: k });
  }
  const kernelSize = await pick(kernelItems, 'Step 2/3: the kernel size (all three methods use the same kernel)', LAB_DEFAULTS.kernelSize);
  if (kernelSize === undefined) return undefined;

  const editor = vscode.window.activeTextEditor;
  const found = editor && safeMatrixAt(editor);
  // Offered only when the lab runs it with the factor and kernel just picked; otherwise the step says why.
  const tooLarge = found && labSettingsProblem({ ...LAB_DEFAULTS, factor, kernelSize, input: 'matrix', matrix: found.matrix });
  const atCursor = tooLarge ? undefined : found;
  type InputValue = 'constant' | 'gradient' | 'pattern' | 'cursor';
  const inputItems: Pick<InputValue>[] = [
    { label: '$(circle-filled) Constant', description: 'any pattern in the output is an artifact', value: 'constant' },
    { label: '$(color-mode) Smooth gradient', value: 'gradient' },
    { label: '$(symbol-color) Test pattern', description: 'smooth blobs and edges, like a natural image', value: 'pattern' },
    ...(atCursor ? [{ label: `$(symbol-array) The matrix at the cursor`, description: `${atCursor.matrix.rows}×${atCursor.matrix.cols}, ${atCursor.label}`, value: 'cursor' as const }] : []),
  ];
  const step = tooLarge ? `Step 3/3: the input (not the matrix at the cursor: ${tooLarge})` : 'Step 3/3: the input (an image file can be chosen in the lab)';
  const input = await pick(inputItems, step, 'constant');
  if (input === undefined) return undefined;
  const base = { ...LAB_DEFAULTS, factor, kernelSize };
  if (input === 'cursor' && atCursor) return { ...base, input: 'matrix', matrix: atCursor.matrix, matrixLabel: atCursor.label };
  return { ...base, input: input === 'cursor' ? 'constant' : input };
}

async function pick<T>(items: Pick<T>[], placeHolder: string, preferred: T): Promise<T | undefined> {
  const quickPick = vscode.window.createQuickPick<Pick<T>>();
  quickPick.title = TITLE;
  quickPick.placeholder = placeHolder;
  quickPick.items = items;
  quickPick.ignoreFocusOut = true;
  const active = items.find((item) => item.value === preferred);
  if (active) quickPick.activeItems = [active];
  return new Promise<T | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.value ?? quickPick.activeItems[0]?.value);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

/** The matrix at the cursor, if it is one the lab can take; a literal that does not read is simply not offered. */
function safeMatrixAt(editor: vscode.TextEditor): { readonly matrix: LabSettings['matrix'] & object; readonly label: string } | undefined {
  try {
    const found = matrixFromEditor(editor);
    if (!found) return undefined;
    const matrix = labMatrix(found.tensor, 'input', LAB_LIMITS.inputSide);
    return { matrix, label: describeOrigin(found) ?? 'the selection' };
  } catch (error) {
    if (error instanceof UserFacingError || error instanceof LayerError) return undefined;
    throw error;
  }
}
