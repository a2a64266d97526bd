/**
 * The command line as people and CI run it: the bundled bin (dist/cli.js) as a process, on the
 * samples and on a model file with mistakes, with its exact output lines and exit codes. The
 * 10,000-line check is measured (figures in the log), not timed out.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pythonFile } from '../../../scripts/bench/pythonFile';
import { checkText } from '../../../src/cli/check';
import { writeGoldenCheckpoints } from '../tools/goldenCheckpoints';
import { unetWithoutPadding } from '../insight/unetWithoutPadding';

const root = resolve(__dirname, '../../../..');
const bin = join(root, 'dist', 'cli.js');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly lines: string[];
}

function layerLens(args: string[], cwd = root, input?: string): Run {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000, ...(input === undefined ? {} : { input }) });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, lines: result.stdout.split('\n').filter((l) => l !== '') };
}

const OVERLAP_TAIL =
  'Output cells receive different numbers of products, so even a constant input comes out with a checkerboard pattern. ' +
  'A kernel size divisible by the stride, or upsampling followed by a convolution, avoids it. [uneven-overlap]';
const uneven12 = (place: string, first = 1, second = 2) => `${place}: info: Overlap uneven 1:2: kernel 3, stride 2 gives counts ${first} and ${second} alternating → checkerboard. ${OVERLAP_TAIL}`;
const uneven23 = (place: string) => `${place}: info: Overlap uneven 2:3: kernel 5, stride 2 gives counts 3 and 2 alternating → checkerboard. ${OVERLAP_TAIL}`;

const FIXTURE = 'test/fixtures/cli/broken_generator.py';
const FIXTURE_LINES = [
  `${FIXTURE}:12:13: error: Stack self.main, layer 4: channel mismatch: this layer expects 256 input channels (in_channels=256) but the previous layer gives 512. [stack-channel-mismatch]`,
  uneven12(`${FIXTURE}:15:13`),
  `${FIXTURE}:17:54: error: stride=2.0 is a float: PyTorch 1.13 raises a TypeError when the layer is called (building it succeeds), as stride must be an int (or a tuple of ints). Layer Lens reads the number; write it as an int. [argument-type]`,
];

describe('layer-lens (the command line, as a process)', function () {
  this.timeout(120_000);

  it('check samples: every uneven overlap of the samples, one line each, exit 0 (information is not an error)', () => {
    const run = layerLens(['check', 'samples']);
    assert.deepEqual(run.lines, [
      uneven12('samples/checkerboard.ipynb:cell 2:5:6', 2, 1),
      uneven12('samples/dcgan_generator.py:25:13'),
      uneven12('samples/keras_decoder.py:9:5'),
      uneven12('samples/keras_decoder.py:10:5'),
      uneven23('samples/keras_generator.py:19:9'),
      uneven23('samples/keras_generator.py:22:9'),
      uneven23('samples/keras_generator.py:31:5'),
      uneven23('samples/keras_generator.py:35:11'),
      uneven12('samples/notes.md:16:6', 2, 1),
      uneven12('samples/upsampling_layers.py:5:6', 2, 1),
      uneven12('samples/upsampling_layers.py:14:19'),
      uneven12('samples/vae_decoder.py:24:13'),
      uneven12('samples/vae_decoder.py:27:13'),
    ]);
    assert.equal(run.stderr, 'layer-lens: 13 files checked: 0 errors, 13 other findings\n');
    assert.equal(run.status, 0);
  });

  it('check on a model file with mistakes: the channel mismatch, the uneven overlap and the float stride, exit 1', () => {
    const run = layerLens(['check', FIXTURE]);
    assert.deepEqual(run.lines, FIXTURE_LINES);
    assert.equal(run.stderr, 'layer-lens: 1 file checked: 2 errors, 1 other finding\n');
    assert.equal(run.status, 1);
  });

  it('--overlap-severity error makes the uneven overlap an error (the editor setting layerLens.diagnostics.severity)', () => {
    const run = layerLens(['check', '--overlap-severity', 'error', 'samples/dcgan_generator.py']);
    assert.deepEqual(run.lines, [uneven12('samples/dcgan_generator.py:25:13').replace(': info: ', ': error: ')]);
    assert.equal(run.status, 1);
  });

  it('--json: an array of { file, line, column, endLine, endColumn, severity, message, rule }, nothing on stderr', () => {
    const run = layerLens(['check', '--json', FIXTURE]);
    const found = JSON.parse(run.stdout) as Record<string, unknown>[];
    assert.deepEqual(found.map((d) => [d.line, d.column, d.endLine, d.endColumn, d.severity, d.rule]), [
      [12, 13, 12, 31, 'error', 'stack-channel-mismatch'],
      [15, 13, 15, 31, 'information', 'uneven-overlap'],
      [17, 54, 17, 57, 'error', 'argument-type'],
    ]);
    assert.deepEqual(Object.keys(found[0] ?? {}), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'message', 'rule']);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 1);
    assert.deepEqual(JSON.parse(layerLens(['check', '--format=json', 'samples/channels.py']).stdout), []);
  });

  it('--format github: workflow commands GitHub Actions turns into annotations on the lines', () => {
    const run = layerLens(['check', '--format', 'github', FIXTURE]);
    assert.equal(run.lines.length, 3);
    assert.equal(
      run.lines[0],
      `::error file=${FIXTURE},line=12,col=13,endLine=12,endColumn=31,title=Layer Lens [stack-channel-mismatch]::Stack self.main, layer 4: channel mismatch: this layer expects 256 input channels (in_channels=256) but the previous layer gives 512.`,
    );
    assert.match(run.lines[1] ?? '', /^::notice file=test\/fixtures\/cli\/broken_generator\.py,line=15,col=13,endLine=15,endColumn=31,title=Layer Lens \[uneven-overlap\]::Overlap uneven 1:2/);
    assert.match(run.lines[2] ?? '', /^::error file=.*,line=17,col=54,.*::stride=2\.0 is a float/);
    assert.equal(run.status, 1);
  });

  it('reads a notebook cell by cell, as the editor does: cell, line and column in the cell; a file that is not a notebook is named', () => {
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-cli-'));
    try {
      const cell = (type: string, source: string[]) => ({ cell_type: type, metadata: {}, source, ...(type === 'code' ? { outputs: [], execution_count: null } : {}) });
      const notebook = {
        cells: [
          cell('markdown', ['# A decoder\n', '`nn.ConvTranspose2d(8, 8, 3, stride=2)` in prose is read as Markdown.\n']),
          cell('code', ['import torch.nn as nn\n', '\n', 'net = nn.Sequential(\n', '    nn.ConvTranspose2d(64, 32, 4, 2, 1),\n', '    nn.ConvTranspose2d(16, 8, 4, 2, 1),\n', ')\n']),
          cell('raw', ['nn.ConvTranspose2d(8, 8, 3, stride=2)']),
        ],
        metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      writeFileSync(join(folder, 'decoder.ipynb'), JSON.stringify(notebook, null, 1));
      writeFileSync(join(folder, 'broken.ipynb'), '{"cells": 3}');
      const run = layerLens(['check', 'decoder.ipynb'], folder);
      assert.deepEqual(run.lines, [
        'decoder.ipynb:cell 2:5:5: error: Stack net, layer 2: channel mismatch: this layer expects 16 input channels (in_channels=16) but the previous layer gives 32. [stack-channel-mismatch]',
      ]);
      assert.equal(run.status, 1);
      const json = JSON.parse(layerLens(['check', '--json', 'decoder.ipynb'], folder).stdout) as { cell: number; line: number }[];
      assert.deepEqual(json.map((d) => [d.cell, d.line]), [[2, 5]]);
      assert.match(layerLens(['check', '--format', 'github', 'decoder.ipynb'], folder).stdout, /^::error file=decoder\.ipynb,title=Layer Lens \[stack-channel-mismatch\] cell 2%2C line 5%2C column 5::Stack net, layer 2/);
      const broken = layerLens(['check', 'broken.ipynb'], folder);
      assert.equal(broken.stderr, 'layer-lens: cannot read broken.ipynb: not a notebook: it has no "cells" list\n');
      assert.equal(broken.status, 2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('- reads standard input (an agent hook piping the file it edits), named by --stdin-filename', () => {
    const source = readFileSync(join(root, FIXTURE), 'utf8');
    const piped = layerLens(['check', '-'], root, source);
    assert.deepEqual(piped.lines, FIXTURE_LINES.map((line) => line.replace(FIXTURE, '-')));
    assert.equal(piped.status, 1);
    const named = layerLens(['check', '--stdin-filename', 'models/gen.py', '-'], root, source);
    assert.deepEqual(named.lines, FIXTURE_LINES.map((line) => line.replace(FIXTURE, 'models/gen.py')));
    // The name's extension sets the language: Markdown reads only the fenced code.
    const markdown = layerLens(['check', '--stdin-filename', 'notes.md', '-'], root, `Prose nn.ConvTranspose2d(8, 8, 3, stride=2) is not code.\n\n\`\`\`python\nup = nn.ConvTranspose2d(8, 8, 3, stride=2)\n\`\`\`\n`);
    assert.deepEqual(markdown.lines.map((l) => l.slice(0, l.indexOf(': '))), ['notes.md:4:6']);
  });

  it('--model-input follows each model class for that input: the U-Net without padding breaks at its torch.cat for 78x78, not for 64x64', () => {
    const source = unetWithoutPadding(root);
    const line = source.slice(0, source.indexOf('torch.cat([x2, x1]')).split('\n').length;
    const broken = layerLens(['check', '--stdin-filename', 'unet.py', '--model-input', '1x3x78x78', '-'], root, source);
    assert.deepEqual(broken.lines, [
      `unet.py:${line}:13: error: torch.cat at line ${line}: the skip x2 is 9×9 but the upsampled input x1 (from up1.up, ConvTranspose2d at line 52) is 8×8 for an input of 1×3×78×78. [model-shape]`,
    ]);
    assert.equal(broken.status, 1);
    assert.deepEqual(layerLens(['check', '--stdin-filename', 'unet.py', '--model-input', '1x3x64x64', '-'], root, source).lines, []);
    assert.deepEqual(layerLens(['check', '--stdin-filename', 'unet.py', '-'], root, source).lines, []);
    assert.match(layerLens(['check', '--model-input', '1x0x3', '-'], root, '').stderr, /--model-input must be a shape such as 1x3x78x78, not "1x0x3"/);
  });

  it('--model-input reads Keras models too, channels-last with the Input\'s own channels: keras #10185 breaks at its concatenate for 39x39', () => {
    const source = readFileSync(join(root, 'test/fixtures/keras/unet_39.py'), 'utf8');
    const broken = layerLens(['check', '--stdin-filename', 'unet_39.py', '--model-input', '1x3x39x39', '-'], root, source);
    assert.equal(broken.lines.length, 1, broken.lines.join('\n'));
    assert.match(broken.lines[0] ?? '', /^unet_39\.py:14:7: error: concatenate \(Concatenate\) at line 14: input 0 is 40×40 but input 1 is 39×39, .* for an input of 39×39\. Keras: A `Concatenate` layer requires .* \[model-shape\]$/);
    assert.equal(broken.status, 1);
    assert.deepEqual(layerLens(['check', '--stdin-filename', 'unet_39.py', '--model-input', '1x3x40x40', '-'], root, source).lines, []);
  });

  it('walks folders for .py and .md files, skipping node_modules, .git and other hidden folders', () => {
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-cli-'));
    try {
      const bad = readFileSync(join(root, FIXTURE), 'utf8');
      for (const dir of ['src/models', 'node_modules/pkg', '.git/objects', '.venv/lib', '__pycache__']) mkdirSync(join(folder, dir), { recursive: true });
      for (const file of ['src/models/gen.py', 'node_modules/pkg/gen.py', '.git/objects/gen.py', '.venv/lib/gen.py', '__pycache__/gen.py']) writeFileSync(join(folder, file), bad);
      writeFileSync(join(folder, 'src/models/gen.txt'), bad);
      writeFileSync(join(folder, 'README.md'), '```python\nup = nn.ConvTranspose2d(8, 8, 3, stride=2)\n```\n');
      const run = layerLens(['check', '.'], folder);
      assert.deepEqual(
        run.lines.map((l) => l.slice(0, l.indexOf(': '))),
        ['README.md:2:6', 'src/models/gen.py:12:13', 'src/models/gen.py:15:13', 'src/models/gen.py:17:54'],
      );
      assert.equal(run.stderr, 'layer-lens: 2 files checked: 2 errors, 2 other findings\n');
      assert.equal(run.status, 1);
      // With no path, the current folder.
      assert.deepEqual(layerLens(['check'], folder).lines, run.lines);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a file it cannot read is named in the error, exit 2, and nothing else is printed', () => {
    const missing = layerLens(['check', 'samples/dcgan_generator.py', 'models/missing.py']);
    assert.equal(missing.stderr, 'layer-lens: cannot read models/missing.py: no such file or directory\n');
    assert.equal(missing.stdout, '');
    assert.equal(missing.status, 2);
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-cli-'));
    try {
      symlinkSync(join(folder, 'gone.py'), join(folder, 'dangling.py'));
      const dangling = layerLens(['check', 'dangling.py'], folder);
      assert.equal(dangling.stderr, 'layer-lens: cannot read dangling.py: no such file or directory\n');
      assert.equal(dangling.status, 2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('skips a file longer than the editor reads (2,000,000 characters), says so, and checks the rest', () => {
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-cli-'));
    try {
      const layer = 'up = nn.ConvTranspose2d(8, 8, 3, stride=2)\n';
      writeFileSync(join(folder, 'huge.py'), layer + '#'.repeat(2_000_001));
      writeFileSync(join(folder, 'small.py'), layer);
      // Over 8 MB: not even read (a sparse file of zeros, so the test writes nothing much).
      writeFileSync(join(folder, 'vast.py'), '');
      truncateSync(join(folder, 'vast.py'), 8_000_001);
      const run = layerLens(['check', 'huge.py', 'small.py', 'vast.py'], folder);
      assert.deepEqual(run.lines.map((l) => l.slice(0, l.indexOf(': '))), ['small.py:1:6']);
      const why = 'longer than the 2,000,000 characters Layer Lens reads in a document (the editor shows nothing there either)';
      assert.equal(run.stderr, `layer-lens: skipped huge.py: ${why}\nlayer-lens: skipped vast.py: ${why}\nlayer-lens: 3 files checked: 0 errors, 1 other finding\n`);
      assert.equal(run.status, 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2 with a message pointing at --help; --help and --version exit 0', () => {
    const cases: [string[], string][] = [
      [['frob'], 'layer-lens: unknown command "frob" (the commands: check, shapes, audit). See layer-lens --help.\n'],
      [['check', '--bogus'], 'layer-lens: unknown option --bogus. See layer-lens --help.\n'],
      [['check', '--format', 'xml'], 'layer-lens: --format must be text, json or github, not "xml". See layer-lens --help.\n'],
      [['check', '--input-size', '0'], 'layer-lens: --input-size must be a whole number from 1 to 65536, not "0". See layer-lens --help.\n'],
      [['check', '--format'], 'layer-lens: --format needs a value. See layer-lens --help.\n'],
    ];
    for (const [args, stderr] of cases) {
      const run = layerLens(args);
      assert.equal(run.stderr, stderr, args.join(' '));
      assert.equal(run.stdout, '');
      assert.equal(run.status, 2, args.join(' '));
    }
    const help = layerLens(['--help']);
    assert.match(help.stdout, /^Usage: layer-lens <command> \[options\]\n/);
    assert.match(help.stdout, /Exit codes: 0 no errors, 1 errors found, 2 usage error or unreadable file\./);
    assert.equal(help.status, 0);
    assert.equal(layerLens(['check', '--help']).stdout, help.stdout);
    const bare = layerLens([]);
    assert.equal(bare.stderr.trim(), help.stdout.trim());
    assert.equal(bare.status, 2);
    const shown = layerLens(['--version']);
    assert.equal(shown.stdout, `${version}\n`);
    assert.equal(shown.status, 0);
  });

  it('stops quietly when the reader closes the pipe early (layer-lens check | head -1)', () => {
    // The samples 40 times: about 150 KB of output, more than a pipe holds, so writes continue after head has gone.
    const samples = Array.from({ length: 40 }, () => 'samples').join(' ');
    const result = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${bin}" check ${samples} | head -1`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.stdout.split('\n').filter((l) => l !== '').length, 1);
    assert.doesNotMatch(result.stderr, /EPIPE|Error/);
    assert.equal(result.status, 0);
  });

  it('the bin is one executable file that runs with node and needs no node_modules', () => {
    const text = readFileSync(bin, 'utf8');
    assert.ok(text.startsWith('#!/usr/bin/env node\n'));
    assert.equal(statSync(bin).mode & 0o111, 0o111, 'dist/cli.js is executable (npx layer-lens from a checkout)');
    assert.equal(statSync(join(root, 'dist', 'mcp.js')).mode & 0o111, 0o111, 'dist/mcp.js is executable');
    const direct = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(direct.stdout, `${version}\n`);
    assert.doesNotMatch(text, /require\("(?!node:)(@modelcontextprotocol|zod|[a-z-]+\/)/);
  });

  it('measures check on a 10,000-line file (goal: under 1 s)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'layer-lens-cli-'));
    try {
      writeFileSync(join(folder, 'model.py'), pythonFile(10_000));
      const started = process.hrtime.bigint();
      const run = layerLens(['check', 'model.py'], folder);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      assert.equal(run.status, 0, run.stderr);
      assert.ok(run.lines.length > 100);
      // The check alone, cold as in the process (nothing of the parser has run in this one yet), wall and CPU:
      // on a loaded machine the wall time says more about the other processes than about Layer Lens.
      const text = readFileSync(join(folder, 'model.py'), 'utf8');
      const cpu = process.cpuUsage();
      const inProcess = process.hrtime.bigint();
      checkText('model.py', text, { inputSize: 32, overlap: true, overlapSeverity: 'information', stacks: true });
      const checkMs = Number(process.hrtime.bigint() - inProcess) / 1e6;
      const used = process.cpuUsage(cpu);
      console.log(
        `      layer-lens check, 10,000 lines: ${Math.round(wallMs)} ms for the process (start-up included); ` +
          `the check alone ${Math.round(checkMs)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU; ${run.lines.length} findings`,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('layer-lens shapes and audit (the model table and the checkpoint audit, as a process)', function () {
  this.timeout(120_000);
  let dir = '';
  let remove = () => {};
  before(() => ({ dir, remove } = writeGoldenCheckpoints()));
  after(() => remove());

  it('shapes on the DCGAN generator: the aligned table, totals, output and the sizes that work, exit 0', () => {
    const run = layerLens(['shapes', 'test/golden/models/dcgan.py', '--class', 'Generator', '--input', '1,100,1,1']);
    assert.deepEqual(run.lines, [
      'Generator (test/golden/models/dcgan.py) on input [1, 100, 1, 1]:',
      'layer    op               input             output             params       MACs',
      'main.0   ConvTranspose2d  [1, 100, 1, 1]    [1, 512, 4, 4]     819200     819200',
      'main.1   BatchNorm2d      [1, 512, 4, 4]    [1, 512, 4, 4]       1024          0',
      'main.3   ConvTranspose2d  [1, 512, 4, 4]    [1, 256, 8, 8]    2097152   33554432',
      'main.4   BatchNorm2d      [1, 256, 8, 8]    [1, 256, 8, 8]        512          0',
      'main.6   ConvTranspose2d  [1, 256, 8, 8]    [1, 128, 16, 16]   524288   33554432',
      'main.7   BatchNorm2d      [1, 128, 16, 16]  [1, 128, 16, 16]      256          0',
      'main.9   ConvTranspose2d  [1, 128, 16, 16]  [1, 64, 32, 32]    131072   33554432',
      'main.10  BatchNorm2d      [1, 64, 32, 32]   [1, 64, 32, 32]       128          0',
      'main.12  ConvTranspose2d  [1, 64, 32, 32]   [1, 3, 64, 64]       3072    3145728',
      'total                                                         3576704  104628224',
      'Output: [1, 3, 64, 64]',
      'Input sizes that work (square, checked up to 256): H must be from 1 to 178 (1 ≤ H ≤ 178); 1 works.',
    ]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
  });

  it('shapes on a U-Net that breaks at 100: the layers up to it, the nearest sizes, the error line as a linter prints it, exit 1', () => {
    const run = layerLens(['shapes', 'test/golden/models/unet_nopad.py', '--class=UNET', '--input=1,3,100,100']);
    assert.equal(run.lines[0], 'UNET (test/golden/models/unet_nopad.py) on input [1, 3, 100, 100]:');
    assert.deepEqual(run.lines.slice(-3), [
      'total                                                                     31037633  3681266688',
      'Input sizes that work (square, checked up to 256): H must be a multiple of 16 and at least 16 (H = 16·k, k ≥ 1); 100 does not; the nearest that work: 96 and 112.',
      'test/golden/models/unet_nopad.py:62:13: error: torch.cat at line 62: skip_connection is 25×25 but x is 24×24 for an input of 100×100 (sizes must match except in dimension 1: expected size 25 but got size 24 for tensor number 1 in the list) [model-shape]',
    ]);
    assert.equal(run.status, 1);
    const json = layerLens(['shapes', 'test/golden/models/unet_nopad.py', '--class', 'UNET', '--input', '1,3,96,96', '--json']);
    const data = JSON.parse(json.stdout) as { outputShape: number[]; error?: unknown; validInputSizes: { works: boolean }; files: string[] };
    assert.deepEqual([data.outputShape, data.error, data.validInputSizes.works, data.files], [[1, 1, 96, 96], undefined, true, ['test/golden/models/unet_nopad.py']]);
    assert.equal(json.status, 0);
  });

  it('shapes --args builds the class with constructor arguments (JSON keywords or a list), and refuses what is not JSON', () => {
    const run = layerLens(['shapes', 'test/golden/models/resnet_generator.py', '--class', 'ResnetGenerator', '--args', '{"ngf": 16, "n_blocks": 2}', '--input', '1,3,32,32', '--json']);
    const data = JSON.parse(run.stdout) as { totals: { params: number }; args: unknown };
    // PyTorch 1.13: sum(p.numel() for p in ResnetGenerator(ngf=16, n_blocks=2).parameters()) = 199075.
    assert.deepEqual([data.totals.params, data.args, run.status], [199_075, { ngf: 16, n_blocks: 2 }, 0]);
    const positional = layerLens(['shapes', 'test/golden/models/unet_model.py', '--class', 'UNet', '--args', '[1, 5]', '--input', '1,1,32,32']);
    assert.equal(positional.lines[0], 'UNet(1, 5) (test/golden/models/unet_model.py) on input [1, 1, 32, 32]:');
    const bad = layerLens(['shapes', 'test/golden/models/unet_model.py', '--class', 'UNet', '--args', 'ngf=32']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--args must be JSON: an object of keyword arguments like \{"ngf": 32\} or a list of positional ones like \[3, 2\], not ngf=32/);
  });

  it('shapes reads the imported unet_parts.py beside the model, and names an error there', () => {
    const run = layerLens(['shapes', 'test/golden/models/unet_model.py', '--class', 'UNet', '--input', '1,3,8,8']);
    assert.equal(run.lines.at(-1), 'test/golden/models/unet_parts.py:39:9: error: down4.maxpool_conv.0 (MaxPool2d): output would be empty: H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 = ⌊(1 + 2·0 − 1·(2 − 1) − 1) / 2⌋ + 1 = 0; the pooling window is larger than the padded input for an input of 8×8 [model-shape]');
    assert.equal(run.status, 1);
  });

  it('audit: the worst layer first, the reasons, the pairing; exit 0, or 1 with --fail-on uneven', () => {
    const checkpoint = join(dir, 'dcgan.pt');
    const run = layerLens(['audit', checkpoint, '--source', join(dir, 'dcgan.py')]);
    assert.deepEqual(run.lines.slice(0, 7), [
      `${checkpoint} (pytorch): 5 layers audited — 4 uneven, 1 even; verdict: uneven.`,
      'layer    op               weight          stride  from        periodic energy  verdict',
      'main.12  convTranspose2d  [4, 3, 4, 4]    2×2     the source            0.886  uneven',
      'main.6   convTranspose2d  [16, 8, 4, 4]   2×2     the source            0.765  uneven',
      'main.9   convTranspose2d  [8, 4, 3, 3]    2×2     the source            0.755  uneven',
      'main.3   convTranspose2d  [32, 16, 4, 4]  2×2     the source            0.733  uneven',
      'main.0   convTranspose2d  [8, 32, 4, 4]   1×1     the source             0.00  even',
    ]);
    assert.equal(run.lines[7], 'main.12: uneven: a constant input paints a 2×2 pattern, 88.6 % of its energy periodic; worst output channel 0, whose phase sums range from -0.5864 to 0.6988');
    assert.equal(run.lines.at(-1), `Paired with ${join(dir, 'dcgan.py')}: 5 keys with Generator.`);
    assert.equal(run.status, 0);
    assert.equal(layerLens(['audit', checkpoint, '--source', join(dir, 'dcgan.py'), '--fail-on', 'uneven']).status, 1);
    const even = layerLens(['audit', join(dir, 'srgan_icnr.pt'), '--source', join(dir, 'srgan.py'), '--fail-on', 'uneven', '--json']);
    assert.equal((JSON.parse(even.stdout) as { verdict: string }).verdict, 'even');
    assert.equal(even.status, 0);
    const given = layerLens(['audit', checkpoint, '--stride', '2', '--json']);
    assert.deepEqual((JSON.parse(given.stdout) as { layers: { strideFrom: string }[] }).layers.map((l) => l.strideFrom), ['given', 'given', 'given', 'given', 'given']);
  });

  it('names the file it cannot read or refuses, and usage errors, with exit 2', () => {
    const cases: [string[], string][] = [
      [['shapes', 'test/golden/models/nope.py', '--class', 'UNet'], 'layer-lens: test/golden/models/nope.py does not exist.\n'],
      [['shapes', 'test/golden/models/dcgan.py', '--class', 'Gen'], "layer-lens: test/golden/models/dcgan.py defines no class Gen: its classes (and its imports') are Generator.\n"],
      [['shapes', 'test/golden/models/dcgan.py'], 'layer-lens: shapes needs --class <Name>, the nn.Module class to follow. See layer-lens --help.\n'],
      [['shapes', 'test/golden/models/dcgan.py', '--class', 'Generator', '--input', '1,x'], 'layer-lens: --input must be whole numbers separated by commas (e.g. 1,3,256,256), not "1,x". See layer-lens --help.\n'],
      [['audit', 'none.pt'], 'layer-lens: none.pt does not exist.\n'],
      [['audit', 'a.pt', 'b.pt'], 'layer-lens: audit takes one checkpoint, not 2 (a.pt, b.pt). See layer-lens --help.\n'],
      [['audit', 'a.pt', '--fail-on', 'even'], 'layer-lens: --fail-on takes uneven, not "even". See layer-lens --help.\n'],
      [['audit', 'test', '--stride', '2'], 'layer-lens: test is a folder, not a file.\n'],
    ];
    for (const [args, stderr] of cases) {
      const run = layerLens(args);
      assert.equal(run.stderr, stderr, args.join(' '));
      assert.equal(run.stdout, '');
      assert.equal(run.status, 2, args.join(' '));
    }
    const evil = layerLens(['audit', join(dir, 'evil_system.pt')]);
    assert.ok(evil.stderr.startsWith(`layer-lens: ${join(dir, 'evil_system.pt')} (evil_system/data.pkl) refers to the Python global posix.system`), evil.stderr);
    assert.equal(evil.status, 2);
  });
});
