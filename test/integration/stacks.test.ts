/**
 * Stacks in the real extension host: the Inspect Stack command's table on a sample model, the
 * CodeLens above a stack and its setting, the hover on nn.Sequential, and the diagnostic on the
 * layer where a stack breaks (a channel mismatch).
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StackTable } from '../../src/core/protocol/stack';
import { DocumentAnalysis } from '../../src/host/editor/documentAnalysis';
import { StackPanel } from '../../src/host/stack/stackPanel';
import { EngineWorkerClient } from '../../src/host/worker/engineWorkerClient';
import { nodeWorkerStarter } from '../../src/host/worker/nodeWorker';
import { config, errorsDuring, open, until, openUntitled } from './support';

const STACK_CODE = 'import torch.nn as nn\n\nnet = nn.Sequential(\n    nn.ConvTranspose2d(64, 32, 4, 2, 1),\n    nn.ReLU(),\n)\n';

/** A Python file holding a stack, outside the workspace (the suites' workspace is samples/) and not open. */
async function foreignFile(): Promise<vscode.Uri> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'layer-lens-foreign-'));
  const file = path.join(folder, 'secret_model.py');
  await fs.writeFile(file, STACK_CODE);
  return vscode.Uri.file(file);
}

const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());

function positionOf(document: vscode.TextDocument, text: string, offset = 0): vscode.Position {
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `"${text}" is not in ${document.fileName}`);
  return document.positionAt(index + offset);
}

describe('stacks', () => {
  afterEach(async () => {
    for (const key of ['stacks.codeLens', 'stacks.hover', 'stacks.diagnostics']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('returns the table of the DCGAN generator: shapes from the code alone, parameters, the uneven layer, the compound measure', async () => {
    const document = await open('dcgan_generator.py');
    const position = positionOf(document, 'nn.Sequential(');
    const table = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: document.uri.toString(), position: { line: position.line, character: position.character }, show: false });
    assert.ok(table, 'the command returned a table');
    assert.equal(table.name, 'self.main');
    assert.equal(table.rows.length, 14);
    assert.equal(table.input, '[N, 100, 1, 1]');
    assert.equal(table.inputSource, 'worked back from the 4×4 the comment on line 16 states for layer 4’s input');
    assert.equal(table.output, '[N, 3, 64, 64]');
    assert.deepEqual(table.rows.filter((r) => r.kind === 'layer').map((r) => r.output), ['[N, 512, 4, 4]', '[N, 256, 8, 8]', '[N, 128, 16, 16]', '[N, 64, 32, 32]', '[N, 3, 64, 64]']);
    assert.equal(table.rows[0]?.parameters, '819,200');
    assert.equal(table.rows[9]?.overlap?.label, 'uneven 1:2');
    assert.equal(table.unevenCount, 1);
    assert.ok(table.compound, 'the compound overlap was computed');
    assert.deepEqual(table.compound.period, [16, 16]);

    const given = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: document.uri.toString(), position: { line: position.line, character: 0 }, inputSize: [2, 100, 3, 3], show: false });
    assert.equal(given.rows[0]?.output, '[2, 512, 6, 6]');
  });

  it('opens the stack view for the stack at the cursor', async () => {
    const document = await open('dcgan_generator.py');
    const editor = vscode.window.activeTextEditor!;
    const inside = positionOf(document, 'nn.BatchNorm2d(ngf * 4)');
    editor.selection = new vscode.Selection(inside, inside);
    const table = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack');
    assert.equal(table?.name, 'self.main');
    await until('the stack view tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Stack: self.main'), (shown) => shown);
  });

  it('shows a CodeLens above each stack, which runs the command, and hides it with the setting', async () => {
    const document = await open('keras_generator.py');
    const lenses = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)).filter((lens) => lens.command?.command === 'layerLens.inspectStack');
    const titles = (await lenses()).map((lens) => lens.command?.title);
    // Kernel 5 with stride 2 overlaps unevenly (the tutorial's checkerboard); with stride 1 evenly.
    assert.deepEqual(titles, ['$(list-tree) Stack: 11 layers, ?×? → 28×28, uneven 2 of 3', '$(list-tree) Stack: 7 layers, 7×7 → 28×28, uneven 2 of 3']);
    const command = (await lenses())[1]!.command!;
    const table = await vscode.commands.executeCommand<StackTable>(command.command, { ...(command.arguments?.[0] as object), show: false });
    assert.equal(table.output, '[N, 28, 28, 1]');
    await config().update('stacks.codeLens', false, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await lenses(), []);
  });

  it('shows the stack in the hover over nn.Sequential', async () => {
    const document = await open('dcgan_generator.py');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'nn.Sequential(', 5));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /Stack: 14 layers, 1×1 → 64×64, uneven 1 of 5/);
    assert.match(text, /\| 10 \| `nn.ConvTranspose2d` \| \\?\[N, 64, 32, 32\\?\] \| 73,728 \| uneven 1:2 \|/);
    assert.match(text, /\[Inspect Stack\]\(command:layerLens.inspectStack/);
  });

  it('reports a channel mismatch as an error on the layer that breaks the stack, live, and turns off with the setting', async () => {
    const code = 'import torch.nn as nn\n\nnet = nn.Sequential(\n    nn.ConvTranspose2d(64, 32, 4, 2, 1),\n    nn.ReLU(),\n    nn.ConvTranspose2d(16, 8, 4, 2, 1),\n)\n';
    const document = await openUntitled('python', code);
    await vscode.window.showTextDocument(document);
    const stackDiagnostics = () => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Layer Lens' && String(d.code).startsWith('stack-'));
    const [diagnostic] = await until('a stack diagnostic', stackDiagnostics, (d) => d.length === 1);
    assert.equal(diagnostic?.code, 'stack-channel-mismatch');
    assert.equal(diagnostic?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic?.range.start.line, 5);
    assert.match(diagnostic?.message ?? '', /expects 16 input channels \(in_channels=16\) but the previous layer gives 32/);

    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.replace(new vscode.Range(5, 23, 5, 25), '32'));
    await until('no stack diagnostic after the fix', stackDiagnostics, (d) => d.length === 0);
    await editor.edit((edit) => edit.replace(new vscode.Range(5, 23, 5, 25), '16'));
    await until('the diagnostic again', stackDiagnostics, (d) => d.length === 1);
    await config().update('stacks.diagnostics', false, vscode.ConfigurationTarget.Global);
    await until('no stack diagnostic with the setting off', stackDiagnostics, (d) => d.length === 0);
  });

  it('inspects a selected run of layer calls, and computes a 256×256 compound map in the engine worker', async () => {
    const code = [
      'import torch.nn as nn',
      'up1 = nn.ConvTranspose2d(512, 256, 4, 2, 1)',
      'act = nn.ReLU(True)',
      'up2 = nn.ConvTranspose2d(256, 128, 3, stride=2, padding=1, output_padding=1)',
      'up3 = nn.ConvTranspose2d(128, 64, 4, 2, 1)',
      'up4 = nn.ConvTranspose2d(64, 3, 3, stride=2, padding=1, output_padding=1)',
      '',
    ].join('\n');
    const document = await openUntitled('python', code);
    await vscode.window.showTextDocument(document);
    const table = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', {
      uri: document.uri.toString(),
      range: { start: { line: 1, character: 0 }, end: { line: 5, character: 80 } },
      inputSize: 16,
      show: false,
    });
    assert.equal(table.kind, 'selection');
    assert.deepEqual(table.rows.map((r) => r.kind), ['layer', 'preserving', 'layer', 'layer', 'layer']);
    assert.equal(table.output, '[N, 3, 256, 256]');
    assert.equal(table.unevenCount, 2);
    // 256×256 and the maps before it are over the inline limit: the worker computed them.
    assert.ok(table.compound, 'the compound overlap came back from the worker');
    assert.deepEqual(table.compound.period, [16, 16]);
    assert.ok(table.compound.spread > 0);
  });

  it('computes the compound overlap of a 1-D WaveGAN stack and a 3-D decoder stack (the large volume in the engine worker) and shows each in the stack view without an error', async () => {
    const code = [
      'import torch.nn as nn',
      '',
      'wavegan = nn.Sequential(',
      '    nn.ConvTranspose1d(64, 32, 25, stride=4, padding=11, output_padding=1),',
      '    nn.ReLU(),',
      '    nn.ConvTranspose1d(32, 16, 25, stride=4, padding=11, output_padding=1),',
      '    nn.ReLU(),',
      '    nn.ConvTranspose1d(16, 1, 25, stride=4, padding=11, output_padding=1),',
      ')',
      '',
      'decoder = nn.Sequential(',
      '    nn.ConvTranspose3d(32, 16, kernel_size=3, stride=2, padding=1, output_padding=1),',
      '    nn.ReLU(),',
      '    nn.ConvTranspose3d(16, 8, kernel_size=4, stride=2, padding=1),',
      ')',
      '',
    ].join('\n');
    const document = await openUntitled('python', code);
    await vscode.window.showTextDocument(document);
    const at = (text: string) => {
      const position = positionOf(document, text);
      return { line: position.line, character: position.character };
    };
    const errors = await errorsDuring(async () => {
      const wave = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: document.uri.toString(), position: at('wavegan'), inputSize: [1, 64, 16] });
      assert.equal(wave.output, '[1, 1, 1024]');
      assert.deepEqual(wave.compound?.period, [64]);
      assert.ok((wave.compound?.spread ?? 0) > 0, 'kernel 25, stride 4 paints ticks of period 64');
      await until('the stack view of the 1-D stack', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Stack: wavegan'), (shown) => shown);
      // 16³ → 32³ → 64³: 303,104 cells, over the inline limit, so the engine worker computes them.
      const volume = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: document.uri.toString(), position: at('decoder'), inputSize: [1, 32, 16, 16, 16] });
      assert.equal(volume.output, '[1, 8, 64, 64, 64]');
      assert.deepEqual(volume.compound?.period, [4, 4, 4]);
      // The same view shows the volume's maps now (the maps' layout is checked in test/unit/insight/compoundDims.test.ts).
      await until('the stack view of the 3-D stack', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Stack: decoder'), (shown) => shown);
    });
    assert.deepEqual(errors, []);
  });

  it('refuses a uri outside the workspace that is not open, and does not open it; accepts it once the user opened it', async () => {
    const uri = await foreignFile();
    let table: StackTable | undefined;
    const errors = await errorsDuring(async () => {
      table = await vscode.commands.executeCommand<StackTable | undefined>('layerLens.inspectStack', { uri: uri.toString(), position: { line: 2, character: 0 }, show: false });
    });
    assert.equal(table, undefined);
    assert.equal(errors.length, 1, `one error: ${JSON.stringify(errors)}`);
    assert.match(errors[0] ?? '', /Inspect Stack opens only a document that is open in VS Code or a file in the workspace; file:\/\/\/.*secret_model\.py is neither/);
    assert.ok(!isOpen(uri), 'the foreign file was not opened');
    // A path that climbs out of the workspace folder is not inside it either.
    const workspace = vscode.workspace.workspaceFolders![0]!.uri;
    const climbing = workspace.with({ path: `${workspace.path}${'/..'.repeat(workspace.path.split('/').length)}${uri.path}` });
    const climbed = await errorsDuring(() => vscode.commands.executeCommand('layerLens.inspectStack', { uri: climbing.toString(), show: false }));
    assert.match(climbed[0] ?? '', /opens only a document that is open in VS Code or a file in the workspace/);
    // The same rule for the commands that take { uri, position } of a layer.
    const layer = await errorsDuring(() => vscode.commands.executeCommand('layerLens.inspectLayer', { uri: uri.toString(), position: { line: 3, character: 8 } }));
    assert.match(layer[0] ?? '', /opens only a document that is open in VS Code or a file in the workspace/);
    assert.ok(!isOpen(uri), 'the foreign file was still not opened');

    // Opened by the user, the same file is accepted.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const accepted = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: uri.toString(), position: { line: 2, character: 0 }, show: false });
    assert.equal(accepted?.name, 'net');
  });

  it('accepts an open untitled document and a workspace file that is not open', async () => {
    const document = await openUntitled('python', STACK_CODE);
    const table = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: document.uri.toString(), position: { line: 2, character: 0 }, show: false });
    assert.equal(table?.name, 'net');
    const sample = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'keras_generator.py');
    const fromWorkspace = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: sample.toString(), position: { line: 10, character: 12 }, show: false });
    assert.equal(fromWorkspace?.output, '[N, 28, 28, 1]', 'a workspace file is read');
  });

  describe('a restored stack view', () => {
    let engine: EngineWorkerClient;
    let analysis: DocumentAnalysis;
    const extensionUri = () => vscode.extensions.getExtension('layer-lens.layer-lens')!.extensionUri;
    beforeEach(() => {
      engine = new EngineWorkerClient(nodeWorkerStarter(path.join(extensionUri().fsPath, 'dist', 'engineWorker.js')));
      analysis = new DocumentAnalysis();
    });
    afterEach(() => {
      engine.dispose();
      analysis.dispose();
    });

    async function restore(state: unknown): Promise<vscode.WebviewPanel> {
      const webviewPanel = vscode.window.createWebviewPanel(StackPanel.viewType, 'Stack', vscode.ViewColumn.Beside, { enableScripts: true });
      await StackPanel.serializer({ extensionUri: extensionUri(), engine, analysis }).deserializeWebviewPanel(webviewPanel, state);
      return webviewPanel;
    }

    it('does not open a uri from the saved state that is neither open nor in the workspace, and says so in the view', async () => {
      const uri = await foreignFile();
      const webviewPanel = await restore({ uri: uri.toString(), kind: 'sequential', name: 'net', start: 28 });
      try {
        const snapshot = StackPanel.of(uri)?.current;
        assert.equal(snapshot?.kind, 'invalid');
        assert.match(snapshot?.kind === 'invalid' ? snapshot.problems.join(' ') : '', /The stack view opens only a document that is open in VS Code or a file in the workspace/);
        assert.ok(!isOpen(uri), 'the foreign file was not opened');
      } finally {
        webviewPanel.dispose();
      }
    });

    it('reads a workspace file named in the saved state again', async () => {
      const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'dcgan_generator.py');
      const document = await vscode.workspace.openTextDocument(uri);
      const found = analysis.stacks(document).found.find((s) => s.name === 'self.main');
      assert.ok(found, 'the sample has self.main');
      const webviewPanel = await restore({ uri: uri.toString(), kind: found.kind, name: found.name, start: found.start });
      try {
        assert.equal(StackPanel.of(uri)?.current.kind, 'ready');
      } finally {
        webviewPanel.dispose();
      }
    });
  });

  describe('read with the model', () => {
    /** Our single-file U-Net (DoubleConv, Down, Up with the pad, an unused Dropout2d): forward() runs every part. */
    const unet = vscode.Uri.file(path.resolve(__dirname, '../../../test/fixtures/stackmodel/unet_small.py'));
    const inspect = (document: vscode.TextDocument, text: string, extra: object = {}) => {
      const position = positionOf(document, text);
      return vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: document.uri.toString(), position: { line: position.line, character: position.character }, show: false, ...extra });
    };

    it('gives Up.__init__ the shapes of UNet.forward(): the DoubleConv after the cat takes the skip’s channels', async () => {
      const document = await vscode.workspace.openTextDocument(unet);
      const table = await inspect(document, 'nn.ConvTranspose2d(in_channels');
      assert.equal(table.name, 'Up.__init__');
      assert.equal(table.inputSource, 'from UNet.forward() for [1, 3, 64, 64] (the default (layerLens.models.inputShape is not set)), as up1 (one of 2 uses: up1, up2)');
      assert.deepEqual(table.model, { className: 'UNet', inputShape: [1, 3, 64, 64], use: 'up1', uses: ['up1', 'up2'] });
      assert.deepEqual(table.rows.map((r) => [r.label, r.module, r.input, r.output]), [
        ['nn.ConvTranspose2d', 'up1.up', '[1, 64, 16, 16]', '[1, 32, 32, 32]'],
        ['DoubleConv', 'up1.conv', '[1, 64, 32, 32]', '[1, 32, 32, 32]'],
      ]);
    });

    it('shows the decoder’s use of a part for the input given: its first convolution has C_in from the cat', async () => {
      const document = await vscode.workspace.openTextDocument(unet);
      const table = await inspect(document, 'self.double_conv = nn.Sequential(', { modelInput: [1, 3, 32, 32], use: 'up1.conv.double_conv' });
      assert.match(table.inputSource, /^from UNet\.forward\(\) for \[1, 3, 32, 32\] \(as given to Inspect Stack\), as up1\.conv\.double_conv \(one of 5 uses/);
      assert.equal(table.rows[0]?.input, '[1, 64, 16, 16]');
      assert.equal(table.rows[0]?.output, '[1, 32, 16, 16]');
      assert.equal(table.rows[3]?.input, '[1, 32, 16, 16]');
    });

    it('marks the layer forward() never calls as not run, and opens the stack view', async () => {
      const document = await vscode.workspace.openTextDocument(unet);
      const position = positionOf(document, 'self.inc = DoubleConv');
      const table = await vscode.commands.executeCommand<StackTable>('layerLens.inspectStack', { uri: document.uri.toString(), position: { line: position.line, character: 8 } });
      const dropout = table.rows.find((r) => r.label === 'nn.Dropout2d');
      assert.deepEqual(dropout && [dropout.input, dropout.run], ['not run', false]);
      assert.equal(table.output, '[1, 2, 64, 64]');
      assert.match(dropout?.note ?? '', /^not run: UNet\.forward\(\) never calls it/);
      await until('the stack view tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Stack: UNet.__init__'), (shown) => shown);
    });

    it('reads a part’s file with the model of another open file that imports it (the U-Net’s parts, as Pytorch-UNet splits them)', async () => {
      const golden = path.resolve(__dirname, '../../../test/golden/models');
      const folder = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'layer-lens-unet-parts-')), 'models');
      await fs.mkdir(folder);
      for (const name of ['unet_model.py', 'unet_parts.py']) await fs.copyFile(path.join(golden, name), path.join(folder, name));
      await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'unet_model.py')));
      const parts = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'unet_parts.py')));
      const table = await inspect(parts, 'self.double_conv = nn.Sequential(', { use: 'up1.conv.double_conv' });
      assert.match(table.inputSource, /^from UNet\.forward\(\) for \[1, 3, 64, 64\] .*, as up1\.conv\.double_conv \(one of 9 uses/);
      assert.equal(table.rows[0]?.input, '[1, 1024, 8, 8]');
      assert.equal(table.rows[0]?.output, '[1, 512, 8, 8]');
    });

    it('reads the stack alone when the stack’s own input size is given', async () => {
      const document = await vscode.workspace.openTextDocument(unet);
      const table = await inspect(document, 'nn.ConvTranspose2d(in_channels', { inputSize: [64, 16, 16] });
      assert.equal(table.model, undefined);
      assert.equal(table.inputSource, 'as given to Inspect Stack');
      assert.match(table.rows[0]?.output ?? '', /, 32, 32\]$/);
    });
  });
});
