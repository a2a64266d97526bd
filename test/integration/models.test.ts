/**
 * Whole models in the real extension host: Inspect Model on a U-Net written as Pytorch-UNet writes
 * it (the model in one file, its parts imported from a second, read through the workspace file
 * system), the CodeLens on the class, the hover on its name, and the model view, which shows the
 * skip connections and follows the document as it is edited.
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
import { config, until } from './support';

const golden = path.resolve(__dirname, '../../../test/golden/models');

/** The golden U-Net copied into a folder of its own, as `models/unet_model.py` and `models/unet_parts.py`. */
async function unetFolder(parts?: (text: string) => string): Promise<vscode.Uri> {
  const folder = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'layer-lens-unet-')), 'models');
  await fs.mkdir(folder);
  const partsText = await fs.readFile(path.join(golden, 'unet_parts.py'), 'utf8');
  await fs.writeFile(path.join(folder, 'unet_parts.py'), parts ? parts(partsText) : partsText);
  await fs.copyFile(path.join(golden, 'unet_model.py'), path.join(folder, 'unet_model.py'));
  return vscode.Uri.file(path.join(folder, 'unet_model.py'));
}

async function openModel(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

const inspect = (uri: vscode.Uri, inputShape: number[]) => vscode.commands.executeCommand<ModelTable>('layerLens.inspectModel', { uri: uri.toString(), className: 'UNet', inputShape, show: false });

describe('models', () => {
  afterEach(async () => {
    for (const key of ['models.codeLens', 'models.hover']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('returns the U-Net’s steps with the parts read from the imported file, its skip connections and the sizes that work', async () => {
    const uri = await unetFolder();
    await openModel(uri);
    const table = await inspect(uri, [1, 3, 64, 64]);
    assert.ok(table, 'the command returned a table');
    assert.equal(table.className, 'UNet');
    assert.equal(table.source, 'unet_model.py:8');
    assert.equal(table.output, '[1, 2, 64, 64]');
    assert.equal(table.params, 31_037_698);
    assert.equal(table.rows.length, 71);
    assert.deepEqual(table.rows[0], { ...table.rows[0], label: 'Conv2d', path: 'inc.double_conv.0', input: '[1, 3, 64, 64]', output: '[1, 64, 64, 64]', params: 1728, file: 'unet_parts.py' });
    // The shapes in the input's named sizes too: halved by each Down, joined by torch.cat with the skip's formula.
    assert.equal(table.rows[0]?.outputSymbolic, '[N, 64, H, W]');
    assert.equal(table.rows.find((r) => r.label === 'torch.cat')?.outputSymbolic, '[N, 1024, ⌊H/8⌋, ⌊W/8⌋]');
    assert.equal(table.outputSymbolic, '[N, 2, H, W]');
    assert.equal(table.sizeNames, 'N = 1, H = 64, W = 64');
    assert.deepEqual(table.groups.map((g) => g.label), ['inc (DoubleConv)', 'Down ×4 (down1 … down4)', 'Up ×4 (up1 … up4)', 'outc (OutConv)']);
    assert.deepEqual(table.skips.map((s) => `${table.rows[s.from]?.block} → ${table.rows[s.to]?.label} in ${table.rows[s.to]?.block}`), ['down3 → torch.cat in up1', 'down2 → torch.cat in up2', 'down1 → torch.cat in up3', 'inc → torch.cat in up4']);
    assert.equal(table.rows.find((r) => r.label === 'ConvTranspose2d')?.overlap?.label, 'even');
    // Each row's receptive field on the input: the first 3×3 convolution's, and the output's in the totals.
    assert.equal(table.rows[0]?.field?.text, '3×3 s1 −1');
    assert.match(table.rows[0]?.field?.words ?? '', /^Each value of this output sees 3 input rows and 3 columns\./);
    assert.deepEqual(table.outputField?.rows.jump, [1, 1]);
    assert.equal(table.sizes?.maxSide, 1024);
    assert.equal(table.sizes?.rule, 'H must be at least 16');
    assert.equal(table.sizes?.runs, true);
    assert.equal(table.problem, undefined);
  });

  it('says where PyTorch raises for an input the model cannot take, on the line of the imported part', async () => {
    // Pytorch-UNet's Up without its F.pad: the skip and the upsampled map differ for 78×78.
    const uri = await unetFolder((text) => text.replace(/x1 = F\.pad\(x1, \[diffX \/\/ 2, diffX - diffX \/\/ 2,\n\s+diffY \/\/ 2, diffY - diffY \/\/ 2\]\)/, 'pass'));
    await openModel(uri);
    const table = await inspect(uri, [1, 3, 78, 78]);
    assert.equal(table.problem?.kind, 'error');
    assert.equal(table.problem?.file, 'unet_parts.py');
    assert.match(table.problem?.message ?? '', /torch\.cat at line 66: x2 is 9×9 but x1 is 8×8 for an input of 78×78/);
    assert.equal(table.output, 'none');
    assert.equal(table.sizes?.runs, false);
    assert.ok(table.sizes?.nearest.includes(80), `80 is among the nearest sizes that work: ${table.sizes?.nearest.join(', ')}`);
    // The error is on the failing torch.cat's row, in up1's group, in forward order; what follows did not run.
    const failed = table.rows.findIndex((r) => r.status === 'failed');
    const row = table.rows[failed];
    assert.deepEqual([row?.label, row?.block, row?.file, row?.line], ['torch.cat', 'up1', 'unet_parts.py', 65]);
    assert.match(row?.message ?? '', /^PyTorch raises: torch\.cat at line 66: x2 is 9×9 but x1 is 8×8/);
    const group = table.groups.find((g) => g.first <= failed && failed <= g.last);
    assert.match(group?.label ?? '', /^Up ×4/);
    assert.ok(table.rows.slice(0, failed).every((r) => r.status === undefined && r.output !== ''));
    const after = table.rows.slice(failed + 1);
    assert.ok(after.length > 10 && after.every((r) => r.status === 'notRun'), 'the steps after it are listed as not run');
    assert.equal(after.at(-1)?.path, 'outc.conv');
  });

  it('shows a CodeLens on the model class with its summary, which runs Inspect Model, and hides it with the setting', async () => {
    const uri = await unetFolder();
    await openModel(uri);
    const lenses = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)).filter((lens) => lens.command?.command === 'layerLens.inspectModel');
    const titles = await until('the model CodeLens', async () => (await lenses()).map((lens) => lens.command?.title ?? ''), (t) => t.length > 0);
    assert.equal(titles.length, 1);
    assert.match(titles[0] ?? '', /Inspect Model · 31\.0 M params · 1×3×64×64 → 1×2×64×64/);
    const [lens] = await lenses();
    assert.equal(lens?.range.start.line, 7);
    assert.deepEqual(lens?.command?.arguments, [{ uri: uri.toString(), className: 'UNet' }]);
    await config().update('models.codeLens', false, vscode.ConfigurationTarget.Global);
    await until('no model CodeLens', lenses, (l) => l.length === 0);
  });

  it('hovers over the class name with the model’s summary and a link to Inspect Model', async () => {
    const uri = await unetFolder();
    const document = await openModel(uri);
    const line = document.lineAt(7).text;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(7, line.indexOf('UNet') + 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*UNet\*\* · 31\.0 M params · 1×3×64×64 → 1×2×64×64/);
    assert.match(text, /sizes that work: H must be at least 16/);
    assert.match(text, /command:layerLens\.inspectModel/);
  });

  it('opens the model view from the command', async () => {
    const uri = await unetFolder();
    await openModel(uri);
    const table = await vscode.commands.executeCommand<ModelTable>('layerLens.inspectModel', { uri: uri.toString(), className: 'UNet', inputShape: [1, 3, 64, 64] });
    assert.equal(table?.className, 'UNet');
    await until('the model view tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Model: UNet'), (shown) => shown);
  });

  it('builds a model whose __init__ requires arguments with those a call in the workspace gives, and with those given', async () => {
    // As milesial/Pytorch-UNet is laid out: the model needs n_channels and n_classes; hubconf.py builds it.
    const root = vscode.workspace.workspaceFolders?.[0];
    assert.ok(root, 'the tests run in a workspace');
    const folder = path.join(root.uri.fsPath, `layer-lens-callers-${process.pid}`);
    await fs.mkdir(path.join(folder, 'unet'), { recursive: true });
    try {
      const model = (await fs.readFile(path.join(golden, 'unet_model.py'), 'utf8')).replace('n_channels=3, n_classes=2, bilinear=False):', 'n_channels, n_classes, bilinear=False):');
      await fs.writeFile(path.join(folder, 'unet', 'unet_model.py'), model);
      await fs.copyFile(path.join(golden, 'unet_parts.py'), path.join(folder, 'unet', 'unet_parts.py'));
      await fs.writeFile(path.join(folder, 'train.py'), 'from unet.unet_model import UNet\n\nmodel = UNet(n_channels=3, n_classes=args.classes)\n');
      const uri = vscode.Uri.file(path.join(folder, 'unet', 'unet_model.py'));
      await openModel(uri);
      const before = await inspect(uri, [1, 3, 64, 64]);
      assert.deepEqual(before?.builtWith?.missing, ['n_classes'], 'train.py gives n_channels, not n_classes');
      assert.equal(before?.output, 'none');
      // A second script that gives both: found once it is on disk (the workspace's files are watched).
      await fs.writeFile(path.join(folder, 'hubconf.py'), 'from unet.unet_model import UNet as _UNet\n\n\ndef unet_carvana():\n    return _UNet(n_channels=3, n_classes=2, bilinear=False)\n');
      const found = await until('the call in hubconf.py', async () => inspect(uri, [1, 3, 64, 64]), (t) => t?.output === '[1, 2, 64, 64]');
      assert.deepEqual(found?.builtWith?.arguments.map((a) => `${a.name}=${a.text} ${a.origin} ${a.where ?? ''}`.trim()), [
        `n_channels=3 call layer-lens-callers-${process.pid}/hubconf.py:5`,
        `n_classes=2 call layer-lens-callers-${process.pid}/hubconf.py:5`,
        'bilinear=False default',
      ]);
      // Given arguments win, are remembered for the class, and {} forgets them.
      const given = await vscode.commands.executeCommand<ModelTable>('layerLens.inspectModel', { uri: uri.toString(), className: 'UNet', inputShape: [1, 3, 64, 64], args: { n_classes: 7 }, show: false });
      assert.equal(given?.output, '[1, 7, 64, 64]');
      assert.equal((await inspect(uri, [1, 3, 64, 64]))?.output, '[1, 7, 64, 64]');
      await vscode.commands.executeCommand('layerLens.inspectModel', { uri: uri.toString(), className: 'UNet', args: {}, show: false });
      assert.equal((await inspect(uri, [1, 3, 64, 64]))?.output, '[1, 2, 64, 64]');
      // Refused with a message (and no table) when a value is not a Python literal.
      assert.equal(await vscode.commands.executeCommand('layerLens.inspectModel', { uri: uri.toString(), className: 'UNet', args: { bad: { x: 1 } }, show: false }), undefined);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });

  describe('the model view', () => {
    let engine: EngineWorkerClient;
    const extensionUri = () => vscode.extensions.getExtension('layer-lens.layer-lens')!.extensionUri;
    beforeEach(() => {
      engine = new EngineWorkerClient(nodeWorkerStarter(path.join(extensionUri().fsPath, 'dist', 'engineWorker.js')));
    });
    afterEach(() => engine.dispose());

    it('shows the skip connections to its page and follows the document as it is edited', async () => {
      const uri = await unetFolder();
      const document = await openModel(uri);
      const webviewPanel = vscode.window.createWebviewPanel(ModelPanel.viewType, 'Model', vscode.ViewColumn.Beside, { enableScripts: true });
      const services = { extensionUri: extensionUri(), engine, models: new ModelService(engine, undefined) };
      await ModelPanel.serializer(services).deserializeWebviewPanel(webviewPanel, { uri: uri.toString(), className: 'UNet', inputShape: [1, 3, 64, 64] });
      try {
        const panel = ModelPanel.of(uri, 'UNet');
        assert.ok(panel, 'the view is registered');
        const ready = panel.current;
        assert.equal(ready.kind, 'ready');
        assert.equal(ready.kind === 'ready' ? ready.table.skips.length : 0, 4);
        await until('the page to say ready', () => panel.pageReady, (r) => r);
        const edit = new vscode.WorkspaceEdit();
        const at = document.getText().indexOf('n_classes=2');
        edit.replace(uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 'n_classes=2'.length)), 'n_classes=5');
        assert.ok(await vscode.workspace.applyEdit(edit));
        await until('the view to follow the edit', () => panel.current, (s) => s.kind === 'ready' && s.table.output === '[1, 5, 64, 64]');
      } finally {
        webviewPanel.dispose();
      }
    });
  });
});
