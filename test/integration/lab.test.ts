/**
 * "Layer Lens: Compare Upsampling Methods" in the real extension host: the arguments object in, the
 * summary out (computed in the lab's engine worker), one lab panel reused, a wrong argument
 * refused by name, and a superseded comparison answered with nothing.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LabSummary } from '../../src/lab/labSummary';

const COMMAND = 'layerLens.compareUpsampling';

function labTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.lab')));
}

describe('layerLens.compareUpsampling', () => {
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
    assert.equal(labTabs().length, 1);
    assert.equal(labTabs()[0]?.label, 'Layer Lens: Checkerboard Lab');
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
    assert.equal(labTabs().length, 1);
  });

  it('refuses an argument it does not know, or out of range, by name, and returns undefined', async () => {
    assert.equal(await vscode.commands.executeCommand(COMMAND, { factor: 2, stride: 2 }), undefined);
    assert.equal(await vscode.commands.executeCommand(COMMAND, { factor: 7 }), undefined);
    assert.equal(await vscode.commands.executeCommand(COMMAND, { input: [[1, 2], [3]] }), undefined);
  });

  it('a comparison superseded by the next one answers undefined; the last one answers', async () => {
    const first = vscode.commands.executeCommand<LabSummary | undefined>(COMMAND, { input: 'pattern', size: 256, kernelSize: 5, stages: 2 });
    const second = vscode.commands.executeCommand<LabSummary | undefined>(COMMAND, { input: 'gradient', size: 8 });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a, undefined);
    assert.ok(b);
    assert.equal(b.input, 'gradient');
  });

  it('a stack too large for the lab is refused with the engine’s reason, not computed', async () => {
    assert.equal(await vscode.commands.executeCommand(COMMAND, { input: 'constant', size: 256, factor: 4, stages: 3 }), undefined);
  });
});
