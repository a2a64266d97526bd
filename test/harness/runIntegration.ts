/**
 * `npm run test:integration`: runs the integration suites (test/integration) inside the real VS Code
 * extension host, once for the whole suite: code-server serves the workbench, Chromium opens it
 * with Layer Lens under development (beside the test-only `debugpy` debug type, see
 * extensionsFolder.ts) and `out/test/integration/index.js` as the test module. The suites' report
 * is printed here; on failure a screenshot of the workbench is saved.
 */
import { readFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startCodeServer } from './codeServer';
import { extensionsFolder } from './extensionsFolder';
import { ensureCodeServer, MissingPrerequisite, repoRoot, resultsDir } from './prerequisites';
import { launchBrowser, openWorkbench } from './workbench';

/** The whole run, including VS Code's start; a hung extension host fails the run instead of CI. */
const RUN_TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<number> {
  await ensureCodeServer();
  const outDir = join(resultsDir, 'integration');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const server = await startCodeServer();
  const browser = await launchBrowser();
  try {
    const started = Date.now();
    const workbench = await openWorkbench(browser, server, {
      folder: join(repoRoot, 'samples'),
      extensionTestsPath: join(repoRoot, 'out/test/integration/index.js'),
      // Layer Lens beside the test-only `debugpy` debug type, for the live-tensor suite.
      extensionPath: await extensionsFolder(),
    });
    const timeout = new Promise<number>((done) => setTimeout(() => done(-1), RUN_TIMEOUT_MS));
    const code = await Promise.race([workbench.exitCode, timeout]);
    const report = await readFile(join(outDir, 'report.txt'), 'utf8').catch(() => undefined);
    console.log(report ?? '[harness] the integration suites wrote no report.');
    console.log(`[harness] integration run took ${((Date.now() - started) / 1000).toFixed(1)} s, VS Code start included`);
    if (code !== 0) {
      const shot = join(outDir, 'failure.png');
      await workbench.page.screenshot({ path: shot }).catch(() => undefined);
      if (code === -1) console.error(`[harness] the integration suites did not finish within ${RUN_TIMEOUT_MS / 60_000} minutes.`);
      // The workbench's own log is noise (offline gallery look-ups) unless the suites never reported.
      if (!report && workbench.log.length) console.error(`[harness] workbench log:\n${workbench.log.join('\n')}`);
      console.error(`[harness] integration tests FAILED; screenshot: ${shot}`);
      return 1;
    }
    return 0;
  } catch (error) {
    console.error(`[harness] code-server output:\n${server.log()}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof MissingPrerequisite ? `[harness] ${error.message}` : error);
    process.exit(1);
  },
);
