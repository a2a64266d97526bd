/**
 * The editor commands in the real extension host, each with its arguments object and its failure
 * notifications: Set Kernel, Inspect Layer, Show Overlap Map, Copy Result As, Solve for Size, and
 * the status bar item.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorsDuring, samples, until, openUntitled } from './support';

interface Result {
  shape: number[];
  data: number[];
}

async function closeAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled || d.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // The extension host hears of the closed untitled documents a moment later; until then a new
  // untitled document may be handed its predecessor's name and its stale TextDocument object.
  const deadline = Date.now() + 5_000;
  while (vscode.workspace.textDocuments.some((d) => d.isUntitled && !d.isClosed) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function openAt(name: string, text: string, offset = 0): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(path.join(samples, name));
  const editor = await vscode.window.showTextDocument(document);
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `"${text}" is not in ${name}`);
  const position = document.positionAt(index + offset);
  editor.selection = new vscode.Selection(position, position);
  return editor;
}

describe('layerLens.setKernel', () => {
  afterEach(closeAll);

  it('with no panel open, sets the kernel of the next Transposed Convolution (a bilinear preset)', async () => {
    await closeAll();
    const set = await vscode.commands.executeCommand<{ target: string; shape: number[]; data: number[] }>('layerLens.setKernel', { preset: 'bilinear', size: 4 });
    assert.equal(set?.target, 'next');
    assert.deepEqual(set?.shape, [4, 4]);
    assert.equal(set?.data[5], 0.5625); // 0.75 · 0.75
    const result = await vscode.commands.executeCommand<Result>('layerLens.transposedConvolution', { input: [[1]], stride: 2 });
    assert.deepEqual(result?.shape, [4, 4]);
    assert.deepEqual(result?.data, set?.data, 'the next convolution of a single 1 is the kernel itself');
  });

  it('sets the kernel of the open panel from a matrix or typed text, and the panel uses it', async () => {
    await vscode.commands.executeCommand('layerLens.transposedConvolution', { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]], stride: 1 });
    const set = await vscode.commands.executeCommand<{ target: string; shape: number[] }>('layerLens.setKernel', { kernel: '[1 0; 0 -1]' });
    assert.equal(set?.target, 'panel');
    assert.deepEqual(set?.shape, [2, 2]);
    const copied = await vscode.commands.executeCommand<string>('layerLens.copy', { kind: 'matrix', matrix: 'kernel', format: 'json' });
    assert.equal(copied?.replace(/\s+/g, ''), '[[1,0],[0,-1]]');
  });

  it('reports a bad preset parameter, a bad preset name and an unknown argument by name', async () => {
    const errors = await errorsDuring(async () => {
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { preset: 'gaussian', size: 5, sigma: 0 }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { preset: 'sharpen' }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { kernal: [[1]] }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { kernel: '[[1, 2], [3]]' }), undefined);
    });
    assert.equal(errors.length, 4, JSON.stringify(errors));
    assert.match(errors[0] ?? '', /^Layer Lens: sigma must be a positive, finite number/);
    assert.match(errors[1] ?? '', /Argument "preset" must be one of box, bilinear, gaussian/);
    assert.match(errors[2] ?? '', /Unknown argument "kernal": Set Kernel takes kernel, preset, size, sigma, seed/);
    assert.match(errors[3] ?? '', /Argument "kernel": row 2 has 1 value/);
  });

  it('refuses a kernel that does not fit the open panel’s input channels, saying why, and keeps the panel’s kernel', async () => {
    // Two input channels: a kernel for it is [2, C_out, kH, kW]; a plain matrix is one channel's.
    const input = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]];
    const kernel = [[[[1, 1], [1, 1]]], [[[1, 0], [0, 1]]]];
    await vscode.commands.executeCommand('layerLens.transposedConvolution', { input, kernel, stride: 1 });
    const errors = await errorsDuring(async () => {
      assert.equal(await vscode.commands.executeCommand('layerLens.setKernel', { kernel: '[1 0; 0 -1]' }), undefined);
    });
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0] ?? '', /input channel/);
    const copied = await vscode.commands.executeCommand<string>('layerLens.copy', { kind: 'matrix', matrix: 'kernel', format: 'json' });
    assert.equal(copied?.replace(/\s+/g, ''), '[[[[1,1],[1,1]]],[[[1,0],[0,1]]]]');
  });

  it('uses a matrix read from a document as a linked kernel', async () => {
    const editor = await openAt('textbook.py', 'x = [[1, 2], [3, 4]]', 6);
    await vscode.commands.executeCommand('layerLens.transposedConvolution', { kernel: [[1]], stride: 1 });
    void editor;
    const set = await vscode.commands.executeCommand<{ target: string; shape: number[] }>('layerLens.setKernel', { preset: 'sobelX' });
    assert.equal(set?.target, 'panel');
    const output = await vscode.commands.executeCommand<string>('layerLens.copy', { kind: 'matrix', matrix: 'output', format: 'json' });
    // [[1, 2], [3, 4]] scattered with Sobel x at stride 1: a 4×4 output; its first row is [-1, -2, 1, 2].
    assert.match(output?.replace(/\s+/g, '') ?? '', /^\[\[-1,-2,1,2\],/);
  });
});

async function untitled(language: string, content: string): Promise<vscode.TextEditor> {
  const document = await openUntitled(language, content);
  return vscode.window.showTextDocument(document);
}

function placeOf(document: vscode.TextDocument, text: string, offset = 0): { uri: string; position: { line: number; character: number } } {
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `"${text}" is not in the document`);
  const position = document.positionAt(index + offset);
  return { uri: document.uri.toString(), position: { line: position.line, character: position.character } };
}

interface Summary {
  layer: string;
  line: number;
  inputSize: number[];
  inputSource: string;
  outputSize?: number[];
  overlap?: { even: boolean; label: string };
  panel: boolean;
}

describe('layerLens.inspectLayer and layerLens.showOverlapMap', () => {
  afterEach(closeAll);

  it('inspects the layer at the cursor on an input of the size the comment above it gives', async () => {
    await openAt('dcgan_generator.py', 'nn.ConvTranspose2d(ngf * 8, ngf * 4', 5);
    const summary = await vscode.commands.executeCommand<Summary>('layerLens.inspectLayer');
    assert.equal(summary?.layer, 'nn.ConvTranspose2d');
    assert.equal(summary?.line, 17);
    assert.deepEqual(summary?.inputSize, [4, 4]);
    assert.match(summary?.inputSource ?? '', /comment on line 16/);
    assert.deepEqual(summary?.outputSize, [8, 8]);
    assert.equal(summary?.overlap?.even, true);
    assert.equal(summary?.panel, true);
    // The panel holds the example: a 4×4 input of ones.
    const input = await vscode.commands.executeCommand<string>('layerLens.copy', { kind: 'matrix', matrix: 'input', format: 'json' });
    assert.equal(JSON.parse(input ?? '[]').length, 4);
  });

  it('takes { uri, position }, opens the layer panel on convolution and pooling calls, and sums up what it cannot run', async () => {
    const editor = await untitled(
      'python',
      "import torch.nn as nn\nconv = nn.Conv2d(3, 8, 3, stride=2, padding=1)\npool = nn.MaxPool2d(2)\nup = nn.Upsample(scale_factor=2, mode='bicubic')\n",
    );
    const conv = await vscode.commands.executeCommand<Summary>('layerLens.inspectLayer', placeOf(editor.document, 'Conv2d', 2));
    assert.equal(conv?.panel, true);
    assert.deepEqual(conv?.inputSize, [32, 32]);
    assert.deepEqual(conv?.outputSize, [16, 16]);
    const layerTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('layerLens.gather'));
    await until('the layer panel on the convolution', () => layerTabs().map((t) => t.label), (labels) => labels.includes('Layer Lens: Convolution'));
    const pool = await vscode.commands.executeCommand<Summary>('layerLens.inspectLayer', placeOf(editor.document, 'MaxPool2d', 2));
    assert.equal(pool?.panel, true);
    assert.deepEqual(pool?.outputSize, [16, 16]);
    await until('the layer panel on the pooling', () => layerTabs().map((t) => t.label), (labels) => labels.includes('Layer Lens: Max pooling'));
    // Bicubic is not a mode the engine computes: summed up in a notification, no panel.
    const bicubic = await vscode.commands.executeCommand<Summary>('layerLens.inspectLayer', placeOf(editor.document, 'Upsample', 2));
    assert.equal(bicubic?.panel, false);
  });

  it('refuses an example larger than layerLens.maxOutputElements before building it (a size comment of 1 × 30000 × 30000)', async () => {
    const editor = await untitled('python', 'import torch.nn as nn\nmain = nn.Sequential(\n    # state size. 1 x 30000 x 30000\n    nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1),\n)\n');
    const errors = await errorsDuring(async () => {
      assert.equal(await vscode.commands.executeCommand('layerLens.inspectLayer', placeOf(editor.document, 'ConvTranspose2d', 2)), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.showOverlapMap', placeOf(editor.document, 'ConvTranspose2d', 2)), undefined);
    });
    assert.equal(errors.length, 2, JSON.stringify(errors));
    for (const error of errors) assert.match(error, /an example input of 30000 × 30000 .* is 900,000,000 values, more than layerLens\.maxOutputElements \(4,000,000\)/);
    // The extension host is still there and answers.
    const small = await untitled('python', 'import torch.nn as nn\nup = nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)\n');
    const summary = await vscode.commands.executeCommand<Summary>('layerLens.inspectLayer', placeOf(small.document, 'ConvTranspose2d', 2));
    assert.equal(summary?.panel, true);
  });

  it('reports no layer at the place, and a bad place argument, by name', async () => {
    const editor = await untitled('python', 'x = 1\n');
    const errors = await errorsDuring(async () => {
      assert.equal(await vscode.commands.executeCommand('layerLens.inspectLayer', placeOf(editor.document, 'x')), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.inspectLayer', { uri: editor.document.uri.toString(), position: { line: -1 } }), undefined);
    });
    assert.equal(errors.length, 2, JSON.stringify(errors));
    assert.match(errors[0] ?? '', /There is no layer call at Untitled-\d+, line 1, column 1/);
    assert.match(errors[1] ?? '', /Argument "position" must be \{ line, character \}/);
  });

  it('shows the overlap map of a layer, and of a matrix with a given kernel and stride', async () => {
    await openAt('upsampling_layers.py', 'up = nn.ConvTranspose2d', 8);
    const layer = await vscode.commands.executeCommand<{ even: boolean; label: string }>('layerLens.showOverlapMap');
    assert.equal(layer?.even, false);
    assert.match(layer?.label ?? '', /^uneven 1:2/);
    const editor = await openAt('textbook.py', 'x = [[1, 2], [3, 4]]', 6);
    const matrix = await vscode.commands.executeCommand<{ even: boolean }>('layerLens.showOverlapMap', { ...placeOf(editor.document, 'x = [[1, 2], [3, 4]]', 6), kernel: [[1, 1], [1, 1]], stride: 2 });
    assert.equal(matrix?.even, true);
    const errors = await errorsDuring(() => vscode.commands.executeCommand('layerLens.showOverlapMap', placeOf(editor.document, '# Expected output')));
    assert.match(errors[0] ?? '', /There is no transposed convolution or matrix at textbook\.py, line 8, column 1/);
  });
});

describe('layerLens.copyResultAs', () => {
  afterEach(closeAll);

  it('copies the output of the panel in the notation asked for', async () => {
    await vscode.commands.executeCommand('layerLens.transposedConvolution', { input: [[1, 2], [3, 4]], kernel: [[1, 1], [1, 1]], stride: 1 });
    const numpy = await vscode.commands.executeCommand<string>('layerLens.copyResultAs', { format: 'numpy' });
    assert.match(numpy ?? '', /^np\.array\(\[\[1\.?0?, 3\.?0?, 2\.?0?\],/);
    assert.equal(await vscode.env.clipboard.readText(), numpy);
    const latex = await vscode.commands.executeCommand<string>('layerLens.copyResultAs', { format: 'latex' });
    assert.match(latex ?? '', /\\begin\{[pb]matrix\}/);
  });

  it('reports an unknown notation, and no panel open', async () => {
    await vscode.commands.executeCommand('layerLens.transposedConvolution', { input: [[1]], kernel: [[1]], stride: 1 });
    const errors = await errorsDuring(async () => {
      assert.equal(await vscode.commands.executeCommand('layerLens.copyResultAs', { format: 'yaml' }), undefined);
      await closeAll();
      assert.equal(await vscode.commands.executeCommand('layerLens.copyResultAs', { format: 'json' }), undefined);
    });
    assert.match(errors[0] ?? '', /Argument "format" must be one of numpy, torch, json, matlab, latex, markdown, not "yaml"/);
    assert.match(errors[1] ?? '', /no Layer Lens panel is open/);
  });
});

describe('layerLens.solveForSize', () => {
  afterEach(closeAll);

  it('lists every padding and output_padding for a wanted size, and inserts the chosen one as one undoable edit', async () => {
    const original = 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, 3, stride=2)  # keep me\n';
    const editor = await untitled('python', original);
    const place = placeOf(editor.document, 'ConvTranspose2d', 3);
    const listed = await vscode.commands.executeCommand<{ solutions: { label: string }[] }>('layerLens.solveForSize', { ...place, inputSize: 16, outputSize: 32, choose: -1 });
    assert.deepEqual(listed?.solutions.map((s) => s.label), [
      'padding=1, output_padding=1',
      'kernel_size=2, padding=0, output_padding=0',
      'kernel_size=4, padding=1, output_padding=0',
      'kernel_size=6, padding=2, output_padding=0',
    ]);
    const applied = await vscode.commands.executeCommand<{ applied: string }>('layerLens.solveForSize', { ...place, inputSize: 16, outputSize: 32, choose: 0 });
    assert.equal(applied?.applied, 'padding=1, output_padding=1');
    assert.equal(editor.document.lineAt(1).text, 'up = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)  # keep me');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original);
    await vscode.commands.executeCommand('layerLens.solveForSize', { ...place, inputSize: 16, outputSize: 32, choose: 2 });
    assert.equal(editor.document.lineAt(1).text, 'up = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)  # keep me');
  });

  it('uses the input size read from the code, and solves a convolution', async () => {
    const editor = await untitled('python', 'import torch.nn as nn\n# state size. 64 x 32 x 32\ndown = nn.Conv2d(64, 128, kernel_size=4, stride=2, padding=0)\n');
    const result = await vscode.commands.executeCommand<{ inputSize: number[]; applied: string }>('layerLens.solveForSize', { ...placeOf(editor.document, 'Conv2d'), outputSize: 16, choose: 0 });
    assert.deepEqual(result?.inputSize, [32, 32]);
    assert.equal(result?.applied, 'padding=1');
    assert.equal(editor.document.lineAt(2).text, 'down = nn.Conv2d(64, 128, kernel_size=4, stride=2, padding=1)');
  });

  it('says when no padding reaches the size, and refuses Keras layers and bad arguments by name', async () => {
    const editor = await untitled('python', 'import torch.nn as nn\nfrom tensorflow.keras import layers\nup = nn.ConvTranspose2d(16, 8, 3, stride=2)\nk = layers.Conv2DTranspose(8, 3, strides=2)\n');
    const errors = await errorsDuring(async () => {
      assert.equal(await vscode.commands.executeCommand('layerLens.solveForSize', { ...placeOf(editor.document, 'nn.ConvTranspose2d'), inputSize: 4, outputSize: 100 }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.solveForSize', { ...placeOf(editor.document, 'Conv2DTranspose'), outputSize: 64 }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.solveForSize', { ...placeOf(editor.document, 'nn.ConvTranspose2d'), outputSize: 'big' }), undefined);
      assert.equal(await vscode.commands.executeCommand('layerLens.solveForSize', { ...placeOf(editor.document, 'nn.ConvTranspose2d'), inputSize: 16, outputSize: 32, choose: 9 }), undefined);
    });
    assert.equal(errors.length, 4, JSON.stringify(errors));
    assert.match(errors[0] ?? '', /No padding, output_padding or even kernel size gives nn\.ConvTranspose2d at Untitled-\d+, line 3 an output of 100 from 4/);
    assert.match(errors[1] ?? '', /is a Keras layer, whose padding is 'same' or 'valid'/);
    assert.match(errors[2] ?? '', /Argument "outputSize" must be a number or a pair/);
    assert.match(errors[3] ?? '', /Argument "choose" must be an index from 0 to 3/);
  });
});

describe('editor commands in other documents', () => {
  afterEach(closeAll);

  it('untitled file: hover, CodeLens, Inspect Layer and Transposed Convolution at the cursor', async () => {
    const editor = await untitled('python', 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)\nx = [[1, 2], [3, 4]]\n');
    const document = editor.document;
    const layer = placeOf(document, 'ConvTranspose2d', 2).position;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(layer.line, layer.character));
    assert.match(hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n'), /Overlap: even/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['$(layers) Inspect', 'Overlap: even', '$(layers) Inspect 2×2']);
    editor.selection = new vscode.Selection(layer.line, layer.character, layer.line, layer.character);
    assert.deepEqual((await vscode.commands.executeCommand<Summary>('layerLens.inspectLayer'))?.outputSize, [64, 64]);
    // The layer's size is the assumed default (32×32); the panel's example is cut to 8×8, to fit the view.
    const example = await vscode.commands.executeCommand<string>('layerLens.copy', { kind: 'matrix', matrix: 'input', format: 'json' });
    assert.deepEqual(JSON.parse(example ?? '[]').map((row: unknown[]) => row.length), [8, 8, 8, 8, 8, 8, 8, 8]);
    await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(2, 6, 2, 6);
    const result = await vscode.commands.executeCommand<Result>('layerLens.transposedConvolution', { kernel: [[1, 1], [1, 1]], stride: 1 });
    assert.deepEqual(result?.data, [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });

  it('LaTeX: hover, CodeLens and Transposed Convolution on a bmatrix', async () => {
    const editor = await openAt('notes.tex', '\\begin{bmatrix} 1 & 2', 16);
    const document = editor.document;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, editor.selection.active);
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /Matrix 2×2/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
    assert.ok(lenses.some((l) => l.command?.title.includes('Inspect 2×2')), JSON.stringify(lenses.map((l) => l.command?.title)));
    const result = await vscode.commands.executeCommand<Result>('layerLens.transposedConvolution', { kernel: [[1, 1], [1, 1]], stride: 1 });
    assert.deepEqual(result?.data, [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });

  it('Markdown file: Inspect Layer in a fenced Python block, a hover over the inline NumPy literal', async () => {
    const editor = await openAt('notes.md', 'up = nn.ConvTranspose2d', 8);
    const summary = await vscode.commands.executeCommand<Summary>('layerLens.inspectLayer');
    assert.equal(summary?.overlap?.even, false);
    assert.equal(summary?.panel, true);
    const at = placeOf(editor.document, 'np.array([[1, 2, 1]', 12).position;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(at.line, at.character));
    assert.match(hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n'), /Matrix 3×3/);
  });

  it('Jupyter notebook cells: hover, CodeLens, Inspect Layer and Solve for Size in a cell of an .ipynb', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path.join(samples, 'checkerboard.ipynb')));
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.getCells().find((c) => c.document.getText().includes('ConvTranspose2d'));
    assert.ok(cell, 'the notebook has a cell with a layer');
    const document = cell.document;
    assert.equal(document.uri.scheme, 'vscode-notebook-cell');
    assert.equal(document.languageId, 'python');
    const place = placeOf(document, 'up = nn.ConvTranspose2d', 8);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(place.position.line, place.position.character));
    assert.match(hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n'), /uneven/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
    assert.ok(lenses.some((l) => /Overlap: uneven/.test(l.command?.title ?? '')));
    const summary = await vscode.commands.executeCommand<Summary>('layerLens.inspectLayer', place);
    assert.equal(summary?.panel, true);
    const solved = await vscode.commands.executeCommand<{ solutions: unknown[] }>('layerLens.solveForSize', { ...place, inputSize: 16, outputSize: 32, choose: -1 });
    assert.equal(solved?.solutions.length, 4);
  });
});

describe('walkthrough', () => {
  afterEach(closeAll);

  const extension = () => {
    const found = vscode.extensions.all.find((e) => e.packageJSON?.name === 'layer-lens');
    assert.ok(found, 'Layer Lens is loaded');
    return found;
  };

  it('declares three steps whose media exist and whose completion commands are registered', async () => {
    const { extensionUri, packageJSON } = extension();
    const [walkthrough] = packageJSON.contributes.walkthroughs as { id: string; steps: { media: { markdown: string }; completionEvents: string[]; description: string }[] }[];
    assert.equal(walkthrough?.steps.length, 3);
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const step of walkthrough?.steps ?? []) {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extensionUri, step.media.markdown));
      for (const event of step.completionEvents) assert.ok(commands.has(event.replace(/^onCommand:/, '')), `${event} names a registered command`);
      for (const [, command, args] of step.description.matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)) {
        assert.ok(commands.has(command as string), `${command} is registered`);
        if (args) assert.ok(Array.isArray(JSON.parse(decodeURIComponent(args))), `${command}'s link arguments are a JSON array`);
      }
    }
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extension().id}#${walkthrough?.id}`, false);
  });

  it('opens the textbook example untitled, with the cursor in x, and each step’s link does what it says', async () => {
    const uri = await vscode.commands.executeCommand<string>('layerLens.openTextbookExample');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri);
    assert.equal(editor?.document.isUntitled, true);
    assert.equal(editor?.document.languageId, 'python');
    assert.match(editor?.document.lineAt(editor.selection.active.line).text ?? '', /^x = \[\[1, 2\], \[3, 4\]\]/);
    const result = await vscode.commands.executeCommand<Result>('layerLens.transposedConvolution', { kernel: [[1, 1], [1, 1]], stride: 1 });
    assert.deepEqual(result?.data, [1, 3, 2, 4, 10, 6, 3, 7, 4]);
    const ones = (n: number) => Array.from({ length: n }, () => new Array<number>(n).fill(1));
    const overlap = await vscode.commands.executeCommand<{ even: boolean; label: string }>('layerLens.showOverlapMap', { input: ones(4), kernel: ones(3), stride: 2 });
    assert.equal(overlap?.even, false);
  });
});
