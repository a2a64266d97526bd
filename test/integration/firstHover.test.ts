/**
 * The first hover after the window opens, on a 10,000-line Python file, in the real extension
 * host: the file is opened, Layer Lens activates on it (`onLanguage:python`) and the hover is asked
 * for at once, as a person hovering a layer as soon as the file shows. Until the features bundle
 * has loaded and the document has been read, the first hover waits for both; the goal is 150 ms.
 * A measurement, not a timed assertion: it checks the hover is the layer hover and records the times.
 * It runs with the other suites, where the features may have loaded already (the figures say
 * whether Layer Lens was active at the start); on its own (LAYER_LENS_INTEGRATION_GREP="first hover")
 * it also times their loading. The figures go to test-results/integration/first-hover.json and the
 * log; the goal is not met yet (docs/first-hover.md), so they are recorded, not asserted.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { pythonFile } from '../../scripts/bench/pythonFile';
import { until } from './support';

const LINES = 10_000;
const GOAL_MS = 150;

const hoverText = (hovers: vscode.Hover[]) => hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');

describe('first hover (measurement)', function () {
  this.timeout(120_000);
  it(`measures the first layer hover on a ${LINES.toLocaleString('en-US')}-line file just opened (goal ${GOAL_MS} ms)`, async () => {
    const extension = vscode.extensions.getExtension('layer-lens.layer-lens');
    assert.ok(extension, 'Layer Lens is loaded');
    const activeAtStart = extension.isActive;
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'layer-lens-first-hover-'));
    const file = path.join(folder, 'model.py');
    await fs.writeFile(file, pythonFile(LINES));
    // How long the extension host's thread was kept from answering anything, while the file opened and the hover was asked:
    // what Layer Lens does there must never hold a hover up, whatever the machine's load does to the rest.
    const blocked = monitorEventLoopDelay({ resolution: 10 });
    blocked.enable();
    const opened = Date.now();
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    await until('Layer Lens to activate on the Python file', () => extension.isActive, (active) => active);
    const activated = Date.now();
    const text = document.getText();
    const position = document.positionAt(text.lastIndexOf('ConvTranspose2d(ngf * 4, ngf * 2, 3') + 3);
    const asked = Date.now();
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const firstMs = Date.now() - asked;
    blocked.disable();
    const longestBlockMs = Math.round(blocked.max / 1e6);
    const again = Date.now();
    await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const secondMs = Date.now() - again;
    // Once the CodeLens and diagnostics have arrived and the workbench has drawn them: the round trip
    // itself, through the workbench and back, which is the floor of every hover on this machine.
    await until('the diagnostics of the file', () => vscode.languages.getDiagnostics(document.uri).length, (n) => n > 0, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const settled = Date.now();
    await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const settledMs = Date.now() - settled;
    const figures = { lines: LINES, activeAtStart, openToActiveMs: activated - opened, firstHoverMs: firstMs, secondHoverMs: secondMs, settledHoverMs: settledMs, longestBlockMs, when: new Date().toISOString() };
    const results = path.resolve(__dirname, '../../../test-results/integration');
    mkdirSync(results, { recursive: true });
    writeFileSync(path.join(results, 'first-hover.json'), JSON.stringify(figures, null, 2) + '\n');
    assert.match(hoverText(hovers), /Output \*\*/, 'the first hover is the layer hover');
    console.log(`[first hover] ${firstMs} ms (goal ${GOAL_MS} ms), then ${secondMs} ms: ${JSON.stringify(figures)}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
