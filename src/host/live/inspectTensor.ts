/**
 * "Layer Lens: Inspect Tensor": a tensor of the paused Python frame, read as bytes and returned
 * exactly as PyTorch holds it (`{ shape, dtype, data }`, float32 values as their float64
 * expansions, data flat and row-major), and shown in the transposed-convolution panel's grids
 * (a heatmap per matrix, channel and batch selectors) with its min, max, mean and NaN count, and
 * buttons that use it as the input or the kernel of Transposed Convolution. A tensor over
 * `layerLens.maxOutputElements` is refused with an offer to inspect a slice of it.
 */
import * as vscode from 'vscode';
import { readSettings } from '../common/settings';
import { reportingProblems } from '../common/problems';
import { toNumberArray } from '../common/result';
import { renderExpression, withIndex, type LiveExpression } from '../../core/live/expression';
import { reference } from '../../core/live/snippets';
import { COMMAND } from '../contributed';
import { fetchArray, TooLargeError, type FetchedArray } from './fetchArray';
import { readInspectTensorArguments } from './liveArguments';
import { pausedFrame } from './pausedFrame';
import { showLiveTensor, type LivePanelServices } from './livePanels';
import { summariseValues } from '../../core/live/valueSummary';
import { nestedArray } from '../../core/live/nested';

const USE_AS_INPUT = 'Use as Input…';
const USE_AS_KERNEL = 'Use as Kernel…';

/** What the command returns. */
export interface InspectedTensor {
  readonly shape: number[];
  /** PyTorch's (or NumPy's) name: `float32`, `int64`. */
  readonly dtype: string;
  readonly data: number[];
}

export function inspectTensorCommand(services: LivePanelServices, raw: unknown): Promise<InspectedTensor | undefined> {
  return reportingProblems(async () => {
    const args = await readInspectTensorArguments(raw);
    if (!args) return undefined;
    const frame = await pausedFrame(args.choice.frameId);
    const label = renderExpression(args.expression);
    const limit = readSettings().maxOutputElements;
    let fetched: FetchedArray;
    try {
      fetched = await fetchArray(frame, { source: reference(args.expression), label, limit });
    } catch (error) {
      if (error instanceof TooLargeError) offerSlice(args.expression, error, args.choice.show);
      throw error;
    }
    const { header, values } = fetched;
    if (args.choice.show) {
      const summary = summariseValues(values);
      showLiveTensor(services, label, header.shape, values, frame.place);
      const text = `Layer Lens: ${label} is a ${header.type} [${header.shape.join(', ')}] ${header.dtype} on ${header.device}${header.requiresGrad ? ' (requires grad)' : ''}: ${summary}.`;
      // Not awaited: the command resolves at once; a button runs Transposed Convolution on the tensor.
      const uses = header.shape.length >= 1 && header.shape.length <= 4 ? [USE_AS_INPUT, USE_AS_KERNEL] : [];
      void vscode.window.showInformationMessage(text, ...uses).then((choice) => {
        if (choice === undefined) return;
        const matrix = nestedArray(header.shape, values);
        void vscode.commands.executeCommand(COMMAND.transposedConvolution, choice === USE_AS_INPUT ? { input: matrix } : { kernel: matrix });
      });
    }
    return { shape: [...header.shape], dtype: header.dtype, data: toNumberArray(values) };
  });
}

/**
 * After the refusal's message: a button that inspects the first slice that fits (`x[0]`, `x[0, 0]`, …).
 * Not awaited, so the command still resolves at once.
 */
function offerSlice(expression: LiveExpression, error: TooLargeError, show: boolean): void {
  const { shape } = error.header;
  const limit = readSettings().maxOutputElements;
  let lead = 1;
  while (lead < shape.length && shape.slice(lead).reduce((a, b) => a * b, 1) > limit) lead++;
  if (lead >= shape.length || !show) return;
  const slice = withIndex(expression, new Array<number>(lead).fill(0));
  const label = renderExpression(slice);
  void vscode.window.showInformationMessage(`Layer Lens: inspect the slice ${label} ([${shape.slice(lead).join(', ')}]) instead?`, `Inspect ${label}`).then((choice) => {
    if (choice) void vscode.commands.executeCommand(COMMAND.inspectTensor, { expression: label });
  });
}
