/**
 * The checkpoint editor in the real extension host, on checkpoints written by the real tools
 * (test/golden/checkpoint-onnx-keras.py: `torch.onnx.export`, and h5py in Keras 3's layout): the
 * audit as data, the editor opening as the default editor of `.onnx` and `.keras` files with its
 * page loaded, and the uneven layer listed first; a PyTorch state dict (test/golden/checkpoints.py)
 * paired with its model source, or audited with a given stride.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { AuditCheckpointResult } from '../../src/host/checkpoint/auditCheckpointCommand';
import { auditCheckpoint } from '../../src/core/checkpoint/audit';
import { readCheckpoint } from '../../src/core/checkpoint/formats';
import { trainedLayerArguments } from '../../src/core/checkpoint/trainedKernel';
import { percentText } from '../../src/core/checkpoint/trainedVerdict';
import { onnxKerasFixtures } from '../shared/onnxKerasFixtures';
import { config, errorsDuring, until } from './support';

/** The custom editor of the active tab, if it is one. */
function activeCustomEditor(): { viewType: string; uri: string } | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? { viewType: input.viewType, uri: input.uri.toString() } : undefined;
}

describe('checkpoint editor', function () {
  this.timeout(120_000);
  let dir = '';
  before(() => {
    dir = onnxKerasFixtures().dir;
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('returns the audit of an ONNX export as data with show: false, the uneven layers first, nothing opened', async () => {
    const audit = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: vscode.Uri.file(join(dir, 'dcgan.onnx')).toString(), show: false });
    assert.ok(audit, 'the command returned the audit');
    assert.equal(audit.tensors, 5);
    assert.deepEqual(audit.layers.map((l) => [l.name, l.verdict, l.strideFrom]), [['main.4', 'uneven', 'graph'], ['main.2', 'uneven', 'graph'], ['main.0', 'even', 'graph']]);
    assert.equal(activeCustomEditor(), undefined);
  });

  it('opens the editor on the ONNX export: the page loads, lists the tensors and audits the uneven layer first', async () => {
    const uri = vscode.Uri.file(join(dir, 'dcgan.onnx'));
    const errors = await errorsDuring(async () => {
      const audit = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: uri.toString() });
      assert.ok(audit, 'the command returned the audit');
      assert.equal(audit.pageReady, true, "the editor's page loaded");
      assert.equal(audit.tensors, 5);
      assert.equal(audit.layers[0]?.verdict, 'uneven');
      assert.equal(audit.layers.at(-1)?.name, 'main.0');
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(activeCustomEditor(), { viewType: 'layerLens.checkpoint', uri: uri.toString() });
  });

  it('is the default editor of a .keras file: opening it shows the checkpoint editor, not the binary warning', async () => {
    const uri = vscode.Uri.file(join(dir, 'generator.keras'));
    await vscode.commands.executeCommand('vscode.open', uri);
    const editor = await until('the custom editor to open', activeCustomEditor, (e) => e !== undefined);
    assert.deepEqual(editor, { viewType: 'layerLens.checkpoint', uri: uri.toString() });
    const audit = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: uri.toString(), show: false });
    assert.deepEqual(audit?.layers.map((l) => [l.name, l.op, l.stride]), [['conv2d_transpose', 'convTranspose2d', [2, 2]]]);
  });

  it('audits 1-D and 3-D transposed convolutions: ONNX exports, Keras Conv1DTranspose and Conv3DTranspose files, and a WaveGAN state dict paired with its source', async () => {
    const layersOf = async (file: string, extra: Record<string, unknown> = {}) => {
      const audit = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: vscode.Uri.file(file).toString(), show: false, ...extra });
      return audit?.layers.map((l) => [l.name, l.op, l.stride, l.verdict, l.phaseSums.length && l.phaseSums[0]?.map((row) => row.length)]);
    };
    // The constant k2 s2 volume layer is even (one tap a phase); phase sums [channel][d·s_h + h][w].
    assert.deepEqual(await layersOf(join(dir, 'volume.onnx')), [['up2', 'convTranspose3d', [1, 2, 3], 'uneven', [3, 3]], ['up1', 'convTranspose3d', [2, 2, 2], 'even', [2, 2, 2, 2]]]);
    assert.deepEqual((await layersOf(join(dir, 'wave.onnx')))?.map((l) => [l[0], l[1], l[2], l[4]]).sort(), [['main.0', 'convTranspose1d', [4], [4]], ['main.2', 'convTranspose1d', [2], [2]]]);
    assert.deepEqual((await layersOf(join(dir, 'decoder1d.h5')))?.at(-1), ['conv1d_transpose_1', 'convTranspose1d', [4], 'even', [4]]);
    assert.deepEqual((await layersOf(join(dir, 'decoder3d.keras')))?.map((l) => [l[0], l[2]]).sort(), [['conv3d_transpose', [2, 2, 2]], ['conv3d_transpose_1', [1, 2, 3]]]);
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-wavegan-'));
    execFileSync('/usr/bin/python3', [resolve(__dirname, '../../../test/golden/checkpoints.py'), folder, join(folder, 'marker')], { stdio: 'ignore' });
    const paired = await layersOf(join(folder, 'wavegan.pt'), { source: vscode.Uri.file(join(folder, 'wavegan.py')).toString() });
    assert.deepEqual(paired?.map((l) => [l[0], l[2]]).sort(), [['deconv_1', [4]], ['deconv_2', [4]], ['deconv_3', [4]], ['deconv_4', [4]], ['deconv_5', [4]], ['grouped', [3]], ['post.0', [2]]]);
    assert.deepEqual(paired?.find((l) => l[0] === 'deconv_5')?.[3], 'even', 'the constant k24 s4 layer: 6 taps a phase');
  });

  it('a 1-D and a 3-D layer open with their trained kernel through the command the editor runs, in the volume panel, and paint their phase sums on the constant input', async () => {
    for (const [file, name] of [['wave.onnx', 'main.0'], ['volume.onnx', 'up2']] as const) {
      const checkpoint = readCheckpoint(new Uint8Array(readFileSync(join(dir, file))), file);
      const layer = auditCheckpoint(checkpoint).layers.find((l) => l.name === name);
      assert.ok(layer?.stride, `${file} ${name} audited`);
      const opened = trainedLayerArguments(layer, checkpoint.tensor(layer.weight), 'torch');
      assert.ok(opened.ok && 'op' in opened.args, `${file} ${name} opens in the volume panel`);
      const result = await vscode.commands.executeCommand<{ op: string; shape: number[]; data: number[]; panel: boolean }>('layerLens.transposedConvolution', { ...opened.args, show: false });
      assert.equal(result?.op, layer.op);
      // An interior cell of each phase holds the phase sum (the layer's padding is not the panel's: none there).
      const [, channels, ...spatial] = result.shape as [number, number, ...number[]];
      const interior = spatial.map((n, axis) => {
        const s = layer.stride?.[axis] as number;
        return Math.floor(n / 2 / s) * s;
      });
      for (let o = 0; o < channels; o++) {
        const sums = layer.phaseSums[o] as number[][];
        for (let phase = 0; phase < (layer.stride as number[]).reduce((x, y) => x * y, 1); phase++) {
          const offsets: number[] = [];
          for (let axis = spatial.length - 1, rest = phase; axis >= 0; axis--) {
            offsets.unshift(rest % (layer.stride?.[axis] as number));
            rest = Math.floor(rest / (layer.stride?.[axis] as number));
          }
          let at = o;
          spatial.forEach((n, axis) => (at = at * n + (interior[axis] as number) + (offsets[axis] as number)));
          const cols = (layer.stride as number[]).at(-1) as number;
          const want = sums[Math.floor(phase / cols)]?.[phase % cols] as number;
          assert.ok(Math.abs((result.data[at] as number) - want) < 1e-5 * Math.max(1, Math.abs(want)), `${file} ${name} channel ${o} phase ${offsets.join(',')}: ${result.data[at]} vs ${want}`);
        }
      }
    }
  });

  it('a .h5 file opens in the editor only when asked (priority option), and the Keras 2 layers are audited', async () => {
    const uri = vscode.Uri.file(join(dir, 'generator.h5'));
    await vscode.commands.executeCommand('vscode.openWith', uri, 'layerLens.checkpointOnRequest');
    const editor = await until('the custom editor to open', activeCustomEditor, (e) => e !== undefined);
    assert.equal(editor?.viewType, 'layerLens.checkpointOnRequest');
    const audit = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: uri.toString(), show: false });
    assert.deepEqual(audit?.layers.map((l) => l.name).sort(), ['conv2d_transpose', 'conv2d_transpose_1']);
  });

  it('a file that is not a checkpoint opens an editor that says why, without an error notification', async () => {
    const uri = vscode.Uri.file(join(dir, 'expected.json'));
    const errors = await errorsDuring(async () => {
      await vscode.commands.executeCommand('vscode.openWith', uri, 'layerLens.checkpoint');
      await until('the custom editor to open', activeCustomEditor, (e) => e !== undefined);
    });
    assert.deepEqual(errors, []);
    const refused = await errorsDuring(() => vscode.commands.executeCommand('layerLens.auditCheckpoint', { uri: uri.toString(), show: false }));
    assert.equal(refused.length, 1);
    assert.match(refused[0] ?? '', /expected\.json is not a checkpoint Layer Lens reads/);
  });

  it('pairs a torch.save state dict with its model source, remembers the pairing, audits an unpaired one with a given stride, and pairs with the source the setting names', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-torch-'));
    execFileSync('/usr/bin/python3', [resolve(__dirname, '../../../test/golden/checkpoints.py'), folder, join(folder, 'marker')], { stdio: 'ignore' });
    const uri = vscode.Uri.file(join(folder, 'dcgan.pt'));
    const source = vscode.Uri.file(join(folder, 'dcgan.py')).toString();
    const fromSource = [['main.0', 'source', [1, 1]], ['main.12', 'source', [2, 2]], ['main.3', 'source', [2, 2]], ['main.6', 'source', [2, 2]], ['main.9', 'source', [2, 2]]];
    const paired = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: uri.toString(), source, show: false });
    assert.deepEqual(paired?.layers.map((l) => [l.name, l.strideFrom, l.stride]).sort(), fromSource);
    assert.equal(paired?.pairing?.unpaired.length, 0);
    // .pt is offered, not the default: the command opens the editor anyway, paired.
    const shown = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: uri.toString(), source });
    assert.equal(shown?.pageReady, true);
    assert.equal(activeCustomEditor()?.uri, uri.toString());
    assert.deepEqual(shown?.layers.map((l) => [l.name, l.strideFrom, l.stride]).sort(), fromSource);
    // Opened again without a source: the pairing was remembered.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const again = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: uri.toString() });
    assert.deepEqual(again?.layers.map((l) => l.strideFrom), ['source', 'source', 'source', 'source', 'source']);
    // Another file, never paired: the stride given applies to every weight.
    const legacy = vscode.Uri.file(join(folder, 'dcgan_legacy.pt'));
    const given = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: legacy.toString(), stride: 2 });
    assert.deepEqual(given?.layers.map((l) => l.strideFrom), ['given', 'given', 'given', 'given', 'given']);
    // The setting names the workspace's model source (samples/dcgan_generator.py): a checkpoint never paired is paired with it.
    await config().update('checkpoints.modelSource', 'dcgan_generator.py', vscode.ConfigurationTarget.Global);
    try {
      const nested = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: vscode.Uri.file(join(folder, 'G_epoch3.pth')).toString() });
      assert.deepEqual(nested?.layers.map((l) => [l.name, l.strideFrom]).sort(), [['generator.main.0', 'source'], ['generator.main.12', 'source'], ['generator.main.3', 'source'], ['generator.main.6', 'source'], ['generator.main.9', 'source']]);
    } finally {
      await config().update('checkpoints.modelSource', undefined, vscode.ConfigurationTarget.Global);
      // That audit published trained verdicts for the workspace's dcgan_generator.py, which the other
      // suites hover over: the checkpoint removed, its verdicts go (as they do for a user).
      rmSync(join(folder, 'G_epoch3.pth'));
      const [sample] = await vscode.workspace.findFiles('dcgan_generator.py');
      assert.ok(sample, 'the workspace has the DCGAN sample');
      const document = await vscode.workspace.openTextDocument(sample);
      const trained = async (): Promise<vscode.CodeLens[]> => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? []).filter((lens) => lens.command?.title.startsWith('Trained '));
      await until("the sample's trained verdicts to go with their checkpoint", trained, (lenses) => lenses.length === 0);
    }
  });

  it('pairing a torch.save state dict with its model source adds the trained verdict to the hover and a CodeLens of each paired layer call, kept across edits elsewhere and dropped when the call or the file changes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-trained-'));
    execFileSync('/usr/bin/python3', [resolve(__dirname, '../../../test/golden/checkpoints.py'), folder, join(folder, 'marker')], { stdio: 'ignore' });
    const uri = vscode.Uri.file(join(folder, 'dcgan.pt'));
    const source = vscode.Uri.file(join(folder, 'dcgan.py'));
    const audit = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: uri.toString(), source: source.toString() });
    const main3 = audit?.layers.find((l) => l.name === 'main.3');
    assert.ok(main3 && main3.verdict === 'uneven', 'the random weights of main.3 paint a pattern');
    const expected = `trained weights in dcgan.pt: uneven, ${percentText(main3.periodicEnergy)} periodic energy, worst output channel ${main3.worstChannel}`;

    const document = await vscode.workspace.openTextDocument(source);
    await vscode.window.showTextDocument(document);
    const call = 'nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False)';
    const hoverAt = async (): Promise<string> => {
      const text = document.getText();
      const at = text.indexOf(call);
      assert.ok(at >= 0, 'the call is in the source');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(at + 5));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    const trainedLenses = async (): Promise<vscode.CodeLens[]> => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
      return lenses.filter((lens) => lens.command?.title.startsWith('Trained ') && lens.command.title.includes('(dcgan.pt)'));
    };
    const hover = await hoverAt();
    assert.ok(hover.includes(expected), `the hover says "${expected}":\n${hover}`);
    assert.match(hover, /\[Open main\.3 in the audit\]\(command:layerLens\.auditCheckpoint\?/);
    const lenses = await trainedLenses();
    assert.equal(lenses.length, 5, 'one trained lens per paired layer call');
    const lens3 = lenses.find((lens) => lens.range.start.line === document.positionAt(document.getText().indexOf(call)).line);
    assert.equal(lens3?.command?.title, `Trained main.3 (dcgan.pt): uneven, ${percentText(main3.periodicEnergy)}`);
    assert.deepEqual(lens3?.command?.arguments, [{ uri: uri.toString(), source: source.toString(), layer: 'main.3' }]);
    // The lens's command opens the editor at that layer.
    const opened = await vscode.commands.executeCommand<AuditCheckpointResult>(lens3.command.command, ...(lens3.command.arguments ?? []));
    assert.equal(opened?.pageReady, true);

    // A line added above the model: the verdict follows its call.
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(source, new vscode.Position(0, 0), '# trained for 200 epochs\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok((await hoverAt()).includes(expected), 'the verdict follows the call after an edit elsewhere');
    // The call itself edited (another padding): its audit no longer describes it.
    const changed = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf(call);
    changed.replace(source, new vscode.Range(document.positionAt(at), document.positionAt(at + call.length)), call.replace('4, 2, 1', '4, 2, 0'));
    assert.ok(await vscode.workspace.applyEdit(changed));
    const edited = document.getText().indexOf('4, 2, 0');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(edited - 10));
    assert.ok(!hovers.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('trained weights'))), 'no trained verdict on the edited call');
    assert.equal((await trainedLenses()).length, 4);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until('the reverted call to have its lens again', trainedLenses, (l) => l.length === 5);

    // The checkpoint rewritten: its verdicts go until it is audited again.
    writeFileSync(uri.fsPath, readFileSync(uri.fsPath));
    await until('the trained lenses to go', trainedLenses, (l) => l.length === 0);
  });

  it('a sub-pixel block used twice: the hover over its one Conv2d call gives both trained layers, the drifted one uneven and away from ICNR', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-srgan-'));
    execFileSync('/usr/bin/python3', [resolve(__dirname, '../../../test/golden/checkpoints.py'), folder, join(folder, 'marker')], { stdio: 'ignore' });
    const uri = vscode.Uri.file(join(folder, 'srgan_drift.pt'));
    const source = vscode.Uri.file(join(folder, 'srgan.py'));
    const audit = await vscode.commands.executeCommand<AuditCheckpointResult>('layerLens.auditCheckpoint', { uri: uri.toString(), source: source.toString(), show: false });
    const up2 = audit?.layers.find((l) => l.name === 'up2.conv');
    assert.equal(up2?.op, 'subPixelConvolution');
    assert.equal(up2?.icnr?.structured, false);
    const document = await vscode.workspace.openTextDocument(source);
    await vscode.window.showTextDocument(document);
    const at = document.getText().indexOf('nn.Conv2d(in_channels, in_channels * up_scale ** 2');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(at + 4));
    const hover = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hover, /trained weights in srgan\\?_drift\.pt: uneven, [\d.]+ % periodic energy, worst channel \d+, [\d.]+ % from ICNR · \[Open up2\.conv in the audit\]/);
    assert.match(hover, /\[Open up1\.conv in the audit\]/);
  });
});
