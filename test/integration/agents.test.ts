/**
 * Layer Lens's tools for the chat agent, in the real extension host: `vscode.lm.tools` lists them
 * with package.json's schemas, and `vscode.lm.invokeTool` (no language model needed; VS Code calls
 * `prepareInvocation`, then `invoke`) answers each with the text for the model and the structured
 * result. VS Code does not check the input against the schema, so the tools do: bad input and a
 * layer PyTorch refuses come back as errors in words. Also: the diagnostics the editor shows on a
 * model file are exactly what `layer-lens check` prints for it (one source, src/core/insight/documentDiagnostics.ts).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { checkFile, checkText } from '../../src/cli/check';
import { analyzeModel } from '../../src/core/model/analyzeModel';
import { auditCheckpoint } from '../../src/core/checkpoint/audit';
import { readCheckpoint } from '../../src/core/checkpoint/read';
import { writeGoldenCheckpoints } from '../unit/tools/goldenCheckpoints';
import { samples, until } from './support';

const TOOL_NAMES = ['layer_output_shape', 'solve_layer_size', 'check_checkerboard', 'inspect_model', 'audit_checkpoint', 'compute_layer'];

/** The parts of a tool result: text parts as strings, JSON data parts (`LanguageModelDataPart.json`, mime type text/x-json) parsed. */
function partsOf(result: vscode.LanguageModelToolResult): unknown[] {
  return result.content.map((part) => {
    if (part instanceof vscode.LanguageModelTextPart) return part.value;
    const data = part as { mimeType?: string; data?: Uint8Array };
    if (data.mimeType !== undefined && /json/.test(data.mimeType) && data.data) return JSON.parse(new TextDecoder().decode(data.data)) as unknown;
    return part;
  });
}

async function invoke(name: string, input: object): Promise<[string, unknown]> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const parts = partsOf(result);
  assert.equal(parts.length, 2, JSON.stringify(parts));
  assert.equal(typeof parts[0], 'string');
  // The structured result: a JSON data part, or JSON text where VS Code has no data parts.
  const structured = typeof parts[1] === 'string' ? (JSON.parse(parts[1]) as unknown) : parts[1];
  return [parts[0] as string, structured];
}

async function invokeError(name: string, input: unknown): Promise<string> {
  try {
    await vscode.lm.invokeTool(name, { input: input as object, toolInvocationToken: undefined });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  assert.fail(`${name} answered ${JSON.stringify(input)} without an error`);
}

describe('agent tools in VS Code', function () {
  this.timeout(60_000);

  it('vscode.lm.tools lists the six tools with the schemas package.json contributes', async () => {
    const extension = vscode.extensions.getExtension('layer-lens.layer-lens');
    assert.ok(extension);
    const contributed = (extension.packageJSON as { contributes: { languageModelTools: { name: string; inputSchema: object }[] } }).contributes.languageModelTools;
    const listed = await until('the tools to be listed', () => vscode.lm.tools.filter((t) => TOOL_NAMES.includes(t.name)), (tools) => tools.length === TOOL_NAMES.length);
    for (const name of TOOL_NAMES) {
      const tool = listed.find((t) => t.name === name);
      assert.ok(tool, name);
      assert.deepEqual(tool.inputSchema, contributed.find((c) => c.name === name)?.inputSchema);
      assert.ok(tool.description.length > 80);
      assert.ok(tool.tags.includes('layer-lens'));
    }
  });

  it('layer_output_shape: the issue example, output shape and formula', async () => {
    const [text, data] = await invoke('layer_output_shape', { layer: 'nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)', inputShape: [1, 16, 32, 32] });
    assert.deepEqual(data, { outputShape: [1, 8, 64, 64], formula: 'H_out = (32 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 64; W_out = (32 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 64' });
    assert.match(text, /gives \[1, 8, 64, 64\]\.\nH_out = \(H_in − 1\)·stride/);
  });

  it('solve_layer_size: the solutions the editor solver lists', async () => {
    const [, data] = await invoke('solve_layer_size', { layer: 'nn.ConvTranspose2d(64, 32, 3, stride=2)', inputSize: 16, outputSize: 32 });
    assert.deepEqual(data, {
      solutions: [
        { padding: 1, outputPadding: 1, kernelSize: 3 },
        { padding: 0, outputPadding: 0, kernelSize: 2 },
        { padding: 1, outputPadding: 0, kernelSize: 4 },
        { padding: 2, outputPadding: 0, kernelSize: 6 },
      ],
    });
  });

  it('check_checkerboard on a sample file: the uneven layer at its line, with fixes, and the stack', async () => {
    const code = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(samples, 'dcgan_generator.py'))));
    const [text, data] = await invoke('check_checkerboard', { code });
    const { layers, stacks } = data as { layers: { line: number; label: string; fixes: unknown[] }[]; stacks: { transposedLayers: number; unevenLayers: number }[] };
    const uneven = layers.filter((l) => l.label !== 'even');
    assert.deepEqual(uneven.map((l) => [l.line, l.label]), [[25, 'uneven 1:2']]);
    assert.ok((uneven[0]?.fixes.length ?? 0) >= 2);
    assert.ok(stacks.some((s) => s.unevenLayers === 1 && s.transposedLayers === layers.length), JSON.stringify(stacks));
    assert.match(text, /^Line \d+: nn\.ConvTranspose2d/);
  });

  it('compute_layer: the exact output as { shape, data }', async () => {
    const [, data] = await invoke('compute_layer', { op: 'avgPool2d', input: [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], options: { kernelSize: 2, stride: 1 } });
    assert.deepEqual(data, { shape: [1, 1, 2, 2], data: [3, 4, 6, 7] });
  });

  it('inspect_model on a workspace file (a path relative to the folder, read through workspace.fs): the core\'s analysis', async () => {
    const [text, data] = await invoke('inspect_model', { path: 'dcgan_generator.py', className: 'Generator', inputShape: [2, 100, 1, 1] });
    const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(samples, 'dcgan_generator.py'))));
    const core = analyzeModel(source, { className: 'Generator', inputShape: [2, 100, 1, 1] });
    const found = data as { files: string[]; outputShape: number[]; layers: { path: string; outputShape: number[]; macs: number }[]; totals: { params: number } };
    assert.deepEqual(found.files, ['dcgan_generator.py']);
    assert.deepEqual(found.outputShape, core.output?.shape);
    assert.deepEqual(found.layers.map((l) => [l.path, l.outputShape, l.macs]), core.layers.map((l) => [l.path, l.outputShape, l.macs]));
    assert.equal(found.totals.params, core.params);
    assert.match(text, /^Generator \(dcgan_generator\.py\) on input \[2, 100, 1, 1\]:\nlayer +op +input +output +params +MACs\n/);
    assert.match(await invokeError('inspect_model', { path: 'no_such_model.py', className: 'Generator' }), /^no_such_model\.py does not exist in any workspace folder\.$|^no_such_model\.py does not exist\.$/);
    assert.match(await invokeError('inspect_model', { path: 'unet_decoder.py', className: 'UNetDecoder' }), /give "inputShape", the input of UNetDecoder\.forward\(\)/);
  });

  it('audit_checkpoint on a checkpoint written by PyTorch (an absolute path, read through workspace.fs): the core\'s audit', async function () {
    this.timeout(120_000);
    const { dir, remove } = writeGoldenCheckpoints();
    try {
      const file = path.join(dir, 'dcgan.pt');
      const [text, data] = await invoke('audit_checkpoint', { path: file, source: path.join(dir, 'dcgan.py') });
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(file));
      const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(dir, 'dcgan.py'))));
      const core = auditCheckpoint(readCheckpoint(bytes, file), { source });
      const found = data as { verdict: string; layers: { name: string; periodicEnergy: number; verdict: string }[] };
      assert.equal(found.verdict, 'uneven');
      assert.deepEqual(found.layers.map((l) => [l.name, l.periodicEnergy, l.verdict]), core.layers.map((l) => [l.name, l.periodicEnergy, l.verdict]));
      assert.equal(text.split('\n')[0], `${file} (pytorch): 5 layers audited — 4 uneven, 1 even; verdict: uneven.`);
      assert.match(await invokeError('audit_checkpoint', { path: path.join(dir, 'evil_system.pt') }), /refers to the Python global posix\.system/);
    } finally {
      remove();
    }
  });

  it('bad input and a layer PyTorch refuses are answered in words (VS Code does not check the schema)', async () => {
    assert.equal(await invokeError('layer_output_shape', { layer: 'nn.Conv2d(3, 8, 3)' }), 'Invalid input to layer_output_shape: "inputShape" is missing (The input\'s shape in the framework\'s layout: PyTorch [N, C, H, W] or [C, H, W]; Keras channels-last [N, H, W, C] or [H, W, C]).');
    assert.match(await invokeError('solve_layer_size', { layer: 'nn.Conv2d(3, 8, 3)', inputSize: 0, outputSize: 4 }), /"inputSize" must be at least 1, not 0\./);
    assert.match(await invokeError('compute_layer', { op: 'conv2d', input: [[1, 2], [3, 4]], weight: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] }), /Kernel is larger than the padded input/);
    assert.match(await invokeError('layer_output_shape', { layer: 'nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)', inputShape: [1, 3, 32, 32] }), /16 input channels but the input has 3/);
    assert.match(await invokeError('check_checkerboard', 'nn.ConvTranspose2d(8, 8, 3, stride=2)'), /The input must be an object/);
  });

  it('the diagnostics on a model file are exactly what layer-lens check prints for it', async () => {
    const file = path.resolve(samples, '../test/fixtures/cli/broken_generator.py');
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const diagnostics = await until('the diagnostics of the model file', () => vscode.languages.getDiagnostics(document.uri), (d) => d.length === 3, 30_000);
    const severity = ['error', 'warning', 'information', 'hint'];
    const shown = diagnostics
      .map((d) => ({ line: d.range.start.line + 1, column: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1, severity: severity[d.severity], message: d.message, rule: String(d.code) }))
      .sort((a, b) => a.line - b.line);
    const printed = checkText(file, document.getText(), { inputSize: 32, overlap: true, overlapSeverity: 'information', stacks: true }).map(({ file: _file, ...rest }) => rest);
    assert.deepEqual(shown, printed);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the diagnostics in the cells of a notebook are what layer-lens check prints for it, cell by cell', async () => {
    const file = path.join(samples, 'checkerboard.ipynb');
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    const cells = notebook.getCells();
    const shownIn = () => cells.flatMap((cell) => vscode.languages.getDiagnostics(cell.document.uri).map((d) => ({ cell: cell.index + 1, line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message, rule: String(d.code) })));
    const shown = await until('the diagnostics of the notebook cells', shownIn, (found) => found.length > 0, 30_000);
    const printed = (await checkFile(file, { inputSize: 32, overlap: true, overlapSeverity: 'information', stacks: true })).map((d) => ({ cell: d.cell, line: d.line, column: d.column, message: d.message, rule: d.rule }));
    assert.deepEqual(shown, printed);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('VS Code lists the MCP server definition, and the server it describes starts and lists the tools', async () => {
    type Definition = { label: string; command: string; args: string[]; env: Record<string, string | number | null> };
    const definitions = (vscode.lm as unknown as { mcpServerDefinitions?: readonly Definition[] }).mcpServerDefinitions;
    assert.ok(definitions, 'this VS Code lists MCP server definitions (vscode.lm.mcpServerDefinitions)');
    const [definition] = await until('the MCP server definition to be listed', () => definitions.filter((d) => d.label === 'Layer Lens'), (found) => found.length === 1);
    assert.ok(definition);
    // The extension host's own executable on the bundled server, run as Node.
    assert.equal(definition.command, process.execPath);
    assert.match(definition.args[0] ?? '', /[\\/]dist[\\/]mcp\.js$/);
    assert.equal(definition.env.ELECTRON_RUN_AS_NODE, '1');
    // The file tools' relative paths are the workspace folder's.
    assert.equal((definition as { cwd?: vscode.Uri }).cwd?.fsPath, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    const transport = new StdioClientTransport({ command: definition.command, args: definition.args, env: { ELECTRON_RUN_AS_NODE: '1' }, stderr: 'pipe' });
    const client = new Client({ name: 'layer-lens-integration', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name), TOOL_NAMES);
    } finally {
      await client.close();
    }
  });
});
