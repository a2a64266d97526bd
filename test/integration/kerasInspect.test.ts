/**
 * Inspect Layer on Keras' 2-D layers in the real extension host: Conv2D, the pools and UpSampling2D
 * open the layer panel where PyTorch's terms give exactly Keras' result, at the size a channels-last
 * `keras.Input(shape=(32, 32, 3))` gives; the rest is summed up in a notification that says why;
 * Conv2DTranspose opens the transposed-convolution panel when PyTorch's padding crops as TensorFlow
 * does. Expected sizes by Keras' conv_utils (conv_output_length, deconv_output_length); values of the
 * transposed example by TensorFlow's conv2d_transpose crop (⌊total / 2⌋ before).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LayerSummary } from '../../src/host/layer/inspectLayer';
import { infosDuring, openUntitled, until } from './support';

const text = [
  'from tensorflow import keras',
  'from tensorflow.keras import layers',
  'model = keras.Sequential([',
  '    keras.Input(shape=(32, 32, 3)),',
  '    layers.Conv2D(64, 3, padding="same"),',
  '    layers.MaxPooling2D(),',
  '    layers.Conv2D(64, 3, strides=2, padding="same"),',
  '    layers.AveragePooling2D(2, padding="same"),',
  '    layers.UpSampling2D(size=2, interpolation="bilinear"),',
  '    layers.MaxPooling2D(2, strides=1, padding="same"),',
  '    layers.Conv2DTranspose(16, 4, strides=2, padding="same"),',
  '    layers.Conv2DTranspose(8, 3, strides=2, padding="same"),',
  '    layers.UpSampling2D(2, interpolation="bicubic"),',
  '])',
  '',
].join('\n');

/** The place of a line's layer call (0-based line), as the CodeLens passes it. */
const at = (document: vscode.TextDocument, line: number) => ({ uri: document.uri.toString(), position: { line, character: 12 } });

function tabs(viewType: string): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType)).map((t) => t.label);
}

describe("Inspect Layer on Keras' 2-D layers", () => {
  let document: vscode.TextDocument;
  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    document = await openUntitled('python', text);
    await vscode.window.showTextDocument(document);
  });
  after(async () => {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the layer panel on Conv2D, the pools and UpSampling2D at the sizes Input(shape=(32, 32, 3)) gives, channels last', async () => {
    const cases: [number, string, number[], number[]][] = [
      // 'same' at stride 1; pool 2 (Keras' default) with its stride; 'same' at stride 2: ⌈16 / 2⌉, (8 − 1)·2 + 3 − 16 = 1
      // padded, after (the engine's 'keras-same').
      [4, 'Layer Lens: Convolution', [32, 32], [32, 32]],
      [5, 'Layer Lens: Max pooling', [32, 32], [16, 16]],
      [6, 'Layer Lens: Convolution', [16, 16], [8, 8]],
      [7, 'Layer Lens: Average pooling', [8, 8], [4, 4]],
      [8, 'Layer Lens: Upsampling', [4, 4], [8, 8]],
    ];
    for (const [line, label, input, output] of cases) {
      const summary = await vscode.commands.executeCommand<LayerSummary>('layerLens.inspectLayer', at(document, line));
      assert.ok(summary, `a summary for line ${line + 1}`);
      assert.deepEqual([summary.panel, summary.inputSize, summary.outputSize], [true, input, output], `line ${line + 1}: ${summary.layer}`);
      await until(`the layer panel on line ${line + 1}`, () => tabs('layerLens.gather'), (labels) => labels.includes(label));
    }
  });

  it('sums up, with the reason, what PyTorch’s terms cannot give exactly: a pool\'s uneven \'same\' at stride 1, an uneven transposed crop, bicubic', async () => {
    const refused = async (line: number) => {
      const { result, infos } = await infosDuring(() => vscode.commands.executeCommand<LayerSummary>('layerLens.inspectLayer', at(document, line)));
      assert.equal(result?.panel, false, `line ${line + 1} opened a panel`);
      assert.equal(infos.length, 1, JSON.stringify(infos));
      return infos[0] ?? '';
    };
    // Pool 2 at stride 1 on 8: 1 padded, after, and ceil_mode adds no window at stride 1; Keras' size is still given.
    assert.match(await refused(9), /layers\.MaxPooling2D \(Untitled-\d+, line 10\): 8×8 → 8×8 .*Keras' 'same' padding pads 1 along axis 1 \(height\) for an input of 8×8, one more after than before/);
    assert.match(await refused(11), /layers\.Conv2DTranspose \(Untitled-\d+, line 12\) cannot be run on an example: Keras crops its full output unevenly along axis 1 \(height\): 0 before and 1 after/);
    assert.match(await refused(12), /interpolation='bicubic' is not one Layer Lens computes as Keras does/);
  });

  it('Conv2DTranspose with an even crop opens the transposed panel with TensorFlow’s values and deconv_output_length’s size; its CodeLens too', async () => {
    const summary = await vscode.commands.executeCommand<LayerSummary>('layerLens.inspectLayer', at(document, 10));
    assert.deepEqual([summary?.panel, summary?.inputSize, summary?.outputSize], [true, [8, 8], [16, 16]]);
    const copied = await vscode.commands.executeCommand<string>('layerLens.copy', { kind: 'matrix', matrix: 'output', format: 'json' });
    // Ones through kernel 4, stride 2: the full output's counts per axis are 1 1 2 … 2 1 1 (18); Keras
    // keeps 16 of them, one cropped at each end.
    const axis = [1, ...new Array<number>(14).fill(2), 1];
    assert.deepEqual(JSON.parse(copied ?? '[]'), axis.map((a) => axis.map((b) => a * b)));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 20);
    const inspect = (line: number) => lenses.find((lens) => lens.range.start.line === line && lens.command?.title.endsWith('Inspect'))?.command;
    const even = inspect(10);
    assert.ok(even, `an Inspect lens on line 11 among ${lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`).join(', ')}`);
    const viaLens = await vscode.commands.executeCommand<LayerSummary>(even.command, ...(even.arguments ?? []));
    assert.equal(viaLens?.panel, true);
    const uneven = inspect(11);
    assert.ok(uneven);
    const { result } = await infosDuring(() => vscode.commands.executeCommand<LayerSummary>(uneven.command, ...(uneven.arguments ?? [])));
    assert.equal(result?.panel, false);
  });

  it('the hover prints a 2-D layer’s shapes as Keras does: (None, H, W, C)', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(4, 14));
    const shown = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(shown, /As Keras prints it \(channels last\): `\(None, 32, 32, 3\)` → `\(None, 32, 32, 64\)`/);
    const pool = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(5, 14));
    assert.match(pool.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n'), /`\(None, 32, 32, 64\)` → `\(None, 16, 16, 64\)`/);
    // The transposed convolutions: the link to step through the layer only where PyTorch's padding crops as TensorFlow.
    const hoverAt = async (line: number) => (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, 14))).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(await hoverAt(10), /Inspect in Layer Lens/);
    const uneven = await hoverAt(11);
    assert.match(uneven, /`\(None, 16, 16, 16\)` → `\(None, 32, 32, 8\)`/);
    assert.doesNotMatch(uneven, /Inspect in Layer Lens/);
  });
});
