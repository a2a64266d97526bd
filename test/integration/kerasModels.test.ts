/**
 * Keras models in the real extension host: Inspect Model on a Keras U-Net builder (a `def` with
 * helper blocks called in loops) opens the model view with channels-last shapes written as Keras
 * prints them, the CodeLens sits on the builder's `def`, and a 39×39 input fails at the
 * concatenate as keras-team/keras#10185 describes.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelTable } from '../../src/core/protocol/model';
import { ModelPanel } from '../../src/host/model/modelPanel';
import { ModelService } from '../../src/host/model/modelService';
import { EngineWorkerClient } from '../../src/host/worker/engineWorkerClient';
import { nodeWorkerStarter } from '../../src/host/worker/nodeWorker';
import { until } from './support';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/keras');

async function kerasFile(name: string): Promise<vscode.Uri> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'layer-lens-keras-'));
  await fs.copyFile(path.join(fixtures, name), path.join(folder, name));
  const uri = vscode.Uri.file(path.join(folder, name));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
}

describe('Keras models', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Inspect Model on a Keras U-Net builder opens the model view with the shapes channels-last, its skips and the sizes that work', async () => {
    const uri = await kerasFile('unet.py');
    // No input shape given: the builder's declared Input (128, 128, 3) is used.
    const table = await vscode.commands.executeCommand<ModelTable>('layerLens.inspectModel', { uri: uri.toString(), className: 'build_unet' });
    assert.ok(table, 'the command returned a table');
    assert.equal(table.framework, 'keras');
    assert.deepEqual(table.inputShape, [1, 128, 128, 3]);
    assert.equal(table.problem, undefined);
    assert.equal(table.output, '(None, 128, 128, 1)');
    assert.deepEqual(table.rows[0], { ...table.rows[0], label: 'Conv2D', path: 'conv2d', input: '(None, 128, 128, 3)', output: '(None, 128, 128, 64)', params: 1792 });
    assert.equal(table.params, 31_055_297);
    assert.equal(table.skips.filter((s) => table.rows[s.to]?.label === 'Concatenate').length, 4);
    assert.equal(table.sizes?.rule, 'H must be a multiple of 16 and at least 16');
    assert.equal(table.sizes?.given, 128);
    await until('the model view tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Model: build_unet'), (shown) => shown);
  });

  it('the model view restored on a Keras model draws its page with the channels-last table', async () => {
    const uri = await kerasFile('unet.py');
    const extensionUri = vscode.extensions.getExtension('layer-lens.layer-lens')!.extensionUri;
    const engine = new EngineWorkerClient(nodeWorkerStarter(path.join(extensionUri.fsPath, 'dist', 'engineWorker.js')));
    const webviewPanel = vscode.window.createWebviewPanel(ModelPanel.viewType, 'Model', vscode.ViewColumn.Beside, { enableScripts: true });
    try {
      const services = { extensionUri, engine, models: new ModelService(engine, undefined) };
      await ModelPanel.serializer(services).deserializeWebviewPanel(webviewPanel, { uri: uri.toString(), className: 'build_unet', inputShape: [1, 64, 64, 3] });
      const panel = ModelPanel.of(uri, 'build_unet');
      assert.ok(panel, 'the view is registered');
      const shown = panel.current;
      assert.equal(shown.kind, 'ready');
      const table = shown.kind === 'ready' ? shown.table : undefined;
      assert.equal(table?.framework, 'keras');
      assert.equal(table?.output, '(None, 64, 64, 1)');
      assert.equal(table?.rows.find((r) => r.path === 'conv2d_transpose')?.output, '(None, 8, 8, 512)');
      await until('the page to say ready', () => panel.pageReady, (r) => r);
    } finally {
      webviewPanel.dispose();
      engine.dispose();
    }
  });

  it('puts the CodeLens on the builder’s def, with the Keras summary, and the hover on its name', async () => {
    const uri = await kerasFile('unet.py');
    const lenses = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)).filter((lens) => lens.command?.command === 'layerLens.inspectModel');
    const titles = await until('the Keras model CodeLens', async () => (await lenses()).map((lens) => lens.command?.title ?? ''), (t) => t.length > 0);
    assert.equal(titles.length, 1);
    assert.match(titles[0] ?? '', /Inspect Model · 31\.1 M params · 1×128×128×3 → 1×128×128×1/);
    const [lens] = await lenses();
    assert.equal(lens?.range.start.line, 32);
    // The hover over the builder's name sums it up as for a class.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(32, 'def build'.length));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*build_unet\*\* · 31\.1 M params · 1×128×128×3 → 1×128×128×1/);
    assert.match(text, /sizes that work: H must be a multiple of 16/);
  });

  it('says where Keras raises for 39×39: the concatenate of a 40×40 and a 39×39 map (keras #10185)', async () => {
    const uri = await kerasFile('unet_39.py');
    const table = await vscode.commands.executeCommand<ModelTable>('layerLens.inspectModel', { uri: uri.toString(), className: 'model', show: false });
    assert.deepEqual(table?.inputShape, [1, 39, 39, 1]);
    assert.equal(table?.problem?.kind, 'error');
    assert.equal(table?.problem?.line, 13);
    assert.match(table?.problem?.message ?? '', /^concatenate \(Concatenate\) at line 14: input 0 is 40×40 but input 1 is 39×39/);
    assert.equal(table?.sizes?.runs, false);
    assert.ok(table?.sizes?.nearest.includes(40), `40 is among the nearest sizes that work: ${table?.sizes?.nearest.join(', ')}`);
  });
});
