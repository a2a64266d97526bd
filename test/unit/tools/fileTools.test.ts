/**
 * The tools that read files, inspect_model and audit_checkpoint, through Node's files (the MCP
 * server's and the command line's host): their answers equal the core's own (analyzeModel,
 * validInputSizes, auditCheckpoint) on the golden models and on checkpoints written by PyTorch,
 * each answer matches the tool's output schema, and every file they cannot read is named.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeModel, validInputSizes } from '../../../src/core/model/analyzeModel';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { readCheckpoint } from '../../../src/core/checkpoint/read';
import { toolNamed, type ToolResult } from '../../../src/core/tools/index';
import { schemaProblem } from '../../../src/core/tools/jsonSchema';
import { importCandidates } from '../../../src/core/tools/modelSources';
import type { InspectModelData } from '../../../src/core/tools/inspectModel';
import type { AuditCheckpointData } from '../../../src/core/tools/auditCheckpoint';
import { FileProblem } from '../../../src/core/tools/toolFiles';
import { nodeFiles } from '../../../src/cli/nodeFiles';
import { writeGoldenCheckpoints } from './goldenCheckpoints';

const root = resolve(__dirname, '../../../..');
const models = join(root, 'test', 'golden', 'models');
const read = (file: string) => readFileSync(file, 'utf8');

async function call(name: string, input: unknown): Promise<ToolResult<unknown>> {
  const tool = toolNamed(name);
  assert.ok(tool?.readsFiles);
  const result = await tool.call(input, nodeFiles);
  if (result.kind === 'ok') assert.equal(schemaProblem(JSON.parse(JSON.stringify(result.data)), tool.outputSchema), undefined, `${name}'s result does not match its output schema`);
  return result;
}

async function okResult<T>(name: string, input: unknown): Promise<{ text: string; data: T }> {
  const result = await call(name, input);
  assert.equal(result.kind, 'ok', result.kind === 'ok' ? '' : result.text);
  return result as { text: string; data: T };
}

async function invalidText(name: string, input: unknown): Promise<string> {
  const result = await call(name, input);
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  return result.text;
}

describe('inspect_model', function () {
  this.timeout(60_000);
  const unet = join(models, 'unet_model.py');
  const parts = join(models, 'unet_parts.py');

  it('UNet on [1, 3, 256, 256]: the layers, totals, output and valid sizes are the core\'s, with the imported unet_parts.py', async () => {
    const { text, data } = await okResult<InspectModelData>('inspect_model', { path: unet, className: 'UNet', inputShape: [1, 3, 256, 256] });
    const core = analyzeModel(read(unet), { className: 'UNet', inputShape: [1, 3, 256, 256], files: { [parts]: read(parts) } });
    assert.deepEqual(data.files, [unet, parts]);
    assert.deepEqual(
      data.layers.map((l) => [l.path, l.op, l.inputShape, l.outputShape, l.params, l.macs, l.line]),
      core.layers.map((l) => [l.path, l.op, l.inputShape, l.outputShape, l.params, l.macs, l.line]),
    );
    assert.equal(data.layers.length, 45);
    assert.deepEqual(data.totals, { params: 31037698, macs: core.layers.reduce((s, l) => s + l.macs, 0) });
    assert.deepEqual(data.outputShape, [1, 2, 256, 256]);
    const sizes = validInputSizes(read(unet), { className: 'UNet', channels: 3, maxSide: 512, files: { [parts]: read(parts) } });
    assert.deepEqual(data.validInputSizes, { rule: sizes.rule, formula: sizes.formula, checkedUpTo: 512, works: true, nearest: [256] });
    assert.equal(data.validInputSizes?.rule, 'H must be at least 16');
    assert.equal(data.error, undefined);
    const lines = text.split('\n');
    assert.equal(lines[0], `UNet (${unet}) on input [1, 3, 256, 256]:`);
    assert.match(lines[1] ?? '', /^layer {2,}op {2,}input {2,}output {2,}params {2,}MACs$/);
    assert.match(lines[2] ?? '', /^inc\.double_conv\.0 +Conv2d +\[1, 3, 256, 256\] +\[1, 64, 256, 256\] +1728 +113246208$/);
    assert.match(text, /\ntotal +31037698 +\d+\nOutput: \[1, 2, 256, 256\]\nInput sizes that work \(square, checked up to 512\): H must be at least 16 \(H ≥ 16\); 256 works\.$/);
    // Aligned: every row as long as the header's column starts allow.
    const outputColumn = (lines[1] ?? '').indexOf('output');
    for (const row of lines.slice(2, 2 + data.layers.length)) assert.equal(row[outputColumn - 1], ' ', row);
  });

  it('a model that raises for the input: the layers up to it, the line and column, PyTorch\'s message, the nearest sizes that work', async () => {
    const file = join(models, 'unet_nopad.py');
    const { text, data } = await okResult<InspectModelData>('inspect_model', { path: file, className: 'UNET', inputShape: [1, 3, 100, 100] });
    const core = analyzeModel(read(file), { className: 'UNET', inputShape: [1, 3, 100, 100] });
    assert.ok(core.error);
    assert.deepEqual(data.error, { file, line: 62, column: 13, message: core.error.message });
    assert.equal(data.outputShape, undefined);
    assert.equal(data.layers.length, core.layers.length);
    assert.deepEqual(data.validInputSizes, { rule: 'H must be a multiple of 16 and at least 16', formula: 'H = 16·k, k ≥ 1', checkedUpTo: 256, works: false, nearest: [96, 112] });
    assert.ok(text.endsWith(`\n${file}:62:13: error: ${core.error.message} [model-shape]`), text);
  });

  it('without an input shape: [1, C, S, S] from the first convolution and the smallest side that runs', async () => {
    const dcgan = await okResult<InspectModelData>('inspect_model', { path: join(models, 'dcgan.py'), className: 'Generator' });
    assert.deepEqual([dcgan.data.inputShape, dcgan.data.inputShapeFrom, dcgan.data.outputShape], [[1, 100, 1, 1], 'model', [1, 3, 64, 64]]);
    const unetDefault = await okResult<InspectModelData>('inspect_model', { path: unet, className: 'UNet' });
    assert.deepEqual(unetDefault.data.inputShape, [1, 3, 16, 16]);
    assert.match(unetDefault.text, /^UNet \(.*\) on input \[1, 3, 16, 16\] \(chosen from the model: give inputShape for another\):/);
  });

  it('builds the class with constructor arguments, keyword or positional, and counts what PyTorch counts', async () => {
    const generator = join(models, 'resnet_generator.py');
    // sum(p.numel() for p in ResnetGenerator(ngf=16, n_blocks=2).parameters()) in PyTorch 1.13: 199075 (defaults: 7,837,699).
    const small = await okResult<InspectModelData>('inspect_model', { path: generator, className: 'ResnetGenerator', inputShape: [1, 3, 32, 32], args: { ngf: 16, n_blocks: 2 } });
    assert.equal(small.data.totals.params, 199_075);
    assert.deepEqual(small.data.args, { ngf: 16, n_blocks: 2 });
    assert.match(small.text, /^ResnetGenerator\(ngf=16, n_blocks=2\) \(/);
    // UNet(1, 5): 31,036,741 parameters in PyTorch; one input channel, five classes out.
    const unet15 = await okResult<InspectModelData>('inspect_model', { path: unet, className: 'UNet', inputShape: [1, 1, 64, 64], positionalArgs: [1, 5] });
    assert.equal(unet15.data.totals.params, 31_036_741);
    assert.deepEqual(unet15.data.outputShape, [1, 5, 64, 64]);
    // Without inputShape the default input follows the arguments: one channel.
    const chosen = await okResult<InspectModelData>('inspect_model', { path: unet, className: 'UNet', positionalArgs: [1, 5], args: { bilinear: true } });
    assert.deepEqual(chosen.data.inputShape, [1, 1, 16, 16]);
    assert.equal(toolNamed('inspect_model')?.invocationMessage({ path: 'u.py', className: 'UNet', positionalArgs: [1, 5], args: { bilinear: true } }), 'Layer Lens: reading u.py (and the workspace files it imports) to follow UNet(1, 5, bilinear=True)');
  });

  it('refuses constructor arguments that are no Python literal, and reports Python\'s TypeError for an unknown keyword', async () => {
    assert.equal(await invalidText('inspect_model', { path: unet, className: 'UNet', args: { bilinear: { on: true } } }), '"args.bilinear" must be a number, a string, true/false, null or a list of them (the Python literal the constructor takes), not an object.');
    assert.equal(await invalidText('inspect_model', { path: unet, className: 'UNet', args: { 'n-classes': 2 } }), '"args" has the key "n-classes", which is not a parameter name of UNet.__init__ (a Python identifier other than self).');
    assert.equal(await invalidText('inspect_model', { path: unet, className: 'UNet', positionalArgs: [[[1]]] }), '"positionalArgs[0]" must be a number, a string, true/false, null or a list of them (the Python literal the constructor takes), not a list holding a list of lists.');
    assert.equal(await invalidText('inspect_model', { path: unet, className: 'UNet', args: [1, 2] }), 'Invalid input to inspect_model: "args" must be an object, not [1,2].');
    const unknown = await okResult<InspectModelData>('inspect_model', { path: unet, className: 'UNet', inputShape: [1, 3, 64, 64], args: { n_class: 2 } });
    assert.equal(unknown.data.error?.message, "UNet.__init__() got an unexpected keyword argument 'n_class' (its parameters: n_channels, n_classes, bilinear)");
    const many = await okResult<InspectModelData>('inspect_model', { path: unet, className: 'UNet', inputShape: [1, 3, 64, 64], positionalArgs: [3, 2, false, 4] });
    assert.match(many.data.error?.message ?? '', /^UNet\.__init__\(\) takes 4 positional arguments but 5 were given/);
  });

  it('takes the arguments __init__ requires from a call of the class near the model, and says which are still missing', async () => {
    // As milesial/Pytorch-UNet is laid out: unet/unet_model.py needs n_channels and n_classes; hubconf.py, a folder up, builds it.
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-callers-'));
    try {
      mkdirSync(join(folder, 'unet'));
      writeFileSync(join(folder, 'unet', 'unet_model.py'), read(unet).replace('n_channels=3, n_classes=2, bilinear=False):', 'n_channels, n_classes, bilinear=False):'));
      writeFileSync(join(folder, 'unet', 'unet_parts.py'), read(parts));
      writeFileSync(join(folder, 'train.py'), 'from unet.unet_model import UNet\n\nmodel = UNet(n_channels=3, n_classes=args.classes)\n');
      const path = join(folder, 'unet', 'unet_model.py');
      const missing = await okResult<InspectModelData>('inspect_model', { path, className: 'UNet', inputShape: [1, 3, 64, 64] });
      assert.equal(missing.data.outputShape, undefined);
      assert.deepEqual(missing.data.builtWith?.arguments.map((a) => `${a.name}:${a.origin}`), ['n_channels:call', 'n_classes:missing', 'bilinear:default']);
      assert.match(missing.text, /UNet\.__init__ needs n_classes: .* give "args"/);
      assert.deepEqual(missing.data.unknown && [missing.data.unknown.file, missing.data.unknown.line], [path, 8]);
      assert.equal(missing.data.validInputSizes, undefined, 'a model that cannot be built runs for no size');
      writeFileSync(join(folder, 'hubconf.py'), 'from unet import UNet as _UNet\n\n\ndef unet_carvana():\n    return _UNet(n_channels=3, n_classes=2, bilinear=False)\n');
      const found = await okResult<InspectModelData>('inspect_model', { path, className: 'UNet', inputShape: [1, 3, 64, 64] });
      assert.deepEqual(found.data.outputShape, [1, 2, 64, 64]);
      assert.equal(found.data.totals.params, 31_037_698);
      assert.match(found.text, new RegExp(`Built with n_channels, n_classes from ${join(folder, 'hubconf.py').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5`));
      // Given arguments win over the call's; positional ones are taken as they are, with no call looked for.
      const given = await okResult<InspectModelData>('inspect_model', { path, className: 'UNet', inputShape: [1, 3, 64, 64], args: { n_classes: 7 } });
      assert.deepEqual(given.data.outputShape, [1, 7, 64, 64]);
      // A misspelt keyword is Python's TypeError, not dropped for the call's value.
      const typo = await okResult<InspectModelData>('inspect_model', { path, className: 'UNet', inputShape: [1, 3, 64, 64], args: { n_class: 7 } });
      assert.match(typo.data.error?.message ?? '', /got an unexpected keyword argument 'n_class'/);
      const positional = await okResult<InspectModelData>('inspect_model', { path, className: 'UNet', inputShape: [1, 3, 64, 64], positionalArgs: [3, 4] });
      assert.deepEqual(positional.data.outputShape, [1, 4, 64, 64]);
      assert.equal(positional.data.builtWith, undefined);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('1-D and 3-D models: [1, C, L] and [1, C, S, S, S] from the first convolution, and the lengths or cube sides that work', async () => {
    const wave = await okResult<InspectModelData>('inspect_model', { path: join(models, 'wavegan1d.py'), className: 'WaveUNet' });
    assert.deepEqual([wave.data.inputShape, wave.data.outputShape], [[1, 1, 8], [1, 1, 8]]);
    assert.equal(wave.data.validInputSizes?.rule, 'L must be a multiple of 8 and at least 8');
    const volume = await okResult<InspectModelData>('inspect_model', { path: join(models, 'unet3d.py'), className: 'UNet3D', inputShape: [1, 2, 14, 14, 14] });
    assert.deepEqual([volume.data.validInputSizes?.works, volume.data.validInputSizes?.nearest], [false, [12, 16]]);
    assert.equal(volume.data.validInputSizes?.formula, 'D = H = W = 4·k, k ≥ 3');
  });

  it('says before it runs which files it will read (VS Code\'s prepareInvocation message)', () => {
    assert.equal(toolNamed('inspect_model')?.invocationMessage({ path: 'models/unet.py', className: 'UNet', inputShape: [1, 3, 64, 64] }), 'Layer Lens: reading models/unet.py (and the workspace files it imports) to follow UNet on [1, 3, 64, 64]');
    assert.equal(toolNamed('audit_checkpoint')?.invocationMessage({ path: 'g.pt', source: 'gen.py' }), 'Layer Lens: reading the checkpoint g.pt and the model source gen.py to audit its transposed convolutions (nothing in the file is run)');
    assert.equal(toolNamed('audit_checkpoint')?.invocationMessage({ path: 3 }), 'Layer Lens: Audit Checkpoint');
  });

  it('names what it cannot read: a missing file, a class the file does not define, a folder, a file too large', async () => {
    assert.equal(await invalidText('inspect_model', { path: join(models, 'nope.py'), className: 'UNet' }), `${join(models, 'nope.py')} does not exist.`);
    assert.equal(await invalidText('inspect_model', { path: unet, className: 'Unet' }), `${unet} defines no class Unet: its classes (and its imports') are UNet, DoubleConv, Down, Up, OutConv.`);
    assert.equal(await invalidText('inspect_model', { path: models, className: 'UNet' }), `${models} is a folder, not a file.`);
    assert.equal(await invalidText('inspect_model', { path: unet, className: 'UNet', inputShape: [1, 3, -1, 4] }), 'Invalid input to inspect_model: "inputShape[2]" must be at least 0, not -1.');
    await assert.rejects(nodeFiles.read(unet, 100), (e: unknown) => e instanceof FileProblem && e.message === `${unet} is ${readFileSync(unet).length > 1024 ? `${(readFileSync(unet).length / 1024).toFixed(1)} KiB` : `${readFileSync(unet).length} bytes`}; Layer Lens reads files of at most 100 bytes here`);
    assert.match(toolNamed('inspect_model')?.run({ path: unet, className: 'UNet' }).text ?? '', /^inspect_model reads files: it is answered through a host/);
  });

  it('finds the imports of the workspace: relative, parent-relative, dotted and `from . import`, never torch', () => {
    const text = 'import torch\nimport torch.nn as nn\nfrom torch import nn\nfrom .unet_parts import Up, Down\nfrom ..common.blocks import Res\nfrom models.layers import X\nfrom . import heads, tails as t\nimport helpers\n';
    assert.deepEqual(importCandidates(text, 'src/models/unet.py'), [
      'src/models/unet_parts.py',
      'src/common/blocks.py',
      'src/models/models/layers.py',
      'src/models/layers.py',
      'src/models/heads.py',
      'src/models/tails.py',
      'src/models/helpers.py',
    ]);
    assert.deepEqual(importCandidates('from .parts import A', 'unet.py'), ['parts.py']);
    assert.deepEqual(importCandidates('from .parts import A', 'C:\\work\\unet.py'), ['C:\\work\\parts.py']);
  });

  it('follows imports of imports: a model in one file, its block in a second, the block\'s layer in a third', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-imports-'));
    mkdirSync(join(folder, 'blocks'), { recursive: true });
    writeFileSync(join(folder, 'net.py'), 'import torch.nn as nn\nfrom .block import Block\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.b = Block(3)\n\n    def forward(self, x):\n        return self.b(x)\n');
    writeFileSync(join(folder, 'block.py'), 'import torch.nn as nn\nfrom .blocks.conv import make\n\nclass Block(nn.Module):\n    def __init__(self, c):\n        super().__init__()\n        self.conv = make(c)\n\n    def forward(self, x):\n        return self.conv(x)\n');
    writeFileSync(join(folder, 'blocks', 'conv.py'), 'import torch.nn as nn\n\ndef make(c):\n    return nn.Conv2d(c, 8, 3, stride=2)\n');
    const { data } = await okResult<InspectModelData>('inspect_model', { path: join(folder, 'net.py'), className: 'Net', inputShape: [1, 3, 9, 9] });
    assert.deepEqual(data.files, [join(folder, 'net.py'), join(folder, 'block.py'), join(folder, 'blocks', 'conv.py')]);
    assert.deepEqual(data.outputShape, [1, 8, 4, 4]);
    assert.deepEqual(data.layers.map((l) => [l.path, l.file, l.line]), [['b.conv', join(folder, 'blocks', 'conv.py'), 4]]);
    rmSync(folder, { recursive: true, force: true });
  });
});

describe('audit_checkpoint', function () {
  this.timeout(120_000);
  let dir = '';
  let remove = () => {};
  before(() => ({ dir, remove } = writeGoldenCheckpoints()));
  after(() => remove());

  it('dcgan.pt with its source: the core\'s audit, worst first, without the per-channel phase sums', async () => {
    const file = join(dir, 'dcgan.pt');
    const { text, data } = await okResult<AuditCheckpointData>('audit_checkpoint', { path: file, source: join(dir, 'dcgan.py') });
    const core = auditCheckpoint(readCheckpoint(readFileSync(file), 'dcgan.pt'), { source: read(join(dir, 'dcgan.py')) });
    assert.deepEqual(
      data.layers.map((l) => ({ ...l })),
      core.layers.map(({ phaseSums, stride, ...l }) => ({ ...l, ...(stride ? { stride } : {}), ...(l.worstChannel !== undefined ? { worstPhaseSums: phaseSums[l.worstChannel] } : {}) })),
    );
    assert.deepEqual(data.pairing, core.pairing);
    assert.equal(data.format, 'pytorch');
    assert.equal(data.verdict, 'uneven');
    assert.deepEqual(data.layers.map((l) => [l.name, l.verdict, l.strideFrom]), [['main.12', 'uneven', 'source'], ['main.6', 'uneven', 'source'], ['main.9', 'uneven', 'source'], ['main.3', 'uneven', 'source'], ['main.0', 'even', 'source']]);
    const lines = text.split('\n');
    assert.equal(lines[0], `${file} (pytorch): 5 layers audited — 4 uneven, 1 even; verdict: uneven.`);
    assert.equal(lines[1], 'layer    op               weight          stride  from        periodic energy  verdict');
    assert.equal(lines[2], 'main.12  convTranspose2d  [4, 3, 4, 4]    2×2     the source            0.886  uneven');
    assert.equal(lines.at(-1), `Paired with ${join(dir, 'dcgan.py')}: 5 keys with Generator.`);
  });

  it('a stride given, a stride not known, and safetensors: the verdicts the core gives', async () => {
    const given = await okResult<AuditCheckpointData>('audit_checkpoint', { path: join(dir, 'dcgan.pt'), stride: 2 });
    assert.deepEqual(new Set(given.data.layers.map((l) => l.strideFrom)), new Set(['given']));
    const none = await okResult<AuditCheckpointData>('audit_checkpoint', { path: join(dir, 'dcgan_legacy.pt') });
    assert.equal(none.data.verdict, 'unknown');
    assert.match(none.text, /\nStrides not known: give the model source \(--source \/ "source"\) or a stride \(--stride \/ "stride"\)\.$/);
    const safetensors = await okResult<AuditCheckpointData>('audit_checkpoint', { path: join(dir, 'dcgan.safetensors'), source: join(dir, 'dcgan.py') });
    assert.deepEqual([safetensors.data.format, safetensors.data.verdict], ['safetensors', 'uneven']);
    const icnr = await okResult<AuditCheckpointData>('audit_checkpoint', { path: join(dir, 'srgan_icnr.pt'), source: join(dir, 'srgan.py') });
    assert.deepEqual([icnr.data.verdict, icnr.data.layers.map((l) => l.op)], ['even', ['subPixelConvolution', 'subPixelConvolution']]);
  });

  it('refuses an unsafe or damaged file with the reader\'s reason, and names a missing one', async () => {
    const evil = await invalidText('audit_checkpoint', { path: join(dir, 'evil_system.pt') });
    assert.ok(evil.startsWith(`${join(dir, 'evil_system.pt')} (evil_system/data.pkl) refers to the Python global posix.system`), evil);
    assert.equal(await invalidText('audit_checkpoint', { path: join(dir, 'none.pt') }), `${join(dir, 'none.pt')} does not exist.`);
    assert.equal(await invalidText('audit_checkpoint', { path: join(dir, 'dcgan.pt'), source: join(dir, 'none.py') }), `${join(dir, 'none.py')} does not exist.`);
    assert.equal(await invalidText('audit_checkpoint', { path: join(dir, 'dcgan.pt'), stride: 0 }), 'Invalid input to audit_checkpoint: "stride" must be at least 1, not 0.');
  });
});
