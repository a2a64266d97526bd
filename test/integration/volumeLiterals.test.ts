/**
 * Tensor literals as the input of 1-D and 3-D layers, grouped 1-D convolutions and Keras' 1-D layers,
 * in the real extension host: a rank-3 literal selected (or under the cursor) run through the volume
 * commands, read as PyTorch reads it for the op and said so; Inspect Layer on a literal, on a grouped
 * nn.Conv1d and on Keras' Conv1DTranspose; the Keras hover's channels-last shapes.
 * Expected values: PyTorch 1.13 (Debian python3-torch), float64, and Keras' conv_utils formulas.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { errorsDuring, openUntitled, until } from './support';

interface VolumeResult {
  op: string;
  inputShape: number[];
  shape: number[];
  data: number[];
  panel: boolean;
  reading?: string;
}

interface LayerSummary {
  layer: string;
  inputSize: number[];
  outputSize?: number[];
  panel: boolean;
  reading?: string;
  example?: { inputShape: number[]; outputShape: number[] };
}

function volumeTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.volume')).map((tab) => tab.label));
}

async function editorWith(content: string): Promise<vscode.TextEditor> {
  const document = await openUntitled('python', content);
  return vscode.window.showTextDocument(document);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('Tensor literals through 1-D and 3-D layers, grouped and Keras layers (volume panel)', () => {
  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a selected rank-3 np.array is read as [N, C, L] by conv1d, as PyTorch reads a 3-D input, and said so', async () => {
    const text = 'x = np.array([[[1, 2, 3, 4], [0, 1, 0, 1]]])\n';
    const editor = await editorWith(text);
    editor.selection = new vscode.Selection(0, 4, 0, text.indexOf('\n'));
    const result = await vscode.commands.executeCommand<VolumeResult>('layerLens.inspectLayer', { op: 'conv1d', weight: { shape: [1, 2, 2], data: [1, 1, 1, 1] }, show: false });
    assert.ok(result);
    assert.match(result.reading ?? '', /^read as \[N, C, L\] = 1×2×4: a batch of 1 with 2 channels of 4 samples each/);
    // F.conv1d(x, torch.ones(1, 2, 2)): each output sums a 2×2 window over both channels.
    assert.deepEqual([result.inputShape, result.shape, result.data], [[1, 2, 4], [1, 1, 3], [4, 6, 8]]);
  });

  it('the same literal under the cursor is a volume [D, H, W] to convTranspose3d, and opens the volume panel', async () => {
    const text = 'x = np.array([[[1, 2, 3, 4], [0, 1, 0, 1]]])\n';
    const editor = await editorWith(text);
    editor.selection = new vscode.Selection(0, 20, 0, 20);
    const result = await vscode.commands.executeCommand<VolumeResult>('layerLens.transposedConvolution', { op: 'convTranspose3d', weight: [[[1, 1]]], options: { stride: 2 } });
    assert.ok(result);
    assert.match(result.reading ?? '', /^read as \[D, H, W\] = 1×2×4: one volume of one channel, depth 1 .*height 2, width 4/);
    // W: (4 − 1)·2 + 2 = 8; H: (2 − 1)·2 + 1 = 3.
    assert.deepEqual([result.inputShape, result.shape], [[1, 1, 1, 2, 4], [1, 1, 1, 3, 8]]);
    assert.deepEqual(result.data.slice(0, 8), [1, 1, 2, 2, 3, 3, 4, 4]);
    await until('the volume panel', volumeTabs, (labels) => labels.includes('Layer Lens: convTranspose3d'));
  });

  it('a long rank-3 selection (over 512 KB) is read in the engine worker and pooled', async () => {
    // 32×64×64 values of 0.25 steps: about 700 KB of text.
    const row = (d: number, h: number) => `[${Array.from({ length: 64 }, (_, w) => ((d + h + w) % 8) / 4).join(', ')}]`;
    const block = (d: number) => `[${Array.from({ length: 64 }, (_, h) => row(d, h)).join(',\n')}]`;
    const literal = `[${Array.from({ length: 32 }, (_, d) => block(d)).join(',\n')}]`;
    assert.ok(literal.length > 512 * 1024, `${literal.length} characters`);
    const editor = await editorWith(`x = ${literal}\n`);
    editor.selection = new vscode.Selection(editor.document.positionAt(4), editor.document.positionAt(4 + literal.length));
    const result = await vscode.commands.executeCommand<VolumeResult>('layerLens.inspectLayer', { op: 'maxPool3d', options: { kernelSize: 2 }, show: false });
    assert.ok(result);
    assert.deepEqual([result.inputShape, result.shape], [[1, 1, 32, 64, 64], [1, 1, 16, 32, 32]]);
    // max over d, h, w ∈ {0, 1}: (1 + 1 + 1) % 8 / 4 = 0.75 at the first window.
    assert.equal(result.data[0], 0.75);
  });

  it('a ragged rank-3 literal selected is refused at its place, and nothing runs', async () => {
    const text = 'x = [[[1, 2], [3]], [[5, 6], [7, 8]]]\n';
    const editor = await editorWith(text);
    editor.selection = new vscode.Selection(0, 4, 0, text.indexOf('\n'));
    let result: VolumeResult | undefined;
    const errors = await errorsDuring(async () => {
      result = await vscode.commands.executeCommand<VolumeResult | undefined>('layerLens.inspectLayer', { op: 'maxPool3d', options: { kernelSize: 2 }, show: false });
    });
    assert.equal(result, undefined);
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /row 2 has 1 value, row 1 has 2 \(Untitled-\d+, line 1, column 15\)/);
  });

  it('a matrix is not a volume: refused with the ranks a 3-D layer takes', async () => {
    const editor = await editorWith('m = [[1, 2], [3, 4]]\n');
    editor.selection = new vscode.Selection(0, 7, 0, 7);
    const errors = await errorsDuring(() => vscode.commands.executeCommand('layerLens.inspectLayer', { op: 'maxPool3d', options: { kernelSize: 2 }, show: false }));
    assert.match(errors[0] ?? '', /maxPool3d cannot read the 2×2 literal: it is a matrix, and a 3-D layer takes a volume \[D, H, W\].*line 1/);
  });

  it('Inspect Layer with the cursor on a rank-3 literal runs the document’s one 3-D layer on it', async () => {
    const text = 'vol = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]\nup = nn.ConvTranspose3d(1, 1, kernel_size=2, stride=2)\n';
    const editor = await editorWith(text);
    editor.selection = new vscode.Selection(0, 12, 0, 12);
    const summary = await vscode.commands.executeCommand<LayerSummary>('layerLens.inspectLayer');
    assert.ok(summary);
    assert.equal(summary.layer, 'nn.ConvTranspose3d');
    assert.match(summary.reading ?? '', /^read as \[D, H, W\] = 2×2×2/);
    assert.deepEqual([summary.example?.inputShape, summary.example?.outputShape, summary.panel], [[1, 1, 2, 2, 2], [1, 1, 4, 4, 4], true]);
  });

  it('the hover of a rank-3 literal links to its document’s layers; the picker offers each with its reading', async () => {
    const text = 'x = [[[1, 2, 3, 4], [0, 1, 0, 1]]]\nconv = nn.Conv1d(2, 1, 3)\nvol = nn.MaxPool3d(2)\n';
    const editor = await editorWith(text);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 8));
    const shown = hoverText(hovers);
    assert.match(shown, /A 3-D tensor: select one \[H, W\] slice to use it in a 2-D layer\./);
    const link = /\[Through a 1-D or 3-D layer…\]\(command:layerLens\.inspectLayer\?([^ )]+)/.exec(shown);
    assert.ok(link, shown);
    const [args] = JSON.parse(decodeURIComponent(link[1] as string)) as [unknown];
    const running = vscode.commands.executeCommand<LayerSummary | undefined>('layerLens.inspectLayer', args);
    // Two layers read the tensor (as [N, C, L] and as [D, H, W]): the picker asks; the first is nn.Conv1d.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const summary = await running;
    assert.ok(summary);
    assert.equal(summary.layer, 'nn.Conv1d');
    assert.match(summary.reading ?? '', /^read as \[N, C, L\] = 1×2×4/);
    assert.deepEqual(summary.example?.outputShape, [1, 1, 2]);
  });

  it('a matrix under the cursor keeps Inspect Layer’s 2-D meaning: there is no layer call there', async () => {
    const editor = await editorWith('m = [[1, 2], [3, 4]]\nconv = nn.Conv1d(2, 1, 3)\n');
    editor.selection = new vscode.Selection(0, 7, 0, 7);
    const errors = await errorsDuring(() => vscode.commands.executeCommand('layerLens.inspectLayer'));
    assert.match(errors[0] ?? '', /There is no layer call at Untitled-\d+, line 1, column 8/);
  });

  it('Inspect Layer on a selected ragged tensor explains it at its place; a vector in a file of 2-D layers keeps the 2-D message', async () => {
    const text = 'x = [[[1, 2], [3]], [[5, 6], [7, 8]]]\nconv = nn.Conv3d(1, 1, 2)\n';
    const editor = await editorWith(text);
    editor.selection = new vscode.Selection(0, 4, 0, text.indexOf('\n'));
    const errors = await errorsDuring(() => vscode.commands.executeCommand('layerLens.inspectLayer'));
    assert.match(errors[0] ?? '', /^Layer Lens: The selection is not a matrix: row 2 has 1 value, row 1 has 2 \(Untitled-\d+, line 1, column 15\)/);
    const flat = await editorWith('v = [1, 2, 3]\nup = nn.ConvTranspose2d(1, 1, 2)\n');
    flat.selection = new vscode.Selection(0, 6, 0, 6);
    const flatErrors = await errorsDuring(() => vscode.commands.executeCommand('layerLens.inspectLayer'));
    assert.match(flatErrors[0] ?? '', /There is no layer call at Untitled-\d+, line 1, column 7/);
  });

  it('Inspect Layer with "input" runs a grouped nn.ConvTranspose1d on an [N, C, L] literal, one output channel per group', async () => {
    const text = 'x = torch.tensor([[[1., 2., 3., 4., 5.], [1., 1., 1., 1., 1.], [0., 0., 0., 0., 0.], [2., 2., 2., 2., 2.]]])\nup = nn.ConvTranspose1d(4, 2, 3, stride=2, groups=2)\n';
    const editor = await editorWith(text);
    const uri = editor.document.uri.toString();
    const summary = await vscode.commands.executeCommand<LayerSummary>('layerLens.inspectLayer', { uri, position: { line: 1, character: 10 }, input: { uri, position: { line: 0, character: 20 } } });
    assert.ok(summary);
    assert.match(summary.reading ?? '', /^read as \[N, C, L\] = 1×4×5/);
    // 4 channels in 2 groups → 2 outputs; L: (5 − 1)·2 + 3 = 11.
    assert.deepEqual([summary.example?.inputShape, summary.example?.outputShape, summary.outputSize], [[1, 4, 5], [1, 2, 11], [11]]);
  });

  it('Inspect Layer opens a grouped nn.Conv1d in the volume panel, one channel per group', async () => {
    const editor = await editorWith('conv = nn.Conv1d(4, 4, 3, groups=2, padding=1)\n');
    editor.selection = new vscode.Selection(0, 12, 0, 12);
    const summary = await vscode.commands.executeCommand<LayerSummary>('layerLens.inspectLayer');
    assert.ok(summary);
    assert.deepEqual([summary.panel, summary.example?.inputShape, summary.example?.outputShape], [true, [1, 2, 8], [1, 2, 8]]);
    await until('the volume panel', volumeTabs, (labels) => labels.includes('Layer Lens: conv1d'));
  });

  describe("Keras' Conv1DTranspose", () => {
    const text = [
      'model = keras.Sequential([',
      '    layers.Input(shape=(100, 16)),',
      '    layers.Conv1DTranspose(8, 3, strides=2, padding="same", output_padding=1),',
      '    layers.Conv1D(8, 3, strides=2, padding="valid"),',
      '])',
      '',
    ].join('\n');

    it('the hover gives the size from Input(shape=…), Keras’ padding rule and the shapes as Keras prints them', async () => {
      const editor = await editorWith(text);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(2, 14));
      const shown = hoverText(hovers);
      // Keras: output_padding given, 'same' pads kernel // 2 = 1: (100 − 1)·2 + 3 − 2·1 + 1 = 200.
      assert.match(shown, /Output \*\*200\*\* for an input 100 \(from the Input on line 2\)/);
      assert.match(shown, /As Keras prints it \(channels last\): `\(None, 100, 16\)` → `\(None, 200, 8\)`/);
      const next = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(3, 14)));
      // 'valid': ⌊(200 − 3) / 2⌋ + 1 = 99.
      assert.match(next, /`\(None, 200, 8\)` → `\(None, 99, 8\)`/);
    });

    it('its CodeLens runs Inspect Layer: TensorFlow’s uneven crop is refused, an even one opens the volume panel at the stated length (cut to 64)', async () => {
      const editor = await editorWith(text);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
      const inspect = lenses.find((lens) => lens.range.start.line === 2 && lens.command?.title.endsWith('Inspect'));
      assert.ok(inspect?.command, `an Inspect lens on line 3 among ${lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`).join(', ')}`);
      const summary = await vscode.commands.executeCommand<LayerSummary>(inspect.command.command, ...(inspect.command.arguments ?? []));
      assert.ok(summary);
      // Kernel 3, stride 2, 'same', output_padding 1: TensorFlow crops its full output 0 before and 1
      // after, which PyTorch's padding (both ends alike) cannot: no panel (kerasTerms.ts).
      assert.deepEqual([summary.panel, summary.example], [false, undefined]);
      // Kernel 4 crops 1 at each end: padding 1, output_padding 0, (64 − 1)·2 − 2 + 4 = 128 = 2·64, as Keras' 'same'.
      const even = await editorWith(text.replace('Conv1DTranspose(8, 3, strides=2, padding="same", output_padding=1)', 'Conv1DTranspose(8, 4, strides=2, padding="same")'));
      const evenSummary = await vscode.commands.executeCommand<LayerSummary>('layerLens.inspectLayer', { uri: even.document.uri.toString(), position: { line: 2, character: 12 } });
      assert.deepEqual([evenSummary?.panel, evenSummary?.example?.inputShape, evenSummary?.example?.outputShape], [true, [1, 1, 64], [1, 1, 128]]);
      await until('the volume panel', volumeTabs, (labels) => labels.includes('Layer Lens: convTranspose1d'));
    });
  });
});
