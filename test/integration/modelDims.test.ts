/**
 * Whole 1-D and 3-D models in the real extension host (issue 22): Inspect Model on a Wave-U-Net
 * (`[N, C, L]`) and a 3-D U-Net (`[N, C, D, H, W]`) from test/golden/models, with no input given:
 * the default is a sequence or a volume by the class's first convolution, the size search runs over
 * lengths or cube sides, and the CodeLens on the class says so.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelTable } from '../../src/core/protocol/model';

const golden = path.resolve(__dirname, '../../../test/golden/models');

async function open(file: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(golden, file)));
  await vscode.window.showTextDocument(document);
  return document;
}

describe('1-D and 3-D models', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('inspects a Wave-U-Net on a sequence and a 3-D U-Net on a volume by default, with the lengths or cube sides that work', async () => {
    const wave = await open('wavegan1d.py');
    const table = await vscode.commands.executeCommand<ModelTable>('layerLens.inspectModel', { uri: wave.uri.toString(), className: 'WaveUNet', show: false });
    assert.deepEqual([table?.inputShape, table?.output], [[1, 1, 256], '[1, 1, 256]']);
    assert.equal(table?.rows.find((r) => r.label === 'ConvTranspose1d')?.overlap?.label, 'uneven 6:7');
    assert.equal(table?.sizes?.rule, 'L must be a multiple of 8 and at least 8');
    assert.equal(table?.sizes?.runs, true);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', wave.uri, 100)).filter((lens) => lens.command?.command === 'layerLens.inspectModel');
    // The lens of WaveUNet's class line (ResBlock1d, a part above it, needs its `channels`).
    const waveLine = wave.getText().split('\n').findIndex((line) => line.startsWith('class WaveUNet('));
    assert.match(lenses.find((lens) => lens.range.start.line === waveLine)?.command?.title ?? '', /1×1×256 → 1×1×256/);
    assert.match(lenses.find((lens) => lens.range.start.line === waveLine - 10)?.command?.title ?? '', /needs channels/);

    const volume = await open('unet3d.py');
    const cube = await vscode.commands.executeCommand<ModelTable>('layerLens.inspectModel', { uri: volume.uri.toString(), className: 'UNet3D', show: false });
    assert.deepEqual([cube?.inputShape, cube?.output], [[1, 2, 32, 32, 32], '[1, 3, 32, 32, 32]']);
    assert.equal(cube?.sizes?.rule, 'D = H = W must be a multiple of 4 and at least 12');
    const odd = await vscode.commands.executeCommand<ModelTable>('layerLens.inspectModel', { uri: volume.uri.toString(), className: 'UNet3D', inputShape: [1, 2, 14, 14, 14], show: false });
    assert.equal(odd?.problem?.kind, 'error');
    assert.deepEqual(odd?.sizes?.nearest.slice(0, 2), [12, 16], 'the nearest cube sides that work, from 12');
  });
});
