/**
 * `npm start` opens the VS Code a person gets: code-server without the smoke-test driver the other
 * suites run with (that driver keeps notifications from popping up), with Layer Lens installed
 * from this repository. Started here as `npm start` starts it once it has built
 * (`out/scripts/start.js`, forced to code-server, given a folder relative to where it was called
 * from), and checked as a person sees it.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../harness/prerequisites';
import { launchBrowser } from '../harness/workbench';
import { goTo, gridTexts, openFile, quickInput, transposedConvolutionAt } from './driver';
import { e2eResults } from './setup';

/** Runs `npm start`'s second half and resolves with the workbench URL it prints. */
function startAsNpmStartDoes(cwd: string, folderArgument: string): { child: ChildProcess; url: Promise<string>; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [join(repoRoot, 'out/scripts/start.js'), '--code-server', folderArgument], {
    cwd: repoRoot,
    // npm runs scripts from the package root and names the directory it was called from in INIT_CWD.
    env: { ...process.env, INIT_CWD: cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolveUrl(found[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

/**
 * Runs a Layer Lens command from the Command Palette. An installed extension's commands reach the
 * palette once the extension host has scanned it, a moment after the window opens; an open palette
 * does not refresh, so it is opened again until the command is listed.
 */
async function runLayerLensCommand(page: Page, title: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator(`${quickInput} input`);
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator(`${quickInput} .monaco-list-row`, { hasText: title }).first();
    const listed = await row.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (listed) break;
    if (Date.now() > deadline) throw new Error(`the Command Palette did not list ${title} within 30 s`);
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
}

describe('npm start: the VS Code a person gets', function () {
  this.timeout(180_000);
  let start: ReturnType<typeof startAsNpmStartDoes> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;

  before(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'layer-lens-start-'));
    await cp(join(repoRoot, 'samples'), join(workspace, 'my-model'), { recursive: true });
    start = startAsNpmStartDoes(workspace, 'my-model');
    const url = await start.url;
    assert.ok(url.includes(encodeURIComponent(join(workspace, 'my-model'))), `the URL opens the folder given, relative to where npm start was called: ${url}`);
    assert.doesNotMatch(url, /payload=/, 'an installed extension needs no development payload');
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: join(e2eResults, 'failures', 'npm-start.png') }).catch(() => undefined);
      console.error(`      npm start's output:\n${start?.output()}`);
    }
  });

  after(async () => {
    await browser?.close();
    if (start && start.child.exitCode === null) {
      // As Ctrl+C does: start.js stops code-server and removes its session folder.
      const exited = new Promise((done) => start?.child.once('exit', done));
      start.child.kill('SIGINT');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
      if (start.child.exitCode === null) start.child.kill('SIGKILL');
    }
    await rm(workspace, { recursive: true, force: true });
  });

  it('pops an error up as a toast: Transposed Convolution with the cursor in a ragged matrix', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 14, 12); // in ragged = [[1, 2], [3]]
    await runLayerLensCommand(page, 'Layer Lens: Transposed Convolution (ConvTranspose2d)');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /row 2 has 1 value, row 1 has 2/ });
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await toast.locator('.notification-list-item-message').innerText(), /row 2 has 1 value, row 1 has 2 \(textbook\.py, line 14, column 19\)/);
    await page.screenshot({ path: join(e2eResults, 'npm-start-toast.png') });
  });

  it('draws the textbook case in the panel of the installed extension', async () => {
    await page.keyboard.press('Escape');
    const panel = await transposedConvolutionAt(page, 'textbook.py', 5, 9, '1');
    assert.deepEqual(await gridTexts(panel, 'output'), [['1', '3', '2'], ['4', '10', '6'], ['3', '7', '4']]);
  });
});
