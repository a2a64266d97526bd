/**
 * 1-D and 3-D layers in the real editor (issue 22): the hover on a HiFi-GAN-style vocoder's
 * `nn.ConvTranspose1d` and on a 3-D U-Net's `nn.ConvTranspose3d`, the uneven-overlap diagnostic on
 * the uneven 3-D layers, and their CodeLens. The model files are test/fixtures/dims.
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
});
