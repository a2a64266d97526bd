/**
 * The way into the checkerboard lab from the editor: beside the quick fixes of a transposed
 * convolution with uneven overlap, "Compare upsampling methods for this layer…" opens the lab on
 * the layer's stride and kernel size, so the user sees the checkerboard and the alternatives
 * before picking a fix. Offered when the lab can take the layer: one stride of 2–4 and one kernel
 * size of 1–9 for both axes, without dilation.
 */
import * as vscode from 'vscode';
import type { ConvAxis } from '../../core/insight/layerSize';
import { LAB_LIMITS } from '../../core/protocol/lab';
import { COMPARE_UPSAMPLING_COMMAND } from './labCommand';

export function compareUpsamplingAction(axes: readonly ConvAxis[] | undefined, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction | undefined {
  const [first, ...rest] = axes ?? [];
  if (!first || rest.some((a) => a.stride !== first.stride || a.kernel !== first.kernel || a.dilation !== 1) || first.dilation !== 1) return undefined;
  const { factor, kernelSize } = LAB_LIMITS;
  if (first.stride < factor.min || first.stride > factor.max || first.kernel < kernelSize.min || first.kernel > kernelSize.max) return undefined;
  const action = new vscode.CodeAction(`Compare upsampling methods for kernel ${first.kernel}, stride ${first.stride}…`, vscode.CodeActionKind.QuickFix);
  action.command = {
    command: COMPARE_UPSAMPLING_COMMAND,
    title: 'Compare Upsampling Methods',
    arguments: [{ factor: first.stride, kernelSize: first.kernel, input: 'constant' }],
  };
  action.diagnostics = [...diagnostics];
  return action;
}
