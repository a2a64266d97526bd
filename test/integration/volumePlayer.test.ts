/**
 * The volume panel's step players in the real VS Code: the page computes each 1-D and 3-D layer's
 * trace itself and tells the host where its player came to rest (`stepShown`, checked by the
 * protocol's guard on arrival): the gather player (one output cell per step) for convolutions,
 * pools and upsampling, the scatter player (one input value per step) for transposed convolutions.
 * A page that reloads (hidden, then shown again) opens where it was. Show Overlap Map on a 1-D or
 * 3-D layer call of a model file opens the panel and asks its page to reveal the overlap map (what
 * the page then draws and scrolls to is read in test/e2e/volumeModels.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { tensor } from '../../src/core/engine/index';
import { liftedCall, runVolumeLayer } from '../../src/core/engine/volumeLayer';
import type { VolumeLayerCall } from '../../src/core/protocol/volume';
import { VolumePanel } from '../../src/host/volume/volumePanel';
import { until } from './support';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/volumes');
const extensionUri = () => vscode.extensions.getExtension('layer-lens.layer-lens')!.extensionUri;
const ramp = (n: number) => Array.from({ length: n }, (_, i) => ((i * 7) % 10) - 4);

/** Shows `call` in the volume panel (this module's, so the test reads its host side) and waits for the page's first report. */
async function showAndWait(given: VolumeLayerCall) {
  const call = liftedCall(given);
  const panel = VolumePanel.show(extensionUri(), call, 'the test');
  const cells = runVolumeLayer(call).data.length;
  const player = await until(`${call.op}'s page to report its player`, () => panel.player, (p) => p !== undefined, 20_000);
  return { panel, player, cells, steps: call.input.data.length };
}

describe('the volume panel’s step players', function () {
  this.timeout(60_000);

  after(async () => {
    VolumePanel.open?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the gather player: every 1-D and 3-D convolution, pool and upsampling opens at its end, one step per output cell', async () => {
    const calls: VolumeLayerCall[] = [
      // WaveGAN's discriminator: kernel 25, stride 4, padding 11.
      { op: 'conv1d', input: tensor([64], ramp(64)), weight: tensor([25], ramp(25)), options: { stride: 4, padding: 11 } },
      { op: 'conv3d', input: tensor([4, 4, 4], ramp(64)), weight: tensor([3, 3, 3], ramp(27)), options: { padding: 1 } },
      { op: 'maxPool1d', input: tensor([9], ramp(9)), options: { kernelSize: 3, stride: 2, ceilMode: true } },
      { op: 'maxPool3d', input: tensor([4, 4, 4], ramp(64)), options: { kernelSize: 2 } },
      { op: 'avgPool1d', input: tensor([8], ramp(8)), options: { kernelSize: 4, stride: 2, padding: 2 } },
      { op: 'avgPool3d', input: tensor([4, 4, 4], ramp(64)), options: { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false } },
      { op: 'upsample1d', input: tensor([6], ramp(6)), options: { scaleFactor: 4, mode: 'linear' } },
      { op: 'upsample1d', input: tensor([5], ramp(5)), options: { size: 12, mode: 'nearest' } },
      { op: 'upsample3d', input: tensor([2, 3, 3], ramp(18)), options: { scaleFactor: 2, mode: 'trilinear', alignCorners: true } },
      { op: 'upsample3d', input: tensor([2, 2, 2], ramp(8)), options: { scaleFactor: 3, mode: 'nearest' } },
    ];
    for (const call of calls) {
      const { panel, player, cells } = await showAndWait(call);
      assert.deepEqual(player, { player: 'gather', step: cells, stepCount: cells }, `${call.op} ${JSON.stringify(call.options)}`);
      assert.equal(panel.pageReady, true);
    }
  });

  it('the scatter player: a transposed convolution steps one input value at a time', async () => {
    const { player, steps } = await showAndWait({ op: 'convTranspose1d', input: tensor([16], ramp(16)), weight: tensor([25], ramp(25)), options: { stride: 4, padding: 11, outputPadding: 1 } });
    assert.deepEqual(player, { player: 'scatter', step: steps, stepCount: steps });
    const volume = await showAndWait({ op: 'convTranspose3d', input: tensor([2, 2, 2], ramp(8)), weight: tensor([3, 3, 3], ramp(27)), options: { stride: 2, padding: 1, outputPadding: 1 } });
    assert.deepEqual(volume.player, { player: 'scatter', step: 8, stepCount: 8 });
  });

  it('a page that reloads (hidden, then shown) comes back and reports the step it was on', async () => {
    const { panel, player } = await showAndWait({ op: 'maxPool3d', input: tensor([4, 4, 4], ramp(64)), options: { kernelSize: 2, stride: 1 } });
    assert.deepEqual(player, { player: 'gather', step: 27, stepCount: 27 });
    // Another editor in the panel's group hides it: its page (not retained) is gone.
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => ({ t, g }))).find(({ t }) => t.input instanceof vscode.TabInputWebview && t.label === 'Layer Lens: maxPool3d');
    assert.ok(tab, 'the panel has a tab');
    const document = await vscode.workspace.openTextDocument({ content: 'x = 1\n', language: 'python' });
    await vscode.window.showTextDocument(document, { viewColumn: tab.g.viewColumn, preview: false });
    await until('the page to go', () => panel.pageReady, (ready) => !ready);
    panel.reveal();
    await until('the page to come back', () => panel.pageReady, (ready) => ready, 20_000);
    assert.deepEqual(panel.player, { player: 'gather', step: 27, stepCount: 27 });
    assert.equal(panel.shown.kind, 'ready');
  });

  it('Show Overlap Map on a ConvTranspose1d of a WaveGAN generator opens the volume panel and returns the verdict', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const document = await vscode.workspace.openTextDocument(path.join(fixtures, 'wavegan.py'));
    await vscode.window.showTextDocument(document);
    const at = document.positionAt(document.getText().indexOf('nn.ConvTranspose1d(16 * d') + 4);
    const verdict = await vscode.commands.executeCommand<{ even: boolean; label: string; reason: string }>('layerLens.showOverlapMap', { uri: document.uri.toString(), position: { line: at.line, character: at.character } });
    assert.equal(verdict?.even, false);
    assert.match(verdict?.label ?? '', /^uneven 6:7/);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('layerLens.volume')).map((t) => t.label);
    await until('the volume panel', tabs, (labels) => labels.includes('Layer Lens: convTranspose1d'));
  });

  it('Show Overlap Map on a 3-D U-Net’s ConvTranspose3d: uneven for kernel 3, stride 2; even for kernel 2', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(fixtures, 'unet3d.py'));
    await vscode.window.showTextDocument(document);
    const place = (text: string) => {
      const at = document.positionAt(document.getText().indexOf(text) + 4);
      return { uri: document.uri.toString(), position: { line: at.line, character: at.character } };
    };
    const uneven = await vscode.commands.executeCommand<{ even: boolean; label: string }>('layerLens.showOverlapMap', place('nn.ConvTranspose3d(base * 4'));
    assert.equal(uneven?.even, false);
    const even = await vscode.commands.executeCommand<{ even: boolean; label: string }>('layerLens.showOverlapMap', place('nn.ConvTranspose3d(base * 2'));
    assert.equal(even?.even, true);
  });
});
