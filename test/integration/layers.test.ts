import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { config, open, openUntitled, until } from './support';

interface Result {
  shape: number[];
  data: number[];
}

const grid4 = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];

function layerTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.gather')));
}

/** Accepts what the open quick pick or input box offers (its first item, or the default value). */
async function accept(): Promise<void> {
  // The quick input takes a moment to appear after the command asks.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

function assertClose(actual: Result | undefined, expected: Result): void {
  assert.ok(actual, 'expected a result');
  assert.deepEqual(actual.shape, expected.shape);
  actual.data.forEach((v, i) => assert.ok(Math.abs(v - (expected.data[i] as number)) <= 1e-9, `value ${i}: ${v} vs ${expected.data[i]}`));
}

// Expected values computed with PyTorch 1.13 (Debian python3-torch), float64.
describe('layerLens.convolution, .pool, .upsample, .pixelShuffle', () => {
  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  afterEach(async () => {
    await config().update('maxOutputElements', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Convolution: F.conv2d from arguments, in the layer panel', async () => {
    const result = await vscode.commands.executeCommand<Result>('layerLens.convolution', { input: grid4, kernel: [[1, 0], [0, -1]], stride: 2, padding: 1 });
    assert.deepEqual(result, { shape: [3, 3], data: [-1, -3, 0, -9, -5, 8, 0, 14, 16] });
    await until('the layer panel', () => layerTabs().map((t) => t.label), (labels) => labels.includes('Layer Lens: Convolution'));
  });

  it('Convolution: "same" padding and channels with groups', async () => {
    const same = await vscode.commands.executeCommand<Result>('layerLens.convolution', { input: grid4, kernel: [[1, 1, 1], [1, 1, 1], [1, 1, 1]], padding: 'same' });
    assert.deepEqual(same?.shape, [4, 4]);
    assert.equal(same?.data[0], 1 + 2 + 5 + 6);
    // Depthwise: two channels, groups 2, a [2, 1, 1, 1] weight scaling each channel.
    const depthwise = await vscode.commands.executeCommand<Result>('layerLens.convolution', { input: [[[1, 2]], [[3, 4]]], kernel: [[[[10]]], [[[100]]]], groups: 2 });
    assert.deepEqual(depthwise, { shape: [2, 1, 2], data: [10, 20, 300, 400] });
  });

  it('Convolution from the palette: a kernel larger than the input asks for the padding it needs', async () => {
    const document = await openUntitled('python', 'x = [[1, 2], [3, 4]]\nk3 = [[1, 1, 1], [1, 1, 1], [1, 1, 1]]\n');
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 6, 0, 6);
    const running = vscode.commands.executeCommand<Result | undefined>('layerLens.convolution');
    try {
      await accept(); // the kernel: k3, the one other literal
      await accept(); // the padding offered: 1, the least that fits a 3×3 kernel on a 2×2 input
      await accept(); // the stride: 1
      const result = await Promise.race([running, new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 3_000))]);
      // Every 3×3 window of the zero-padded input covers the whole input: 1 + 2 + 3 + 4.
      assert.deepEqual(result, { shape: [2, 2], data: [10, 10, 10, 10] });
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('Pool: max and average pooling from arguments, count_include_pad as PyTorch', async () => {
    const max = await vscode.commands.executeCommand<Result>('layerLens.pool', { input: grid4, kind: 'max', kernelSize: 3, stride: 2, padding: 1 });
    assert.deepEqual(max, { shape: [2, 2], data: [6, 8, 14, 16] });
    const average = await vscode.commands.executeCommand<Result>('layerLens.pool', { input: grid4, kind: 'average', kernelSize: 3, stride: 2, padding: 1, countIncludePad: false });
    assert.deepEqual(average, { shape: [2, 2], data: [3.5, 5, 9.5, 11] });
    await until('the layer panel to show average pooling', () => layerTabs().map((t) => t.label), (labels) => labels.includes('Layer Lens: Average pooling'));
  });

  it('Pool: asks the kind and the window when they are not given (first choice: max, window 2)', async () => {
    const running = vscode.commands.executeCommand<Result | undefined>('layerLens.pool', { input: grid4 });
    await accept();
    await accept();
    assert.deepEqual(await running, { shape: [2, 2], data: [6, 8, 14, 16] });
  });

  it('Upsample: nearest and bilinear from arguments, and the mode and scale asked from the palette', async () => {
    const bilinear = await vscode.commands.executeCommand<Result>('layerLens.upsample', { input: [[1, 2], [3, 4]], mode: 'bilinear', scaleFactor: 1.5 });
    assertClose(bilinear, { shape: [3, 3], data: [1, 1.5, 2, 1.9999999999999998, 2.5, 3, 3, 3.5, 4] });
    const sized = await vscode.commands.executeCommand<Result>('layerLens.upsample', { input: [[1, 2]], size: [1, 4] });
    assert.deepEqual(sized, { shape: [1, 4], data: [1, 1, 2, 2] });
    // From the palette, with the cursor in `x = [[1, 2], [3, 4]]` of textbook.py: nearest, scale 2.
    const document = await open('textbook.py');
    const editor = vscode.window.activeTextEditor as vscode.TextEditor;
    assert.equal(editor.document, document);
    editor.selection = new vscode.Selection(4, 8, 4, 8);
    const running = vscode.commands.executeCommand<Result | undefined>('layerLens.upsample');
    await accept();
    await accept();
    assert.deepEqual(await running, { shape: [4, 4], data: [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4] });
  });

  it('Pixel Shuffle: [C·r², H, W] → [C, H·r, W·r], and the factor offered is one the channels allow', async () => {
    const input = [[[0]], [[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]]];
    const result = await vscode.commands.executeCommand<Result>('layerLens.pixelShuffle', { input, upscaleFactor: 2 });
    assert.deepEqual(result, { shape: [2, 2, 2], data: [0, 1, 2, 3, 4, 5, 6, 7] });
    const running = vscode.commands.executeCommand<Result | undefined>('layerLens.pixelShuffle', { input });
    await accept();
    assert.deepEqual(await running, result);
    await until('the layer panel to show pixel shuffle', () => layerTabs().map((t) => t.label), (labels) => labels.includes('Layer Lens: Pixel shuffle'));
  });

  it('returns nothing for what PyTorch refuses and for malformed arguments', async () => {
    const refused: [string, object][] = [
      ['layerLens.convolution', { input: [[1, 2], [3, 4]], kernel: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] }],
      ['layerLens.convolution', { input: [[1, 2], [3, 4]], kernel: [[1]], stride: 0 }],
      ['layerLens.pool', { input: grid4, kind: 'max', kernelSize: 2, padding: 2 }],
      ['layerLens.upsample', { input: [[1, 2]], mode: 'nearest', scaleFactor: 2, alignCorners: true }],
      ['layerLens.pixelShuffle', { input: [[1, 2], [3, 4]], upscaleFactor: 2 }],
      ['layerLens.pool', { input: grid4, kind: 'median', kernelSize: 2 }],
      ['layerLens.upsample', { input: [[1, 2], [3]], scaleFactor: 2 }],
      ['layerLens.convolution', { input: grid4, kernel: [[1]], bias: [1] }],
    ];
    for (const [command, args] of refused) {
      assert.equal(await vscode.commands.executeCommand(command, args), undefined, `${command} ${JSON.stringify(args)} should be refused`);
    }
  });

  it('refuses an output larger than layerLens.maxOutputElements, applying the setting live', async () => {
    await config().update('maxOutputElements', 100, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('layerLens.upsample', { input: grid4, scaleFactor: 4 }), undefined);
    await config().update('maxOutputElements', 1000, vscode.ConfigurationTarget.Global);
    const result = await vscode.commands.executeCommand<Result>('layerLens.upsample', { input: grid4, scaleFactor: 4 });
    assert.deepEqual(result?.shape, [16, 16]);
  });

  it('computes a large convolution in the engine worker and returns PyTorch’s shape', async () => {
    // 400×400 ones with a 15×15 kernel of ones: 34 million multiply-adds, above the inline limit.
    const input = Array.from({ length: 400 }, () => new Array<number>(400).fill(1));
    const kernel = Array.from({ length: 15 }, () => new Array<number>(15).fill(1));
    const result = await vscode.commands.executeCommand<Result>('layerLens.convolution', { input, kernel });
    assert.deepEqual(result?.shape, [386, 386]);
    assert.ok(result?.data.every((v) => v === 225));
  });

  it('keeps one layer panel per document', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('layerLens.pool', { input: grid4, kind: 'max', kernelSize: 2 });
    await vscode.commands.executeCommand('layerLens.upsample', { input: grid4, scaleFactor: 2 });
    await until('one layer panel', () => layerTabs().length, (n) => n === 1);
    assert.equal(layerTabs()[0]?.label, 'Layer Lens: Upsampling');
  });
});
