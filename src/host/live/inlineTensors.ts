/**
 * Tensor shapes inline while a Python debug session is paused: each tensor, ndarray and Parameter
 * variable of the stopped frame as `x: [1, 64, 32, 32] float32 cuda:0` at the lines of the
 * stopped function (from its `def` to the stop) that use it. One `evaluate` per stop reads the
 * frame's variables' `shape`, `dtype` and `device` only (frameTensorsSnippet); no value and no
 * repr is computed. `layerLens.live.inlineValues` turns it off. VS Code asks only for a file that
 * was open in an editor before the stop.
 */
import * as vscode from 'vscode';
import { frameTensorsSnippet } from '../../core/live/snippets';
import { describeFrameTensor, readFrameTensors, type FrameTensor } from '../../core/live/wire';
import { enclosingFunctionStart, tensorUses } from '../../core/live/tensorUses';
import { evaluateSnippet, isPythonSession } from './pausedFrame';

export class InlineTensorsProvider implements vscode.InlineValuesProvider {
  async provideInlineValues(document: vscode.TextDocument, viewPort: vscode.Range, context: vscode.InlineValueContext, token: vscode.CancellationToken): Promise<vscode.InlineValue[]> {
    if (!vscode.workspace.getConfiguration('layerLens', document).get<boolean>('live.inlineValues', true)) return [];
    const session = vscode.debug.activeDebugSession;
    if (!session || !isPythonSession(session)) return [];
    let tensors: FrameTensor[];
    try {
      tensors = readFrameTensors(await evaluateSnippet({ session, frameId: context.frameId }, frameTensorsSnippet(), "the frame's tensors", token));
    } catch {
      return []; // A frame that cannot be read (a C frame, a session ending) simply shows nothing.
    }
    if (tensors.length === 0 || token.isCancellationRequested) return [];
    const byName = new Map(tensors.map((t) => [t.name, describeFrameTensor(t)]));
    // From the stopped function's `def` (or the top of the screen, if lower) to the stop.
    const stop = Math.min(context.stoppedLocation.end.line, document.lineCount - 1);
    const above: string[] = [];
    for (let line = 0; line <= stop; line++) above.push(document.lineAt(line).text);
    const first = Math.max(viewPort.start.line, enclosingFunctionStart(above, stop));
    const last = Math.min(viewPort.end.line, stop);
    const lines = above.slice(first, last + 1);
    return tensorUses(lines, [...byName.keys()]).map(
      (use) => new vscode.InlineValueText(new vscode.Range(first + use.line, use.start, first + use.line, use.end), byName.get(use.name) as string),
    );
  }
}
