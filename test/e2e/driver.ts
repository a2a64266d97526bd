/**
 * Drives the real workbench the way a person does: the keyboard, Quick Open, the Command Palette,
 * quick picks and input boxes. And reads what Layer Lens's webview really drew, from inside its
 * iframe.
 */
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';

/** The Command Palette's, quick picks' and input boxes' widget. */
export const quickInput = '.quick-input-widget';

/** The status bar entry whose text contains `text`. */
export const statusItem = (page: Page, text: string) => page.locator('.statusbar-item', { hasText: text }).first();

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await quickOpen(page, relativePath);
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Opens a file through Quick Open (Ctrl+P; a workspace-relative or an absolute path) and waits for its tab, whatever editor it opens in. */
export async function quickOpen(page: Page, path: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
  await page.keyboard.press('Control+P');
  await page.locator(`${quickInput} input`).waitFor({ state: 'visible' });
  await page.keyboard.type(path);
  const name = path.split('/').pop() ?? path;
  await page.locator(`${quickInput} .monaco-list-row`, { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active`, { hasText: name }).waitFor();
}

/** Moves the cursor with Go to Line (Ctrl+G): `line` and `column` are 1-based. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator(`${quickInput} input`).waitFor({ state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator(quickInput).waitFor({ state: 'hidden' });
}

/** Runs a command from the Command Palette by its title (`Layer Lens: Transposed Convolution (ConvTranspose2d)`). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator(`${quickInput} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator(`${quickInput} .monaco-list-row`, { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The labels of the rows a quick pick currently offers. */
export async function quickPickRows(page: Page): Promise<string[]> {
  const rows = page.locator(`${quickInput} .monaco-list-row`);
  await rows.first().waitFor();
  return rows.allInnerTexts();
}

/** Answers the input box that is open: replaces its value with `text` and accepts. */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  const input = page.locator(`${quickInput} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/**
 * Waits until the quick input shows `title` (`Layer Lens: Stride`): a command's next prompt replaces
 * the previous one asynchronously, so reading the title at once could still see the old one.
 */
export async function expectQuickInput(page: Page, title: string): Promise<void> {
  await page.locator(`${quickInput} .quick-input-title`, { hasText: title }).waitFor({ state: 'visible', timeout: 10_000 });
}

/**
 * The first frame of the page whose document holds `selector`, waited for up to `timeoutMs`.
 * Webviews are nested iframes; each Layer Lens page is told apart by an element only it draws.
 */
export async function frameWith(page: Page, selector: string, what: string, timeoutMs = 20_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no ${what} appeared within ${timeoutMs / 1000} s`);
}

/** The document of the transposed-convolution panel (the one containing `#app`). */
export function transposedPanelFrame(page: Page, timeoutMs = 20_000): Promise<Frame> {
  return frameWith(page, '#app', 'transposed-convolution panel', timeoutMs);
}

/** The text of every cell of a drawn grid (`input`, `kernel`, `output`), row by row. */
export async function gridTexts(frame: Frame, grid: string): Promise<string[][]> {
  const cells = frame.locator(`[data-grid="${grid}"] [role="gridcell"]`);
  await cells.first().waitFor();
  return frame.locator(`[data-grid="${grid}"] [role="row"]`).evaluateAll((rows) =>
    rows
      .map((row) => Array.from(row.querySelectorAll('[role="gridcell"]'), (cell) => (cell.textContent ?? '').trim()))
      .filter((row) => row.length > 0),
  );
}

/**
 * The messages of the notifications, read from the Notification Center (which holds them whether
 * or not the workbench also showed them as toasts), waiting until one matches `expected`.
 */
export async function notificationMatching(page: Page, expected: RegExp, timeoutMs = 15_000): Promise<string> {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) await page.locator('[id="status.notifications"]').click();
  const messages = center.locator('.notification-list-item-message');
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await messages.allInnerTexts();
    const match = seen.find((m) => expected.test(m));
    if (match) return match;
    await page.waitForTimeout(200);
  }
  throw new Error(`no notification matched ${expected}; the Notification Center holds ${JSON.stringify(seen)}`);
}

/** Waits until the output grid reads `expected` (the player redraws asynchronously). */
export async function expectGrid(panel: Frame, grid: string, expected: string[][]): Promise<void> {
  const deadline = Date.now() + 5_000;
  let actual: string[][] = [];
  while (Date.now() < deadline) {
    actual = await gridTexts(panel, grid);
    if (JSON.stringify(actual) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.deepEqual(actual, expected);
}

/** Picks a colour theme in the theme picker, as a person does (the picker previews as it filters). */
export async function setTheme(page: Page, theme: string): Promise<void> {
  // Ctrl+K Ctrl+T opens the picker itself (the palette ranks "Browse Color Themes in Marketplace" first).
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: /Dark Modern|Light Modern/ }).first().waitFor();
  await page.keyboard.type(theme);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  const kind = theme.includes('High Contrast') ? (theme.startsWith('Light') ? 'hc-light' : 'hc-black') : theme.startsWith('Light') ? 'vs' : 'vs-dark';
  await page.locator(`.monaco-workbench.${kind}`).waitFor();
}

/**
 * Runs "Layer Lens: Transposed Convolution (ConvTranspose2d)" on the literal at `line:column` of `file`, with the first
 * kernel offered (the nearest literal) and `stride`, and returns the panel once it shows that literal
 * (it may be the panel already open for the file).
 */
export async function transposedConvolutionAt(page: Page, file: string, line: number, column: number, stride: string, timeoutMs = 20_000): Promise<Frame> {
  await openFile(page, file);
  await goTo(page, line, column);
  await runCommand(page, 'Layer Lens: Transposed Convolution (ConvTranspose2d)');
  await expectQuickInput(page, 'Layer Lens: Kernel');
  await page.keyboard.press('Enter');
  await expectQuickInput(page, 'Layer Lens: Stride');
  await answerInputBox(page, stride);
  const panel = await transposedPanelFrame(page, timeoutMs);
  await panel.locator('.source', { hasText: `${file}:${line}` }).waitFor({ timeout: timeoutMs });
  return panel;
}
