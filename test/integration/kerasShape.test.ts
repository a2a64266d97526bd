/**
 * The Keras size diagnostic in the real VS Code: keras #10185's U-Net (a 39×39 input, pooled to 20,
 * upsampled to 40) with `layerLens.models.inputShape` set to 1×3×39×39 gets an error on its
 * concatenate call; the crop fix is one edit after which the diagnostic goes, and one undo brings
 * back the text and the diagnostic.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { config, openUntitled, until } from './support';

const repoRoot = path.resolve(__dirname, '../../..');
const modelDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Layer Lens' && d.code === 'model-shape');

describe('Keras size diagnostic and its quick fixes', () => {
  before(async () => {
    await config().update('models.inputShape', [1, 3, 39, 39], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('models.inputShape', undefined, vscode.ConfigurationTarget.Global);
  });

  it('reports keras #10185 on the concatenate for 39×39; the crop is one undoable edit', async () => {
    const original = readFileSync(path.join(repoRoot, 'test/fixtures/keras/unet_39.py'), 'utf8');
    const document = await openUntitled('python', original);
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await until('the Keras model diagnostic', () => modelDiagnostics(document.uri), (d) => d.length === 1, 60_000);
    assert.match(diagnostic!.message, /^concatenate \(Concatenate\) at line 14: input 0 is 40×40 but input 1 is 39×39, .* for an input of 39×39\. Keras: A `Concatenate` layer requires inputs with matching shapes/);
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic!.range.start.line, 13);
    assert.ok(document.getText(diagnostic!.range).startsWith('concatenate([Conv2DTranspose('), document.getText(diagnostic!.range));

    // The hover over the Conv2DTranspose that made the 40×40 input says it too.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(original.indexOf('Conv2DTranspose(32') + 3));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(hoverText.includes(`For the input 1×3×39×39 (\`layerLens.models.inputShape\`): ${diagnostic!.message}`), hoverText);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Set output_padding=1 on conv2d_transpose (Conv2DTranspose, line 14)'), JSON.stringify(titles));
    const crop = actions.find((a) => a.title.startsWith('Crop input 0 from 40×40 to 39×39'));
    assert.ok(crop?.edit, JSON.stringify(titles));
    assert.ok(await vscode.workspace.applyEdit(crop.edit));
    assert.ok(document.getText().includes('concatenate([Cropping2D(((0, 1), (0, 1)))(Conv2DTranspose('), document.getText());
    assert.ok(document.getText().includes('Conv2DTranspose, concatenate, Cropping2D\n'));
    await until('the diagnostic to go after the crop', () => modelDiagnostics(document.uri).length, (n) => n === 0, 30_000);
    await vscode.commands.executeCommand('undo');
    await until('the undo', () => document.getText(), (text) => text === original);
    await until('the diagnostic to come back', () => modelDiagnostics(document.uri).length, (n) => n === 1, 30_000);
  });
});
