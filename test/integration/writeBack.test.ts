import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openUntitled } from './support';
import { LiteralLink } from '../../src/host/transposed/literalLink';
import { insertResult, writeCell } from '../../src/host/transposed/writeBack';

const COMMAND = 'layerLens.transposedConvolution';

/** An untitled document with `content`, shown in an editor. */
async function open(language: string, content: string): Promise<vscode.TextEditor> {
  const document = await openUntitled(language, content);
  return vscode.window.showTextDocument(document);
}

/** A link to the first occurrence of `literal` in the editor's document. */
function linkTo(editor: vscode.TextEditor, literal: string, notation: 'python' | 'matlab' | 'json'): LiteralLink {
  const { document } = editor;
  const start = document.getText().indexOf(literal);
  assert.ok(start >= 0, `${literal} is not in the document`);
  return new LiteralLink(document, new vscode.Range(document.positionAt(start), document.positionAt(start + literal.length)), notation);
}

/** Closes every editor, reverting untitled documents with changes first (they would ask to be saved). */
async function closeAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isUntitled && document.isDirty) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('writing back to the document', () => {
  afterEach(closeAll);

  it('writes an edited cell into the literal in its own notation, as one edit that one undo reverts', async () => {
    const original = '# weights\nk = [[1, 2],\n     [3, 4]]  # keep me\nprint(k)\n';
    const editor = await open('python', original);
    const link = linkTo(editor, '[[1, 2],\n     [3, 4]]', 'python');
    const outcome = await writeCell(link, 'kernel', [2, 2], 1, 0, -0.5);
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.problem);
    assert.deepEqual([...outcome.value.data], [1, 2, -0.5, 4]);
    assert.equal(editor.document.getText(), '# weights\nk = [[1, 2],\n     [-0.5, 4]]  # keep me\nprint(k)\n');
    // The link follows the edit: a second one lands in the same literal.
    const second = await writeCell(link, 'kernel', [2, 2], 0, 1, 7);
    assert.ok(second.ok);
    assert.equal(editor.document.getText(), '# weights\nk = [[1, 7],\n     [-0.5, 4]]  # keep me\nprint(k)\n');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), '# weights\nk = [[1, 2],\n     [-0.5, 4]]  # keep me\nprint(k)\n');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original);
    link.dispose();
  });

  it('writes a cell of one channel into a 3-D literal, and a cell of a matrix read as one channel', async () => {
    const editor = await open('python', 'x = torch.tensor([[[1., 2.], [3., 4.]],\n                  [[5., 6.], [7., 8.]]])\nk = [[1, 1], [1, 1]]\n');
    const input = linkTo(editor, '[[[1., 2.], [3., 4.]],\n                  [[5., 6.], [7., 8.]]]', 'python');
    const outcome = await writeCell(input, 'input', [2, 2, 2], 1, 0, 9, [1]);
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.problem);
    assert.deepEqual([...outcome.value.data], [1, 2, 3, 4, 5, 6, 9, 8]);
    // Rewritten in its notation (floats stay floats), with only that value changed.
    const text = editor.document.getText();
    assert.match(text, /^x = torch\.tensor\(\[\[\[1\.0?, 2\.0?\],/);
    assert.match(text, /\[9\.0?, 8\.0?\]\]\]\)\nk = /);
    assert.doesNotMatch(text, /\[7\./);
    const missing = await writeCell(input, 'input', [2, 2, 2], 0, 0, 1, [2]);
    assert.ok(!missing.ok);
    assert.match(missing.ok ? '' : missing.problem, /There is no input cell \[2, 0, 0\] in a 2 × 2 × 2 tensor/);
    // A [2, 2] kernel beside channels is the weight [1, 1, 2, 2]: the literal stays 2-D.
    const kernel = linkTo(editor, '[[1, 1], [1, 1]]', 'python');
    const lifted = await writeCell(kernel, 'kernel', [1, 1, 2, 2], 0, 1, 3, [0, 0]);
    assert.ok(lifted.ok, lifted.ok ? '' : lifted.problem);
    assert.match(editor.document.getText(), /\nk = \[\[1, 3\], \[1, 1\]\]\n$/);
    input.dispose();
    kernel.dispose();
  });

  it('follows the literal when lines are added above it, and writes MATLAB as MATLAB', async () => {
    const editor = await open('matlab', 'x = [1 2; 3 4];\n');
    const link = linkTo(editor, '[1 2; 3 4]', 'matlab');
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '% a comment\n'));
    const outcome = await writeCell(link, 'input', [2, 2], 0, 0, Number.POSITIVE_INFINITY);
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.problem);
    assert.equal(editor.document.getText(), '% a comment\nx = [Inf 2; 3 4];\n');
    link.dispose();
  });

  it('refuses, changing nothing, when the literal no longer parses or has another shape', async () => {
    const editor = await open('python', 'x = [[1, 2], [3, 4]]\n');
    const link = linkTo(editor, '[[1, 2], [3, 4]]', 'python');
    // Another shape: a third column typed into the literal.
    await editor.edit((builder) => builder.replace(new vscode.Range(0, 10, 0, 11), '2, 9'));
    const before = editor.document.getText();
    const reshaped = await writeCell(link, 'input', [2, 2], 0, 0, 5);
    assert.ok(!reshaped.ok);
    assert.match(reshaped.problem, /is now \[2, 3\]|no longer reads as a matrix/);
    assert.equal(editor.document.getText(), before);
    // No longer a matrix at all.
    await editor.edit((builder) => builder.replace(new vscode.Range(0, 14, 0, 15), 'a'));
    const broken = editor.document.getText();
    const unreadable = await writeCell(link, 'input', [2, 2], 0, 0, 5);
    assert.ok(!unreadable.ok);
    assert.match(unreadable.problem, /no longer reads as a matrix.*Nothing was changed/);
    assert.equal(editor.document.getText(), broken);
    link.dispose();
  });

  it('inserts the result after the input’s statement with its indentation, undone by one undo', async () => {
    const original = 'def f():\n    x = np.array([[1, 2],\n                  [3, 4]],\n                 dtype=np.float64)\n    return x\n';
    const editor = await open('python', original);
    const link = linkTo(editor, 'np.array([[1, 2],\n                  [3, 4]],\n                 dtype=np.float64)', 'python');
    const output = { shape: [3, 3], data: Float64Array.from([1, 3, 2, 4, 10, 6, 3, 7, 4]) };
    const outcome = await insertResult(link, output);
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.problem);
    assert.equal(
      editor.document.getText(),
      'def f():\n    x = np.array([[1, 2],\n                  [3, 4]],\n                 dtype=np.float64)\n    x_out = [[1, 3, 2],\n             [4, 10, 6],\n             [3, 7, 4]]\n    return x\n',
    );
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original);
    link.dispose();
  });

  it('offers only copying for JSON, saying why', async () => {
    const editor = await open('json', '{"x": [[1, 2], [3, 4]]}');
    const link = linkTo(editor, '[[1, 2], [3, 4]]', 'json');
    const outcome = await insertResult(link, { shape: [1, 1], data: Float64Array.of(1) });
    assert.ok(!outcome.ok);
    assert.match(outcome.problem, /JSON document holds one value/);
    assert.equal(editor.document.getText(), '{"x": [[1, 2], [3, 4]]}');
    link.dispose();
  });
});

describe('the transposed-convolution panel commands', () => {
  afterEach(closeAll);

  it('copies the output, an operand and the PyTorch snippet to the clipboard', async () => {
    await vscode.commands.executeCommand(COMMAND, { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]], stride: 1 });
    await vscode.commands.executeCommand('layerLens.copy', { kind: 'matrix', matrix: 'output', format: 'numpy' });
    assert.equal(await vscode.env.clipboard.readText(), 'np.array([[1, 3, 2],\n          [4, 10, 6],\n          [3, 7, 4]], dtype=np.float64)');
    await vscode.commands.executeCommand('layerLens.copy', { kind: 'matrix', matrix: 'kernel', format: 'matlab' });
    assert.equal(await vscode.env.clipboard.readText(), '[1 1;\n 1 1]');
    await vscode.commands.executeCommand('layerLens.copyPyTorchSnippet');
    const snippet = await vscode.env.clipboard.readText();
    assert.match(snippet, /^import torch$/m);
    assert.match(snippet, /F\.conv_transpose2d\(x\[None, None\], w\[None, None\], stride=\(1, 1\)/);
  });

  it('inserts the result below the input literal the command read', async () => {
    const editor = await open('python', 'x = [[1, 2], [3, 4]]\nk = [[1, 1], [1, 1]]\n');
    editor.selection = new vscode.Selection(0, 6, 0, 6);
    await vscode.commands.executeCommand(COMMAND, { kernel: [[1, 1], [1, 1]], stride: 1 });
    assert.equal(await vscode.commands.executeCommand('layerLens.insertResult'), true);
    assert.equal(editor.document.getText(), 'x = [[1, 2], [3, 4]]\nx_out = [[1, 3, 2],\n         [4, 10, 6],\n         [3, 7, 4]]\nk = [[1, 1], [1, 1]]\n');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), 'x = [[1, 2], [3, 4]]\nk = [[1, 1], [1, 1]]\n');
  });

  it('refuses to insert when the input was given as an argument', async () => {
    await vscode.commands.executeCommand(COMMAND, { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]], stride: 1 });
    assert.equal(await vscode.commands.executeCommand('layerLens.insertResult'), false);
  });
});
