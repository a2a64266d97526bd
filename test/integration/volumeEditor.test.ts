/**
 * 1-D and 3-D gathering layers in the real editor as the 2-D layers and the transposed ones are
 * (issue 22): the "Inspect" CodeLens and the hover's "Inspect in Layer Lens" link on `nn.Conv1d`,
 * `nn.AvgPool1d`, `nn.Upsample` (linear, trilinear, nearest after a volume), `nn.MaxPool3d`,
 * `nn.Conv3d` run Inspect Layer at the call, which opens the volume panel's gather player; a size
 * comment (`# …: (N, c, 16384)`, `# 16 x 32 x 32`) gives them their input size; the CodeLens
 * setting turns them off. The volume panel restored after a reload (its serializer given the state
 * its page keeps) comes back at the step it was on. Fixtures: test/fixtures/volumes.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { tensor } from '../../src/core/engine/index';
import { persistVolumeState } from '../../src/core/protocol/volume';
import { VolumePanel } from '../../src/host/volume/volumePanel';
import { until } from './support';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/volumes');
const config = () => vscode.workspace.getConfiguration('layerLens');
const extensionUri = () => vscode.extensions.getExtension('layer-lens.layer-lens')!.extensionUri;

interface InspectSummary {
  readonly layer: string;
  readonly inputSize: number[];
  readonly inputSource: string;
  readonly outputSize?: number[];
  readonly panel: boolean;
  readonly example?: { readonly inputShape: number[]; readonly outputShape: number[] };
}

async function openFixture(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(path.join(fixtures, name));
  await vscode.window.showTextDocument(document);
  return document;
}

/** The layers' CodeLens (the model's and the stacks', with their own settings, are their suites'). */
async function codeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
  return all.filter((lens) => lens.command?.command === 'layerLens.inspectLayer' || lens.command?.command === 'layerLens.showOverlapMap');
}

/** The 1-based lines of the lenses that open Inspect Layer with no overlap verdict beside them: the gathering layers'. */
function gatherLensLines(lenses: readonly vscode.CodeLens[]): number[] {
  const overlapLines = new Set(lenses.filter((l) => l.command?.command === 'layerLens.showOverlapMap').map((l) => l.range.start.line));
  return lenses.filter((l) => l.command?.command === 'layerLens.inspectLayer' && !overlapLines.has(l.range.start.line)).map((l) => l.range.start.line + 1);
}

const volumeTabLabels = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('layerLens.volume')).map((t) => t.label);

async function hoverAt(document: vscode.TextDocument, text: string): Promise<{ text: string; trusted: unknown[] }> {
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `"${text}" is not in ${document.fileName}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(index + 4));
  const contents = hovers.flatMap((hover) => hover.contents);
  return { text: contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n---\n'), trusted: contents.map((c) => (c instanceof vscode.MarkdownString ? c.isTrusted : undefined)) };
}

describe('1-D and 3-D gathering layers in the editor', function () {
  this.timeout(60_000);

  afterEach(async () => {
    await config().update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
    VolumePanel.open?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('WaveGAN: an Inspect CodeLens above each Conv1d, the AvgPool1d and the linear Upsample; the one on conv1 opens the gather player for the commented length', async () => {
    const document = await openFixture('wavegan.py');
    const lenses = await until('the gathering layers’ CodeLens', () => codeLenses(document), (found) => gatherLensLines(found).length > 0);
    // Upsample(linear), conv, out; conv1 (under its size comment), conv2, conv3; the pool. The transposed convolutions keep "Inspect" and "Overlap".
    assert.deepEqual(gatherLensLines(lenses), [36, 37, 38, 48, 49, 50, 52]);
    const conv1 = lenses.find((l) => l.range.start.line === 47 && l.command?.command === 'layerLens.inspectLayer');
    assert.ok(conv1?.command);
    assert.equal(conv1.command.title, '$(layers) Inspect');
    // The comment says 16384 samples; the panel's example is cut to 32.
    assert.equal(conv1.command.tooltip, 'Step through this layer in Layer Lens on an example sequence 32 long');
    const summary = await vscode.commands.executeCommand<InspectSummary>(conv1.command.command, ...(conv1.command.arguments ?? []));
    assert.ok(summary, 'the CodeLens command returned nothing');
    assert.deepEqual([summary.layer, summary.inputSize, summary.inputSource, summary.outputSize, summary.panel], ['nn.Conv1d', [16384], 'from the comment on line 47', [4096], true]);
    assert.deepEqual(summary.example, { inputShape: [1, 1, 32], outputShape: [1, 1, 8] });
    // The panel opened is the extension's (what its page draws is test/e2e/volumeModels.test.ts's to read).
    await until('the volume panel', volumeTabLabels, (labels) => labels.includes('Layer Lens: conv1d'));
  });

  it('the hover over a Conv1d says the commented input size and links Inspect Layer at the call', async () => {
    const document = await openFixture('wavegan.py');
    const { text, trusted } = await hoverAt(document, 'nn.Conv1d(c, d, 25');
    assert.match(text, /Output \*\*4096\*\* for an input 16384 \(from the comment on line 47\)/);
    const link = /\[Inspect in Layer Lens\]\(command:layerLens\.inspectLayer\?([^ )]+) "Step through this layer on an example sequence 32 long"\)/.exec(text);
    assert.ok(link, text);
    assert.ok(trusted.some((t) => JSON.stringify(t) === JSON.stringify({ enabledCommands: ['layerLens.inspectLayer'] })), JSON.stringify(trusted));
    const args = JSON.parse(decodeURIComponent(link[1]!)) as unknown[];
    assert.deepEqual(args, [{ uri: document.uri.toString(), position: { line: 47, character: 21 } }]);
    const summary = await vscode.commands.executeCommand<InspectSummary>('layerLens.inspectLayer', ...args);
    assert.equal(summary?.panel, true);
    await until('the volume panel', volumeTabLabels, (labels) => labels.includes('Layer Lens: conv1d'));
  });

  it('3-D U-Net: the MaxPool3d, the trilinear Upsample and the Conv3d calls get the CodeLens; a D x H x W comment and nearest upsampling after a volume too', async () => {
    const unet = await openFixture('unet3d.py');
    const lenses = await until('the 3-D CodeLens', () => codeLenses(unet), (found) => gatherLensLines(found).length > 0);
    assert.deepEqual(gatherLensLines(lenses), [14, 17, 32, 37, 38, 39]);
    assert.ok(lenses.filter((l) => l.range.start.line + 1 === 37).every((l) => l.command?.tooltip === 'Step through this layer in Layer Lens on an example 8×8×8 volume'));

    const text = 'import torch.nn as nn\nnet = nn.Sequential(\n    # 16 x 32 x 32\n    nn.Conv3d(1, 8, 3, padding=1),\n    nn.Upsample(scale_factor=2),\n)\n';
    const document = await vscode.workspace.openTextDocument({ content: text, language: 'python' });
    await vscode.window.showTextDocument(document);
    const found = await until('the untitled file’s CodeLens', () => codeLenses(document), (l) => gatherLensLines(l).length === 2);
    assert.deepEqual(found.map((l) => l.command?.tooltip), ['Step through this layer in Layer Lens on an example 16×16×16 volume', 'Step through this layer in Layer Lens on an example 16×16×16 volume']);
    const up = found[1]!.command!;
    const summary = await vscode.commands.executeCommand<InspectSummary>(up.command, ...(up.arguments ?? []));
    assert.deepEqual([summary?.inputSize, summary?.outputSize, summary?.example], [[16, 32, 32], [32, 64, 64], { inputShape: [1, 1, 16, 16, 16], outputShape: [1, 1, 32, 32, 32] }]);
    await until('the volume panel', volumeTabLabels, (labels) => labels.includes('Layer Lens: upsample3d'));
    // Untitled and dirty: reverted as it closes, or VS Code would ask whether to save it.
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('layerLens.codeLens.enabled turns them off with the others', async () => {
    const document = await openFixture('wavegan.py');
    await until('the CodeLens', () => codeLenses(document), (found) => gatherLensLines(found).length > 0);
    await config().update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await codeLenses(document), []);
  });

  it('after a reload the panel comes back with the layer its page kept, at the step it was on', async () => {
    const call = { op: 'avgPool1d', input: tensor([1, 1, 8], [0, 7, 4, 1, 8, 5, 2, 9]), options: { kernelSize: 4, stride: 2, padding: 2 } } as const;
    const kept = JSON.parse(JSON.stringify(persistVolumeState(call, 'nn.AvgPool1d at wavegan.py:53, on an example 8 input', 2))) as unknown;
    const webviewPanel = vscode.window.createWebviewPanel(VolumePanel.viewType, 'Layer Lens: avgPool1d', vscode.ViewColumn.Active, {});
    await VolumePanel.serializer(extensionUri()).deserializeWebviewPanel(webviewPanel, kept);
    const panel = VolumePanel.open;
    assert.ok(panel);
    assert.equal(panel.shown.kind, 'ready');
    const player = await until('the restored page to report its player', () => panel.player, (p) => p !== undefined, 20_000);
    assert.deepEqual(player, { player: 'gather', step: 2, stepCount: 5 });
    assert.equal(webviewPanel.title, 'Layer Lens: avgPool1d');

    // A state that holds no layer (a panel of an earlier version, a layer too large to keep) says to run the command again.
    const other = vscode.window.createWebviewPanel(VolumePanel.viewType, 'Layer Lens', vscode.ViewColumn.Active, {});
    await VolumePanel.serializer(extensionUri()).deserializeWebviewPanel(other, undefined);
    const shown = VolumePanel.open?.shown;
    assert.equal(shown?.kind, 'invalid');
    assert.match(shown.kind === 'invalid' ? shown.problems[0]! : '', /^This layer was not kept across the reload \(a panel keeps a layer of up to 65,536 values\): run the command again\.$/);
    other.dispose();
    webviewPanel.dispose();
  });
});
