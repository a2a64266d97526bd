/**
 * The hover over a tensor variable while a Python debug session is paused: the same line as the
 * inline values (`x: [1, 64, 32, 32] float32 cuda:0`, plus "requires grad"), and a link that runs
 * Inspect Tensor on it. It evaluates the fetch snippet with a limit of 0 values, which reads the
 * object's `shape`, `dtype`, `device`, `requires_grad`, `numel()`, `is_complex()` and `layout`
 * and sends no value. VS Code shows it beside the debugger's own hover.
 */
import * as vscode from 'vscode';
import { commandUri } from '../../core/insight/commandArguments';
import { parseLiveExpression, renderExpression } from '../../core/live/expression';
import { referenceAt } from '../../core/live/referenceAt';
import { fetchSnippet, reference } from '../../core/live/snippets';
import { describeFrameTensor, readFetchAnswer } from '../../core/live/wire';
import { COMMAND } from '../contributed';
import { evaluateSnippet, isPythonSession, pausedFrame } from './pausedFrame';

export class TensorHoverProvider implements vscode.HoverProvider {
  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!vscode.workspace.getConfiguration('layerLens', document).get<boolean>('live.inlineValues', true)) return undefined;
    // Nothing is asked of a session that is not a paused Python one (no stack item is selected while it runs).
    if (!isPythonSession(vscode.debug.activeDebugSession) || vscode.debug.activeStackItem === undefined) return undefined;
    const text = referenceAt(document.lineAt(position.line).text, position.character);
    const reading = parseLiveExpression(text);
    if (!reading.ok) return undefined;
    const label = renderExpression(reading.expression);
    try {
      const frame = await pausedFrame();
      const answer = readFetchAnswer(await evaluateSnippet(frame, fetchSnippet(reference(reading.expression), { start: 0, end: 0, limit: 0 }), label, token));
      if (answer.kind !== 'array') return undefined;
      const { header } = answer;
      const line = describeFrameTensor({ name: label, shape: header.shape, dtype: header.dtype, device: header.kind === 'tensor' ? header.device : '' });
      const markdown = new vscode.MarkdownString(`\`${line}\`${header.requiresGrad ? ' · requires grad' : ''} · [Inspect Tensor](${commandUri(COMMAND.inspectTensor, { expression: label })})`);
      markdown.isTrusted = { enabledCommands: [COMMAND.inspectTensor] };
      return new vscode.Hover(markdown);
    } catch {
      return undefined; // Not paused, not defined here, the session ending: the debugger's own hover says what there is.
    }
  }
}
