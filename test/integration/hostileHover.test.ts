/**
 * Issue 16: hostile text in a document must not turn into an image or a link in Layer Lens's
 * hovers, which VS Code renders trusted for Layer Lens's commands (also in untrusted workspaces).
 * The hovers are asked of the real hover providers in the real extension host.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { assertOnlyLinks } from '../unit/reliability/markdownCheck';

const HOSTILE = '"` ![p](https://example.invalid/p.png) [Run](command:layerLens.inspectStack?%7B%22uri%22%3A%22file%3A%2F%2F%2Fetc%2Fpasswd%22%7D) <img src=x onerror=alert(1)> `"';

const DOCUMENT = [
  'import torch.nn as nn',
  'main = nn.Sequential(',
  '    nn.ConvTranspose2d(4, 4, 4, 2, 1),',
  `    ${HOSTILE},`,
  '    nn.ReLU(),',
  ')',
  `up = nn.ConvTranspose2d(4, 4, 3, stride=s + ${HOSTILE})`,
  `x = [[1, 2], [3, 4]]  # ${HOSTILE}`,
  '',
].join('\n');

async function hovers(document: vscode.TextDocument, needle: string, delta: number): Promise<vscode.MarkdownString[]> {
  const position = document.positionAt(document.getText().indexOf(needle) + delta);
  const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return found.flatMap((hover) => hover.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString);
}

describe('hostile hovers (issue 16)', () => {
  it('a stack, a layer call and a matrix beside hostile strings: no image or link the document wrote', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: DOCUMENT });
    await vscode.window.showTextDocument(document);
    const stack = await hovers(document, 'Sequential', 3);
    assert.ok(stack.some((m) => /Stack: \d+ layers/.test(m.value)), 'the stack hover is shown');
    const layer = await hovers(document, 'ConvTranspose2d(4, 4, 3', 4);
    assert.ok(layer.some((m) => /transposed convolution/.test(m.value)), 'the layer hover is shown');
    const matrix = await hovers(document, '[[1, 2]', 2);
    assert.ok(matrix.some((m) => /Matrix 2×2/.test(m.value)), 'the matrix hover is shown');
    for (const markdown of [...stack, ...layer, ...matrix]) {
      assert.equal(markdown.supportHtml, false);
      // The only links are Layer Lens's own command links, and the only images its data: pictures.
      const withoutOwn = markdown.value.replace(/!\[[^\]]*\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/g, '').replace(/\[[^\]]*\]\(command:layerLens\.\w+(\?[^)\s"]*)?(?: "[^"]*")?\)/g, (link) => (link.includes('etc%2Fpasswd') ? link : ''));
      assertOnlyLinks(withoutOwn, []);
    }
  });
});
