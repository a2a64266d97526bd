/**
 * The editor features in the real extension host: hovers, CodeLens, diagnostics, quick fixes (with
 * undo) and their settings, on the samples and on untitled documents.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { config, open, until, openUntitled } from './support';

/** The position of the `nth` occurrence of `text` in the document, plus `offset` characters. */
function at(document: vscode.TextDocument, text: string, offset = 0, nth = 0): vscode.Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = document.getText().indexOf(text, index + 1);
  assert.ok(index >= 0, `"${text}" is not in ${document.fileName}`);
  return document.positionAt(index + offset);
}

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<{ text: string; trusted: unknown[] }> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  const contents = hovers.flatMap((hover) => hover.contents);
  return {
    text: contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n---\n'),
    trusted: contents.map((c) => (c instanceof vscode.MarkdownString ? c.isTrusted : undefined)),
  };
}

/** The layer and matrix CodeLens (the model CodeLens on `class …(nn.Module)` lines, with its own setting, is models.test.ts's). */
async function lenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
  return all.filter((lens) => lens.command?.command !== 'layerLens.inspectModel');
}

const layerLensDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Layer Lens');

describe('editor features', () => {
  afterEach(async () => {
    for (const key of ['hover.matrices', 'hover.layers', 'codeLens.enabled', 'diagnostics.enabled', 'diagnostics.severity', 'layers.inputSize']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    // Untitled documents are dirty: revert them as they close, or VS Code asks whether to save
    // them, and that modal dialog would hold up every suite after this one.
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates on languages and commands only, never at startup', () => {
    const events: string[] = vscode.extensions.getExtension('layer-lens.layer-lens')?.packageJSON.activationEvents ?? [];
    assert.ok(events.includes('onLanguage:python'), JSON.stringify(events));
    assert.ok(!events.some((event) => event === '*' || event === 'onStartupFinished'), JSON.stringify(events));
  });

  it('hovers over a transposed convolution with the formula, the inferred input size, the verdict and an Inspect link', async () => {
    const document = await open('dcgan_generator.py');
    const { text, trusted } = await hoverText(document, at(document, 'ConvTranspose2d(ngf * 2, ngf, 3', 4));
    assert.match(text, /\*\*`nn\.ConvTranspose2d`\*\* · transposed convolution \(PyTorch\)/);
    assert.match(text, /Output \*\*32×32\*\* for an input 16×16 \(the output of the layer on line 21\)/);
    assert.match(text, /= \(16 − 1\)·2 − 2·1 \+ 1·\(3 − 1\) \+ 1 \+ 1 = 32/);
    assert.match(text, /\*\*Overlap: uneven 1:2\*\*/);
    assert.match(text, /!\[Overlap tile: products per output cell\]\(data:image\/svg\+xml;base64,/);
    assert.match(text, /Parameters: `\(ngf \* 2\)·ngf·3·3` \(no bias\)/);
    assert.match(text, /- Use kernel\\?_size=4, output\\?_padding=0: even overlap, same output size/);
    assert.match(text, /\[Inspect in Layer Lens\]\(command:layerLens\.transposedConvolution\?/);
    assert.ok(trusted.some((t) => JSON.stringify(t) === JSON.stringify({ enabledCommands: ['layerLens.transposedConvolution'] })), JSON.stringify(trusted));
  });

  it('hovers over a NumPy matrix with its statistics, a heatmap and three command links', async () => {
    const document = await open('kernels_numpy.py');
    const { text } = await hoverText(document, at(document, '[-2, 0, 2]', 2));
    assert.match(text, /\*\*Matrix 3×3\*\* \(numpy\) · min −2 · max 2 · mean 0/);
    assert.match(text, /!\[Heatmap of the matrix\]\(data:image\/svg\+xml;base64,/);
    const links = [...text.matchAll(/\[([^\]]+)\]\((command:[^ )]+)/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(links.map(([title]) => title), ['Transposed convolution…', 'Use as kernel', 'Open in Layer Lens']);
    const args = JSON.parse(decodeURIComponent((links[2]?.[1] ?? '').split('?')[1] ?? ''));
    assert.deepEqual(args, [{ input: [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], kernel: [[1, 1], [1, 1]], stride: 2 }]);
    assert.match(links[1]?.[1] ?? '', /^command:layerLens\.setKernel\?/);
  });

  it('turns each hover off with its setting, live', async () => {
    const document = await open('upsampling_layers.py');
    const position = at(document, 'ConvTranspose2d(16, 8, 3', 2);
    assert.match((await hoverText(document, position)).text, /Overlap: uneven 1:2/);
    await config().update('hover.layers', false, vscode.ConfigurationTarget.Global);
    assert.doesNotMatch((await hoverText(document, position)).text, /Overlap/);
    const numpy = await open('kernels_numpy.py');
    await config().update('hover.matrices', false, vscode.ConfigurationTarget.Global);
    assert.doesNotMatch((await hoverText(numpy, at(numpy, '[-2, 0, 2]', 2))).text, /Matrix/);
  });

  it('hovers over a layer inside a model with its input → output in each run of forward(), for layerLens.models.inputShape', async () => {
    await config().update('models.inputShape', [1, 3, 64, 64], vscode.ConfigurationTarget.Global);
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.resolve(__dirname, '../../../test/fixtures/stackmodel/unet_small.py')));
      await vscode.window.showTextDocument(document);
      // The runs come with the document's summary, read in its worker a moment after the file opens.
      const up = await until('the model’s runs in the hover', () => hoverText(document, at(document, 'nn.ConvTranspose2d(', 4)), (h) => h.text.includes('**In the model**'), 60_000);
      assert.ok(up.text.includes('**In the model** — `UNet.forward()` for 1×3×64×64 (`layerLens.models.inputShape`), 2 runs:'), up.text);
      assert.ok(up.text.includes('- `up1.up`: [1, 64, 16, 16] → [1, 32, 32, 32]'), up.text);
      assert.ok(up.text.includes('- `up2.up`: [1, 32, 32, 32] → [1, 16, 64, 64]'), up.text);
      // DoubleConv's first convolution: in the decoder its input has the skip's channels too (32 + 32).
      const conv = await hoverText(document, at(document, 'nn.Conv2d(in_channels, out_channels', 4));
      assert.ok(conv.text.includes('- `up1.conv.double_conv.0`: [1, 64, 32, 32] → [1, 32, 32, 32]'), conv.text);
      assert.ok(conv.text.includes('- `inc.double_conv.0`: [1, 3, 64, 64] → [1, 16, 64, 64]'), conv.text);
    } finally {
      await config().update('models.inputShape', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('uses layerLens.layers.inputSize when nothing nearby gives a size', async () => {
    const document = await open('upsampling_layers.py');
    await config().update('layers.inputSize', 10, vscode.ConfigurationTarget.Global);
    const { text } = await hoverText(document, at(document, 'ConvTranspose2d(16, 8, 3', 2));
    assert.match(text, /Output \*\*21×21\*\* for an input 10×10 \(assumed: no size found nearby/);
  });

  it('shows CodeLens above transposed convolutions and 2-D matrices, and hides them with the setting', async () => {
    const document = await open('upsampling_layers.py');
    const titles = (await lenses(document)).map((lens) => lens.command?.title);
    assert.deepEqual(titles, ['$(layers) Inspect', 'Overlap: uneven 1:2', '$(layers) Inspect', 'Overlap: even', '$(layers) Inspect', 'Overlap: uneven 1:2']);
    const [inspect, overlap] = (await lenses(document)).map((lens) => lens.command);
    assert.equal(inspect?.command, 'layerLens.inspectLayer');
    const result = await vscode.commands.executeCommand<{ inputSize: number[]; outputSize: number[]; panel: boolean }>(inspect!.command, ...(inspect!.arguments ?? []));
    assert.deepEqual([result.inputSize, result.outputSize, result.panel], [[32, 32], [65, 65], true], 'the default 32×32 input through kernel 3, stride 2');
    assert.equal(overlap?.command, 'layerLens.showOverlapMap');
    const verdict = await vscode.commands.executeCommand<{ even: boolean }>(overlap!.command, ...(overlap!.arguments ?? []));
    assert.equal(verdict.even, false);

    const numpy = await open('kernels_numpy.py');
    assert.ok((await lenses(numpy)).some((lens) => lens.command?.title === '$(layers) Inspect 3×3'));
    await config().update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await lenses(document), []);
  });

  it('reports uneven overlap as Information, follows the severity setting and turns off, live', async () => {
    const document = await open('upsampling_layers.py');
    const diagnostics = await until('two diagnostics', () => layerLensDiagnostics(document.uri), (d) => d.length === 2);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.severity, d.code]), [
      [4, vscode.DiagnosticSeverity.Information, 'uneven-overlap'],
      [13, vscode.DiagnosticSeverity.Information, 'uneven-overlap'],
    ]);
    assert.match(diagnostics[0]!.message, /^Overlap uneven 1:2: kernel 3, stride 2 gives counts 2 and 1 alternating → checkerboard\. .*checkerboard pattern/);
    await config().update('diagnostics.severity', 'warning', vscode.ConfigurationTarget.Global);
    await until('warnings', () => layerLensDiagnostics(document.uri), (d) => d.length === 2 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Warning));
    await config().update('diagnostics.enabled', false, vscode.ConfigurationTarget.Global);
    await until('no diagnostics', () => layerLensDiagnostics(document.uri), (d) => d.length === 0);
  });

  it('reports a float stride, which PyTorch refuses when the layer is called, as an error on the value', async () => {
    const document = await openUntitled('python', 'import torch.nn as nn\n\nup = nn.ConvTranspose2d(16, 8, 4, stride=2.0)\n');
    const [diagnostic] = await until('the argument-type diagnostic', () => layerLensDiagnostics(document.uri), (d) => d.length === 1);
    assert.deepEqual([diagnostic!.code, diagnostic!.severity, document.getText(diagnostic!.range)], ['argument-type', vscode.DiagnosticSeverity.Error, '2.0']);
    assert.match(diagnostic!.message, /^stride=2\.0 is a float: PyTorch 1\.13 raises a TypeError when the layer is called/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(document.getText().indexOf('ConvTranspose2d') + 2));
    const markdown = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(markdown, /⚠ `stride=2\.0` is a float/);
  });

  it('applies each quick fix as one edit that undo restores, in an untitled document', async () => {
    const original = 'import torch.nn as nn\n\nclass G(nn.Module):\n    def __init__(self):\n        self.up = nn.ConvTranspose2d(16, 8, 3, stride=2)\n';
    const expected = [
      '        self.up = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, output_padding=1)\n',
      '        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2, output_padding=1)\n',
      // Too long for one line at 100 columns: one layer per line, one indentation level deeper.
      "        self.up = nn.Sequential(\n            nn.Upsample(scale_factor=2, mode='nearest'),\n            nn.Conv2d(16, 8, 3, padding=1),\n        )\n",
      "        self.up = nn.Sequential(\n            nn.Upsample(scale_factor=2, mode='nearest'),\n            nn.Conv2d(16, 8, 4, padding=2),\n        )\n",
    ];
    const document = await openUntitled('python', original);
    await vscode.window.showTextDocument(document);
    const diagnostics = await until('a diagnostic', () => layerLensDiagnostics(document.uri), (d) => d.length === 1);
    const range = diagnostics[0]!.range;
    const titles: string[] = [];
    for (let index = 0; index < expected.length; index++) {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range, vscode.CodeActionKind.QuickFix.value);
      const fixes = actions.filter((action) => /^(Use kernel_size|Rewrite as)/.test(action.title));
      assert.equal(fixes.length, expected.length, JSON.stringify(actions.map((a) => a.title)));
      const fix = fixes[index]!;
      titles.push(fix.title);
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.equal(document.getText(), original.replace(/ {8}self\.up = .*\n$/, expected[index]!), fix.title);
      await vscode.commands.executeCommand('undo');
      await until('the undo', () => document.getText(), (text) => text === original);
    }
    assert.match(titles[2]!, /\(output 2H instead of 2H \+ 1: no padding keeps it with kernel 3\)$/);
  });

  it('works in Markdown: hovers over a layer in a fenced Python block and a matrix in a fenced block', async () => {
    const content = '# Notes\n\n```python\nup = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)\nk = [[1, 2], [3, 4]]\n```\n';
    const document = await openUntitled('markdown', content);
    await vscode.window.showTextDocument(document);
    assert.match((await hoverText(document, at(document, 'ConvTranspose2d', 2))).text, /Overlap: even/);
    assert.match((await hoverText(document, at(document, '[3, 4]', 1))).text, /Matrix 2×2/);
  });

  it('reads a .m file that VS Code opens as Objective-C as MATLAB when it is MATLAB: hover and CodeLens; real Objective-C gets none', async () => {
    const document = await open('matrices.m');
    // code-server has no MATLAB extension: `.m` is Objective-C there, as on a user's VS Code without one.
    assert.equal(document.languageId, 'objective-c');
    assert.match((await hoverText(document, at(document, '[1 2; 3 4]', 2))).text, /Matrix 2×2/);
    assert.match((await hoverText(document, at(document, '1 -4  1', 2))).text, /Matrix 3×3/);
    const titles = (await lenses(document)).map((lens) => lens.command?.title ?? '');
    assert.ok(titles.includes('$(layers) Inspect 3×3'), JSON.stringify(titles));
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'layer-lens-objc-'));
    const file = path.join(folder, 'Kernel.m');
    await fs.writeFile(file, '#import <Foundation/Foundation.h>\n\n@implementation Kernel\n- (NSArray *)taps { return @[@[@1, @2], @[@3, @4]]; }\n@end\n');
    const objc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(objc);
    assert.equal(objc.languageId, 'objective-c');
    assert.equal((await hoverText(objc, at(objc, '@[@1', 3))).text.includes('Matrix'), false);
    assert.deepEqual((await lenses(objc)).map((lens) => lens.command?.title), []);
  });

  it('hovers over a layer call whose ( is not closed yet: what is read so far and what is missing', async () => {
    const content = 'import torch.nn as nn\n\nup = nn.ConvTranspose2d(16, 8, kernel_size=4, stride=2\n';
    const document = await openUntitled('python', content);
    await vscode.window.showTextDocument(document);
    const { text } = await hoverText(document, at(document, 'ConvTranspose2d', 4));
    assert.match(text, /\*\*`nn\.ConvTranspose2d`\*\* · not closed yet/);
    assert.match(text, /- `stride` = `2`/);
    assert.match(text, /Output so far \*\*66×66\*\* for an input 32×32/);
    assert.match(text, /Missing: the closing parenthesis `\)`\./);
    // At the end of what is typed, where the `)` would go, too.
    assert.match((await hoverText(document, at(document, 'stride=2', 8))).text, /not closed yet/);
  });
});
