/**
 * Opens the VS Code workbench served by code-server in Debian's Chromium, driven by Playwright,
 * with Layer Lens loaded as the extension under development.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { findChromium, repoRoot } from './prerequisites';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox', // Chromium refuses to run as root otherwise.
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking', // The machine's network is closed; don't let Chromium try.
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WorkbenchOptions {
  /** Absolute path of the folder to open. */
  readonly folder: string;
  /** Absolute path of a module exporting `run(): Promise<void>`, run inside the extension host. */
  readonly extensionTestsPath?: string;
  readonly viewport?: { width: number; height: number };
  /**
   * Run Layer Lens in the browser's extension host (a web worker, as on vscode.dev) from its
   * `browser` entry, instead of Node's extension host from `main`.
   */
  readonly webExtensionHost?: boolean;
  /** Absolute path of the extension under development: Layer Lens (this repository) unless given. */
  readonly extensionPath?: string;
}

/**
 * The workbench URL: the folder, and for a server that loads Layer Lens from the payload, the
 * development payload (the extension, and optionally a test module).
 */
export function workbenchUrl(server: CodeServer, options: WorkbenchOptions): string {
  const folderUrl = `${server.origin}/?folder=${encodeURIComponent(options.folder)}`;
  if (server.extensionLoading === 'installed') {
    if (options.extensionTestsPath || options.webExtensionHost || options.extensionPath) {
      throw new Error('a code-server that loads Layer Lens as installed takes no development payload: start it with extensionLoading \'payload\'');
    }
    return folderUrl;
  }
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(options.extensionPath ?? repoRoot)], ['skipWelcome', 'true']];
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  if (options.webExtensionHost) payload.push(['extensionDevelopmentKind', 'web']);
  return `${folderUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface Workbench {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Settles with the exit code the workbench reports when an extension test module finishes. */
  readonly exitCode: Promise<number>;
  /** Lines the workbench logged through the smoke-test driver. */
  readonly log: string[];
}

export async function openWorkbench(browser: Browser, server: CodeServer, options: WorkbenchOptions): Promise<Workbench> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 } });
  const page = await context.newPage();
  const log: string[] = [];
  let reportExit: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolveExit) => (reportExit = resolveExit));
  // The workbench calls these (enabled by `enable-smoke-test-driver`, so never for a server that
  // loads Layer Lens as installed) when the test module settles.
  await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => log.push(args.map(String).join(' ')));
  await page.goto(workbenchUrl(server, options));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { context, page, exitCode, log };
}
