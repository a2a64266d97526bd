/**
 * 1-D and 3-D layers from the commands in the real extension host: `op` with nested arrays or
 * `{ shape, data }`, `show: false` returning the output as data (PyTorch's and the engine's), and
 * the volume panel opened otherwise. The panel's drawing is read by the end-to-end test
 * (test/e2e/volumePanel.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { convTranspose3d, tensor } from '../../src/core/engine/index';
import { until } from './support';

interface VolumeResult {
  op: string;
  inputShape: number[];
  shape: number[];
  data: number[];
  panel: boolean;
}

function volumeTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.volume')));
}

describe('1-D and 3-D layers from the commands', () => {
  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Transposed Convolution with op convTranspose1d and show: false returns PyTorch’s output and opens nothing', async () => {
    const result = await vscode.commands.executeCommand<VolumeResult>('layerLens.transposedConvolution', {
      op: 'convTranspose1d',
      input: [1, 2, 3, 4, 5],
      weight: [1, 2, -1],
      options: { stride: 2, padding: 1 },
      show: false,
    });
    // F.conv_transpose1d in PyTorch 1.13, float64 (Debian python3-torch).
    assert.deepEqual(result, { op: 'convTranspose1d', inputShape: [1, 1, 5], shape: [1, 1, 9], data: [2, 1, 4, 1, 6, 1, 8, 1, 10], panel: false });
    assert.equal(volumeTabs().length, 0);
  });

  it('a 3-D transposed convolution of { shape, data } matches the engine and opens the volume panel', async () => {
    const input = { shape: [1, 1, 2, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] };
    const weight = { shape: [1, 1, 3, 3, 3], data: new Array(27).fill(1) };
    const result = await vscode.commands.executeCommand<VolumeResult>('layerLens.transposedConvolution', { op: 'convTranspose3d', input, weight, options: { stride: 2, padding: 1 } });
    const expected = convTranspose3d(tensor(input.shape, input.data), tensor(weight.shape, weight.data), { stride: 2, padding: 1 });
    assert.ok(result);
    assert.deepEqual(result.shape, [1, 1, 3, 3, 3]);
    assert.deepEqual(result.data, Array.from(expected.data));
    // PyTorch: slice 1 of the output.
    assert.deepEqual(result.data.slice(9, 18), [6, 14, 8, 16, 36, 20, 10, 22, 12]);
    await until('the volume panel', () => volumeTabs().map((t) => t.label), (labels) => labels.includes('Layer Lens: convTranspose3d'));
  });

  it('Inspect Layer takes any 1-D or 3-D op, and a volume literal [D, H, W] reads as one image of one channel', async () => {
    const result = await vscode.commands.executeCommand<VolumeResult>('layerLens.inspectLayer', {
      op: 'maxPool3d',
      input: [[[1, 2], [3, 4]], [[5, 6], [7, 9]]],
      options: { kernelSize: 2 },
      show: false,
    });
    assert.deepEqual(result, { op: 'maxPool3d', inputShape: [1, 1, 2, 2, 2], shape: [1, 1, 1, 1, 1], data: [9], panel: false });
  });

  it('computes a large 3-D transposed convolution in the engine worker and returns the engine’s output', async () => {
    // 1×4×16×16×16 → 2 channels, kernel 4, stride 2, padding 1: 65,536 outputs × 512 weights, past the inline bound.
    const input = { shape: [1, 4, 16, 16, 16], data: Array.from({ length: 4 * 16 ** 3 }, (_, i) => ((i * 37) % 11) - 5) };
    const weight = { shape: [4, 2, 4, 4, 4], data: Array.from({ length: 512 }, (_, i) => ((i * 13) % 7) / 7 - 0.5) };
    const result = await vscode.commands.executeCommand<VolumeResult>('layerLens.transposedConvolution', { op: 'convTranspose3d', input, weight, options: { stride: 2, padding: 1 }, show: false });
    const expected = convTranspose3d(tensor(input.shape, input.data), tensor(weight.shape, weight.data), { stride: 2, padding: 1 });
    assert.ok(result);
    assert.deepEqual(result.shape, [1, 2, 32, 32, 32]);
    let worst = 0;
    result.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (expected.data[i] as number)))));
    assert.ok(worst <= 1e-9, `largest difference ${worst}`);
  });

  it('refuses what PyTorch refuses, in its words, and returns nothing', async () => {
    const result = await vscode.commands.executeCommand<VolumeResult | undefined>('layerLens.transposedConvolution', { op: 'convTranspose1d', input: [1, 2], weight: [1, 1], options: { stride: 0 }, show: false });
    assert.equal(result, undefined);
  });
});
