import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { convTranspose2d } from '../../src/core/engine/index';
import { tensor } from '../../src/core/engine/tensor';
import { samples, until, openUntitled } from './support';

const COMMAND = 'layerLens.transposedConvolution';

interface Result {
  shape: number[];
  data: number[];
}

function transposedPanelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('layerLens.panel')),
  );
}

describe('layerLens.transposedConvolution', () => {
  afterEach(async () => {
    await vscode.workspace.getConfiguration('layerLens').update('maxOutputElements', undefined, vscode.ConfigurationTarget.Global);
  });

  it('computes the textbook case from arguments and returns the result', async () => {
    const result = await vscode.commands.executeCommand<Result>(COMMAND, {
      input: [[1, 2], [3, 4]],
      kernel: [[1, 1], [1, 1]],
      stride: 1,
    });
    assert.deepEqual(result, { shape: [3, 3], data: [1, 3, 2, 4, 10, 6, 3, 7, 4] });
  });

  it('opens one transposed-convolution panel and reuses it', async () => {
    await vscode.commands.executeCommand(COMMAND, { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]], stride: 1 });
    await vscode.commands.executeCommand(COMMAND, { input: [[5]], kernel: [[1, 2], [3, 4]], stride: 2 });
    const tabs = transposedPanelTabs();
    assert.equal(tabs.length, 1, `expected one transposed-convolution panel, found ${tabs.length}`);
    assert.equal(tabs[0]?.label, 'Layer Lens: Transposed Convolution');
  });

  it('opens its panel while it asks for the stride, and closes it again when the question is dismissed', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const running = vscode.commands.executeCommand<Result | undefined>(COMMAND, { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]] });
    await until('the panel to open while the stride box is up', () => transposedPanelTabs().length, (n) => n === 1);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await running, undefined);
    await until('the panel opened for the dismissed question to close', () => transposedPanelTabs().length, (n) => n === 0);
  });

  it('draws the answer in the panel it opened early', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const running = vscode.commands.executeCommand<Result | undefined>(COMMAND, { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]] });
    await until('the panel to open while the stride box is up', () => transposedPanelTabs().length, (n) => n === 1);
    // Accepts the stride box as it stands: the default stride, 2, so the pastes do not overlap.
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.deepEqual(await running, { shape: [4, 4], data: [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4] });
    assert.equal(transposedPanelTabs().length, 1);
  });

  it('checks the stride as it is typed: Enter on one whose output PyTorch refuses, or the size setting, does nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const settled = (running: Thenable<unknown>) => Promise.race([Promise.resolve(running).then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 800))]);
    // Padding 2 on a 2×2 input with a 2×2 kernel leaves no output at the offered stride, 2: H_out = (2 − 1)·2 − 2·2 + 1·(2 − 1) + 0 + 1 = 0.
    const refused = vscode.commands.executeCommand<Result | undefined>(COMMAND, { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]], padding: 2 });
    await until('the panel to open while the stride box is up', () => transposedPanelTabs().length, (n) => n === 1);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await settled(refused), false, 'Enter on a stride PyTorch refuses ran the command');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await refused, undefined);

    // An output over layerLens.maxOutputElements (4×4 = 16 values over 4) is refused in the box too.
    await vscode.workspace.getConfiguration('layerLens').update('maxOutputElements', 4, vscode.ConfigurationTarget.Global);
    const tooLarge = vscode.commands.executeCommand<Result | undefined>(COMMAND, { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]] });
    await until('the panel to open while the stride box is up', () => transposedPanelTabs().length, (n) => n === 1);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await settled(tooLarge), false, 'Enter on a stride whose output is over the size setting ran the command');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await tooLarge, undefined);
  });

  it('reads the input from the literal around the cursor', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(samples, 'textbook.py'));
    const editor = await vscode.window.showTextDocument(document);
    const line = document.lineAt(4); // x = [[1, 2], [3, 4]]
    assert.match(line.text, /^x = /);
    editor.selection = new vscode.Selection(4, 10, 4, 10);
    const result = await vscode.commands.executeCommand<Result>(COMMAND, { kernel: '[[1, 1], [1, 1]]', stride: 1 });
    assert.deepEqual(result, { shape: [3, 3], data: [1, 3, 2, 4, 10, 6, 3, 7, 4] });
  });

  it('explains a malformed literal at the cursor instead of computing', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(samples, 'textbook.py'));
    const editor = await vscode.window.showTextDocument(document);
    const line = document.lineAt(13); // ragged = [[1, 2], [3]]
    assert.match(line.text, /^ragged = /);
    editor.selection = new vscode.Selection(13, 12, 13, 12);
    const result = await vscode.commands.executeCommand(COMMAND, { kernel: [[1]], stride: 1 });
    assert.equal(result, undefined);
  });

  it('reads the input from a selection, and matrices given as text in any notation', async () => {
    const document = await openUntitled('json', '{"a": [[1, 2], [3, 4]]}');
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 6, 0, 22);
    assert.equal(document.getText(editor.selection), '[[1, 2], [3, 4]]');
    const result = await vscode.commands.executeCommand<Result>(COMMAND, { kernel: '[1 1; 1 1]', stride: [1, 1] });
    assert.deepEqual(result, { shape: [3, 3], data: [1, 3, 2, 4, 10, 6, 3, 7, 4] });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('applies stride, padding, output padding and dilation like PyTorch', async () => {
    // F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1) with w = arange(1, 10).reshape(3, 3)
    const result = await vscode.commands.executeCommand<Result>(COMMAND, {
      input: [[1, 2], [3, 4]],
      kernel: [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
      stride: 2,
      padding: 1,
      outputPadding: 1,
    });
    // Computed with PyTorch 1.13 (Debian python3-torch), float64.
    assert.deepEqual(result, { shape: [4, 4], data: [5, 14, 10, 12, 14, 36, 24, 30, 15, 34, 20, 24, 24, 55, 32, 36] });
  });

  it('returns nothing for parameters PyTorch rejects', async () => {
    const result = await vscode.commands.executeCommand<Result | undefined>(COMMAND, {
      input: [[1, 2], [3, 4]],
      kernel: [[1, 1], [1, 1]],
      stride: 1,
      outputPadding: 2,
    });
    assert.equal(result, undefined);
  });

  it('returns nothing for malformed arguments', async () => {
    for (const args of [{ input: [[1, 2], [3]], kernel: [[1]], stride: 1 }, { input: [[1]], kernel: [[1]], stride: 'two' }, { bogus: 1 }]) {
      const result = await vscode.commands.executeCommand<Result | undefined>(COMMAND, args);
      assert.equal(result, undefined, `expected ${JSON.stringify(args)} to be refused`);
    }
  });

  it('computes a large transposed convolution in the worker, leaving the extension host free', async () => {
    // 300×300 ones × 96×96 ones: 829 million multiply-adds but few values to pass around, so the
    // computation, not the marshalling of arguments and results, is what could block the host.
    const input = Array.from({ length: 300 }, () => new Array<number>(300).fill(1));
    const kernel = Array.from({ length: 96 }, () => new Array<number>(96).fill(1));
    // How long the computation alone blocks a thread, measured here on the host's own thread.
    const inlineStarted = Date.now();
    convTranspose2d(tensor([300, 300], new Float64Array(90_000).fill(1)), tensor([96, 96], new Float64Array(9216).fill(1)), { stride: 1 });
    const inlineMs = Date.now() - inlineStarted;
    // The longest the host's event loop then goes without running a timer, during the command.
    let last = Date.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      longestGap = Math.max(longestGap, Date.now() - last);
      last = Date.now();
    }, 5);
    const result = await vscode.commands.executeCommand<Result>(COMMAND, { input, kernel, stride: 1 });
    clearInterval(timer);
    // A host blocked until the end never ran the timer at all: count the time since its last run.
    longestGap = Math.max(longestGap, Date.now() - last);
    assert.deepEqual(result?.shape, [395, 395]);
    // In the interior every output cell receives all 96 × 96 pastes of 1.
    assert.equal(result?.data[197 * 395 + 197], 9216);
    assert.equal(result?.data[0], 1);
    assert.ok(longestGap < inlineMs / 2, `the host's event loop stalled for ${longestGap} ms; the computation alone takes ${inlineMs} ms`);
  });

  it('refuses outputs larger than layerLens.maxOutputElements, and applies the setting live', async () => {
    const args = { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]], stride: 1 };
    await vscode.workspace.getConfiguration('layerLens').update('maxOutputElements', 8, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand(COMMAND, args), undefined);
    await vscode.workspace.getConfiguration('layerLens').update('maxOutputElements', 9, vscode.ConfigurationTarget.Global);
    assert.deepEqual((await vscode.commands.executeCommand<Result>(COMMAND, args))?.shape, [3, 3]);
  });

  it('takes [C, H, W] and [N, C, H, W] inputs with [C_in, C_out/groups, kH, kW] weights, and groups, like PyTorch', async () => {
    const x = [[[1, 2, 0], [0, 1, 3], [2, 0, 1]], [[0, 1, 1], [2, 0, 0], [1, 1, 2]]];
    const w = [[[[1, 0], [0, 1]], [[1, 1], [1, 1]]], [[[2, -1], [0, 1]], [[0, 1], [-1, 0]]]];
    const flat = (nested: unknown): number[] => (Array.isArray(nested) ? nested.flatMap(flat) : [nested as number]);
    const engine = (input: unknown, inputShape: number[], groups: number) =>
      convTranspose2d(tensor(inputShape, flat(input)), tensor([2, 2, 2, 2], flat(w)), { stride: 2, groups });
    const image = await vscode.commands.executeCommand<Result>(COMMAND, { input: x, kernel: w, stride: 2 });
    const expected = engine(x, [2, 3, 3], 1);
    assert.deepEqual(image, { shape: expected.shape, data: [...expected.data] });
    assert.deepEqual(image?.shape, [2, 6, 6]);
    const batch = await vscode.commands.executeCommand<Result>(COMMAND, { input: [x, x], kernel: w, stride: 2, groups: 2 });
    const grouped = engine([x, x], [2, 2, 3, 3], 2);
    assert.deepEqual(batch, { shape: grouped.shape, data: [...grouped.data] });
    assert.deepEqual(batch?.shape, [2, 4, 6, 6]);
    // A matrix beside a weight of one input channel is that one channel.
    const single = await vscode.commands.executeCommand<Result>(COMMAND, { input: [[1, 2], [3, 4]], kernel: [[[[1, 1], [1, 1]], [[1, 0], [0, 1]]]], stride: 1 });
    assert.deepEqual(single?.shape, [2, 3, 3]);
    assert.deepEqual(single?.data.slice(0, 9), [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });

  it('reads a torch.tensor literal with channels at the cursor, and refuses channels that do not fit', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(samples, 'channels.py'));
    const editor = await vscode.window.showTextDocument(document);
    assert.match(document.lineAt(7).text, /^x = torch\.tensor/);
    editor.selection = new vscode.Selection(7, 20, 7, 20);
    const result = await vscode.commands.executeCommand<Result>(COMMAND, { kernel: [[[[1]], [[1]]], [[[1]], [[1]]]], stride: 1 });
    assert.deepEqual(result?.shape, [2, 3, 3]);
    // Every output channel sums both input channels with weight 1.
    assert.deepEqual(result?.data.slice(0, 3), [1, 3, 1]);
    for (const kernel of [[[[[1]]], [[[1]]], [[[1]]]], [[[1, 1]], [[1, 1]]]]) {
      assert.equal(await vscode.commands.executeCommand(COMMAND, { kernel, stride: 1 }), undefined, `kernel ${JSON.stringify(kernel)} must be refused`);
    }
    assert.equal(await vscode.commands.executeCommand(COMMAND, { kernel: [[[[1]], [[1]]], [[[1]], [[1]]]], stride: 1, groups: 3 }), undefined);
  });
});
