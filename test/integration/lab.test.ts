/**
 * "Layer Lens: Compare Upsampling Methods" in the real extension host: the arguments object in, the
 * summary out (computed in the lab's engine worker), one lab panel reused, a wrong argument
 * refused by name, and a superseded comparison answered with nothing.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openUntitled } from './support';
import type { LabSummary } from '../../src/host/lab/labSummary';

const COMMAND = 'layerLens.compareUpsampling';

function labTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.lab')));
}

/** The lab's tabs once the workbench has reported them (its tab model follows the extension host's calls asynchronously). */
async function settledLabTabs(): Promise<vscode.Tab[]> {
  const deadline = Date.now() + 5_000;
  while (labTabs().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return labTabs();
}

describe('layerLens.compareUpsampling', () => {
  after(async () => {
    // Untitled documents are dirty: revert them as they close, or VS Code asks whether to save
    // them, and that modal dialog would hold up every suite after this one.
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('compares on a constant input from its arguments and returns the numbers: transposed k3 r2 paints a checkerboard, the others do not', async () => {
    const summary = await vscode.commands.executeCommand<LabSummary>(COMMAND, { factor: 2, kernelSize: 3, input: 'constant', size: 16 });
    assert.ok(summary, 'no summary');
    assert.equal(summary.input, 'constant');
    assert.deepEqual(summary.inputSize, [16, 16]);
    assert.deepEqual(summary.outputSize, [32, 32]);
    assert.deepEqual(summary.kernelSize, [3, 3]);
    assert.equal(summary.methods.transposed.verdict, 'checkerboard');
    assert.ok(Math.abs((summary.methods.transposed.constantShare as number) - 0.19) < 1e-12);
    assert.equal(summary.methods.transposed.countRatio, 4);
    for (const method of ['resize', 'subPixel'] as const) {
      assert.equal(summary.methods[method].verdict, 'flat', method);
      assert.ok((summary.methods[method].constantShare as number) < 1e-12, method);
    }
    const tabs = await settledLabTabs();
    assert.equal(tabs.length, 1);
    assert.equal(tabs[0]?.label, 'Layer Lens: Checkerboard Lab');
  });

  it('takes the user’s matrix and kernel, bilinear mode and a stack of stages; reuses the one lab panel', async () => {
    const summary = await vscode.commands.executeCommand<LabSummary>(COMMAND, {
      factor: 2,
      kernel: [[1, 2, 1], [2, 4, 2], [1, 2, 1]],
      input: '[1 2 3 4; 5 6 7 8; 9 10 11 12; 13 14 15 16; 1 1 1 1; 2 2 2 2]',
      mode: 'bilinear',
      stages: 2,
    });
    assert.ok(summary);
    assert.equal(summary.input, 'your 6×4 matrix');
    assert.deepEqual(summary.outputSize, [24, 16]);
    assert.equal(summary.period, 4);
    assert.equal(summary.mode, 'bilinear');
    assert.equal(summary.methods.resize.verdict, 'flat');
    assert.equal((await settledLabTabs()).length, 1);
  });

  it('refuses an argument it does not know, or out of range, by name, and returns undefined', async () => {
    assert.equal(await vscode.commands.executeCommand(COMMAND, { factor: 2, stride: 2 }), undefined);
    assert.equal(await vscode.commands.executeCommand(COMMAND, { factor: 7 }), undefined);
    assert.equal(await vscode.commands.executeCommand(COMMAND, { input: [[1, 2], [3]] }), undefined);
  });

  it('a comparison superseded by the next one answers undefined; the last one answers', async () => {
    const first = vscode.commands.executeCommand<LabSummary | undefined>(COMMAND, { input: 'pattern', size: 256, kernelSize: 4, stages: 2 });
    const second = vscode.commands.executeCommand<LabSummary | undefined>(COMMAND, { input: 'gradient', size: 8 });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a, undefined);
    assert.ok(b);
    assert.equal(b.input, 'gradient');
  });

  it('is offered beside the quick fixes of an uneven layer, on the layer’s stride and kernel size', async () => {
    const document = await openUntitled('python', 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, 3, stride=2)\n');
    await vscode.window.showTextDocument(document);
    let action: vscode.CodeAction | undefined;
    const deadline = Date.now() + 10_000;
    while (!action && Date.now() < deadline) {
      const range = new vscode.Range(1, 8, 1, 8);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range, vscode.CodeActionKind.QuickFix.value);
      action = actions.find((a) => a.title === 'Compare upsampling methods for kernel 3, stride 2…');
      if (!action) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(action?.command, 'no lab action among the quick fixes');
    assert.equal(action.command.command, COMMAND);
    const summary = await vscode.commands.executeCommand<LabSummary>(action.command.command, ...(action.command.arguments ?? []));
    assert.deepEqual([summary.factor, summary.kernelSize, summary.methods.transposed.verdict], [2, [3, 3], 'checkerboard']);
  });

  it('a stack too large for the lab is refused with the engine’s reason, not computed', async () => {
    assert.equal(await vscode.commands.executeCommand(COMMAND, { input: 'constant', size: 256, factor: 4, stages: 3 }), undefined);
  });
});
