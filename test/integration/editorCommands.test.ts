/**
 * The editor commands in the real extension host, each with its arguments object and its failure
 * notifications: Set Kernel, Inspect Layer, Show Overlap Map, Copy Result As, Solve for Size, and
 * the status bar item.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const samples = path.resolve(__dirname, '../../../samples');

interface Result {
  shape: number[];
  data: number[];
}

/**
 * The error notifications shown while `body` runs. Layer Lens's bundle and this test share the
 * extension's `vscode` API object, so wrapping `showErrorMessage` here sees the extension's calls.
 */
export async function errorsDuring(body: () => Promise<unknown>): Promise<string[]> {
  const window = vscode.window as { showErrorMessage: typeof vscode.window.showErrorMessage };
  const original = window.showErrorMessage;
  const seen: string[] = [];
  window.showErrorMessage = ((message: string) => {
    seen.push(message);
    return Promise.resolve(undefined);
  }) as typeof vscode.window.showErrorMessage;
  try {
    await body();
  } finally {
    window.showErrorMessage = original;
  }
  return seen;
}

async function closeAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled || d.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function openAt(name: string, text: string, offset = 0): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(path.join(samples, name));
  const editor = await vscode.window.showTextDocument(document);
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `"${text}" is not in ${name}`);
  const position = document.positionAt(index + offset);
  editor.selection = new vscode.Selection(position, position);
  return editor;
}

describe('layerLens.setKernel', () => {
  afterEach(closeAll);

  it('with no panel open, sets the kernel of the next Transposed Convolution (a bilinear preset)', async () => {
    await closeAll();
    const set = await vscode.commands.executeCommand<{ target: string; shape: number[]; data: number[] }>('layerLens.setKernel', { preset: 'bilinear', size: 4 });
    assert.equal(set?.target, 'next');
    assert.deepEqual(set?.shape, [4, 4]);
    assert.equal(set?.data[5], 0.5625); // 0.75 · 0.75
    const result = await vscode.commands.executeCommand<Result>('layerLens.transposedConvolution', { input: [[1]], stride: 2 });
    assert.deepEqual(result?.shape, [4, 4]);
    assert.deepEqual(result?.data, set?.data, 'the next convolution of a single 1 is the kernel itself');
  });

  it('sets the kernel of the open panel from a matrix or typed text, and the panel uses it', async () => {
    await vscode.commands.executeCommand('layerLens.transposedConvolution', { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]], stride: 1 });
    const set = await vscode.commands.executeCommand<{ target: string; shape: number[] }>('layerLens.setKernel', { kernel: '[1 0; 0 -1]' });
    assert.equal(set?.target, 'panel');
    assert.deepEqual(set?.shape, [2, 2]);
    const copied = await vscode.commands.executeCommand<string>('layerLens.copy', { kind: 'matrix', matrix: 'kernel', format: 'json' });
    assert.equal(copied?.replace(/\s+/g, ''), '[[1,0],[0,-1]]');
  });

  it('reports a bad preset parameter, a bad preset name and an unknown argument by name', async () => {
    const errors = await errorsDuring(async () => {
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { preset: 'gaussian', size: 5, sigma: 0 }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { preset: 'sharpen' }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { kernal: [[1]] }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { kernel: '[[1, 2], [3]]' }), undefined);
    });
    assert.equal(errors.length, 4, JSON.stringify(errors));
    assert.match(errors[0] ?? '', /^Layer Lens: sigma must be a positive, finite number/);
    assert.match(errors[1] ?? '', /Argument "preset" must be one of box, bilinear, gaussian/);
    assert.match(errors[2] ?? '', /Unknown argument "kernal": Set Kernel takes kernel, preset, size, sigma, seed/);
    assert.match(errors[3] ?? '', /Argument "kernel": row 2 has 1 value/);
  });

  it('uses a matrix read from a document as a linked kernel', async () => {
    const editor = await openAt('textbook.py', 'x = [[1, 2], [3, 4]]', 6);
    await vscode.commands.executeCommand('layerLens.transposedConvolution', { kernel: [[1]], stride: 1 });
    void editor;
    const set = await vscode.commands.executeCommand<{ target: string; shape: number[] }>('layerLens.setKernel', { preset: 'sobelX' });
    assert.equal(set?.target, 'panel');
    const output = await vscode.commands.executeCommand<string>('layerLens.copy', { kind: 'matrix', matrix: 'output', format: 'json' });
    // [[1, 2], [3, 4]] scattered with Sobel x at stride 1: a 4×4 output; its first row is [-1, -2, 1, 2].
    assert.match(output?.replace(/\s+/g, '') ?? '', /^\[\[-1,-2,1,2\],/);
  });
});
