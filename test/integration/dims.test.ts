/**
 * 1-D and 3-D layers in the real editor (issue 22): the hover on a HiFi-GAN-style vocoder's
 * `nn.ConvTranspose1d` and on a 3-D U-Net's `nn.ConvTranspose3d`, the uneven-overlap diagnostic on
 * the uneven 3-D layers, their CodeLens, and Inspect Layer / Show Overlap Map / the hover's Inspect
 * link opening the volume panel on them. The model files are test/fixtures/dims.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until } from './support';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/dims');

async function openFixture(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(path.join(fixtures, name));
  await vscode.window.showTextDocument(document);
  return document;
}

async function hoverAt(document: vscode.TextDocument, text: string): Promise<string> {
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `"${text}" is not in ${document.fileName}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(index + 4));
  return hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n---\n');
}

function positionOf(document: vscode.TextDocument, text: string): vscode.Position {
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `"${text}" is not in ${document.fileName}`);
  return document.positionAt(index + 4);
}

const volumeTabLabels = () =>
  vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.volume')).map((tab) => tab.label));

interface InspectSummary {
  inputSize: number[];
  outputSize?: number[];
  panel: boolean;
  example?: { inputShape: number[]; outputShape: number[] };
}

const layerLensDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Layer Lens');

describe('1-D and 3-D layers in the editor', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hovers over a vocoder ConvTranspose1d with L_out, its values and the overlap verdict', async () => {
    const document = await openFixture('hifigan_generator.py');
    const text = await hoverAt(document, 'nn.ConvTranspose1d(512, 256, 16, 8, padding=4)');
    assert.match(text, /\*\*`nn\.ConvTranspose1d`\*\* · 1-D transposed convolution \(PyTorch\)/);
    assert.match(text, /Output \*\*256\*\* for an input 32/);
    assert.match(text, /L_out = \(L_in − 1\)·stride/);
    assert.match(text, /= \(32 − 1\)·8 − 2·4 \+ 1·\(16 − 1\) \+ 0 \+ 1 = 256/);
    assert.match(text, /\*\*Overlap: even\*\*/);
    assert.match(text, /Parameters: \*\*2,097,408\*\*/);
  });

  it('hovers over a 3-D U-Net ConvTranspose3d with D, H, W and the stride lattice', async () => {
    const document = await openFixture('unet3d_decoder.py');
    const text = await hoverAt(document, 'nn.ConvTranspose3d(128, 64, kernel_size=3');
    assert.match(text, /\*\*`nn\.ConvTranspose3d`\*\* · 3-D transposed convolution \(PyTorch\)/);
    assert.match(text, /Output \*\*64×64×64\*\* for an input 32×32×32/);
    assert.match(text, /D_out = \(D_in − 1\)·stride/);
    assert.match(text, /H_out = 64 \(the same\)/);
    assert.match(text, /\*\*Overlap: uneven 1:2\*\*/);
    assert.match(text, /Stride lattice 2×2×2: uneven along D, H, W/);
    // Markdown escapes the underscores of the fix titles.
    assert.match(text, /Suggested fixes \(Quick Fix, Ctrl\+\.\):\n- Use kernel\\_size=4, output\\_padding=0: even overlap, same output size/);
    const anisotropic = await hoverAt(document, 'nn.ConvTranspose3d(64, 32');
    assert.match(anisotropic, /Output \*\*32×64×64\*\*/);
    assert.match(anisotropic, /uneven along H, W \(counts by phase: D 1, H 1:2, W 1:2\)/);
  });

  it('marks the uneven 3-D layers with the diagnostic, offers their quick fix, and shows their CodeLens', async () => {
    const document = await openFixture('unet3d_decoder.py');
    const diagnostics = await until('the uneven-overlap diagnostics', () => layerLensDiagnostics(document.uri).filter((d) => d.code === 'uneven-overlap'), (d) => d.length === 2);
    assert.deepEqual(diagnostics.map((d) => document.getText(d.range)), ['nn.ConvTranspose3d', 'nn.ConvTranspose3d']);
    assert.deepEqual(diagnostics.map((d) => d.range.start.line + 1), [27, 29]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostics[0]!.range);
    assert.ok(actions.some((a) => a.title === 'Use kernel_size=4, output_padding=0: even overlap, same output size'), JSON.stringify(actions.map((a) => a.title)));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    assert.equal(titles.filter((t) => t === 'Overlap: uneven 1:2').length, 1, JSON.stringify(titles));
    assert.equal(titles.filter((t) => t === 'Overlap: uneven 1:4').length, 1, JSON.stringify(titles));
  });

  it('Inspect Layer on a 3-D U-Net ConvTranspose3d opens the volume panel on an example with the layer’s parameters', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const document = await openFixture('unet3d_decoder.py');
    const position = positionOf(document, 'nn.ConvTranspose3d(128, 64, kernel_size=3');
    const summary = await vscode.commands.executeCommand<InspectSummary>('layerLens.inspectLayer', { uri: document.uri.toString(), position: { line: position.line, character: position.character } });
    assert.ok(summary, 'Inspect Layer returned nothing');
    assert.deepEqual([summary.inputSize, summary.outputSize], [[32, 32, 32], [64, 64, 64]]);
    assert.equal(summary.panel, true);
    // The code does not state the input size, so the example is at most 8³: (8 − 1)·2 − 2·1 + (3 − 1) + 1 + 1 = 16 per axis.
    assert.deepEqual(summary.example, { inputShape: [1, 1, 8, 8, 8], outputShape: [1, 1, 16, 16, 16] });
    await until('the volume panel', volumeTabLabels, (labels) => labels.includes('Layer Lens: convTranspose3d'));
  });

  it('Show Overlap Map on the anisotropic ConvTranspose3d opens the volume panel and returns its verdict', async () => {
    const document = await openFixture('unet3d_decoder.py');
    const position = positionOf(document, 'nn.ConvTranspose3d(64, 32');
    const overlap = await vscode.commands.executeCommand<{ even: boolean; label: string }>('layerLens.showOverlapMap', { uri: document.uri.toString(), position: { line: position.line, character: position.character } });
    assert.ok(overlap, 'Show Overlap Map returned nothing');
    assert.equal(overlap.even, false);
    assert.match(overlap.label, /^uneven/);
  });

  it('Inspect Layer on a vocoder ConvTranspose1d opens the volume panel as strips with its stride and padding', async () => {
    const document = await openFixture('hifigan_generator.py');
    const position = positionOf(document, 'nn.ConvTranspose1d(512, 256, 16, 8, padding=4)');
    const summary = await vscode.commands.executeCommand<InspectSummary>('layerLens.inspectLayer', { uri: document.uri.toString(), position: { line: position.line, character: position.character } });
    assert.ok(summary, 'Inspect Layer returned nothing');
    assert.deepEqual([summary.inputSize, summary.outputSize, summary.panel], [[32], [256], true]);
    // The assumed length 32 is cut to 8 for the example: (8 − 1)·8 − 2·4 + 15 + 1 = 64.
    assert.deepEqual(summary.example, { inputShape: [1, 1, 8], outputShape: [1, 1, 64] });
    await until('the volume panel', volumeTabLabels, (labels) => labels.includes('Layer Lens: convTranspose1d'));
  });

  it('links the 3-D hover to the volume panel: its arguments run the layer (here with show: false)', async () => {
    const document = await openFixture('unet3d_decoder.py');
    const text = await hoverAt(document, 'nn.ConvTranspose3d(128, 64, kernel_size=3');
    const link = /\[Inspect in Layer Lens\]\(command:layerLens\.transposedConvolution\?([^ )]+)/.exec(text);
    assert.ok(link, text);
    const [args] = JSON.parse(decodeURIComponent(link[1]!)) as [Record<string, unknown>];
    assert.equal(args.op, 'convTranspose3d');
    assert.deepEqual(args.options, { stride: 2, padding: 1, outputPadding: 1, dilation: 1 });
    const result = await vscode.commands.executeCommand<{ shape: number[]; panel: boolean }>('layerLens.transposedConvolution', { ...args, show: false });
    // 4³ of ones: (4 − 1)·2 − 2 + 2 + 1 + 1 = 8 per axis.
    assert.deepEqual([result.shape, result.panel], [[1, 1, 8, 8, 8], false]);
  });

  it('Inspect Layer on 1-D and 3-D convolutions, pools and linear upsampling opens the volume panel too', async () => {
    for (const [file, text, op] of [
      ['hifigan_generator.py', "nn.Upsample(scale_factor=2, mode='linear')", 'upsample1d'],
      ['hifigan_generator.py', 'nn.Conv1d(80, 256, kernel_size=7, padding=3)', 'conv1d'],
      ['small_models.py', 'nn.MaxPool3d(2)', 'maxPool3d'],
    ] as const) {
      const document = await openFixture(file);
      const position = positionOf(document, text);
      const summary = await vscode.commands.executeCommand<InspectSummary>('layerLens.inspectLayer', { uri: document.uri.toString(), position: { line: position.line, character: position.character } });
      assert.ok(summary?.example, `Inspect Layer on ${text}: ${JSON.stringify(summary)}`);
      assert.equal(summary.panel, true);
      // The example's output has the layer's output size for the example's input size.
      const scale = op === 'upsample1d' ? 2 : op === 'maxPool3d' ? 0.5 : 1;
      assert.deepEqual(summary.example.outputShape.slice(2), summary.example.inputShape.slice(2).map((side) => Math.floor(side * scale)), text);
      await until(`the volume panel on ${op}`, volumeTabLabels, (labels) => labels.includes(`Layer Lens: ${op}`));
    }
  });

  it('runs the 3-D CodeLens commands as they are given: Inspect and the overlap verdict open the volume panel', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const document = await openFixture('unet3d_decoder.py');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
    const overlapLens = lenses.find((lens) => lens.command?.title === 'Overlap: uneven 1:4');
    assert.ok(overlapLens?.command, JSON.stringify(lenses.map((lens) => lens.command?.title)));
    const overlap = await vscode.commands.executeCommand<{ label: string }>(overlapLens.command.command, ...(overlapLens.command.arguments ?? []));
    assert.equal(overlap?.label, 'uneven 1:4');
    const inspectLens = lenses.find((lens) => lens.command?.command === 'layerLens.inspectLayer' && lens.range.start.line === overlapLens.range.start.line);
    assert.ok(inspectLens?.command);
    const summary = await vscode.commands.executeCommand<InspectSummary>(inspectLens.command.command, ...(inspectLens.command.arguments ?? []));
    assert.equal(summary?.panel, true);
    assert.equal(summary.example?.inputShape.length, 5);
    await until('the volume panel', volumeTabLabels, (labels) => labels.includes('Layer Lens: convTranspose3d'));
  });
});
