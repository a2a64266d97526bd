/**
 * The integration test module: VS Code's extension host calls `run()` once (the harness passes this
 * file as `extensionTestsPath`), with the real `vscode` API and Layer Lens loaded under development.
 * Every `*.test.js` beside this file is a suite. The report goes to
 * `test-results/integration/report.txt`, which the harness prints, because the extension host's
 * own console is not the terminal's.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

const repoRoot = resolve(__dirname, '../../..');
const reportFile = join(repoRoot, 'test-results', 'integration', 'report.txt');

/** A plain-text reporter: which test, what was expected, what came instead. */
class FileReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const lines: string[] = [`Integration tests in VS Code ${vscode.version} (${vscode.env.appName}), extension host on Node ${process.version}`, ''];
    const failures: string[] = [];
    const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    let depth = 0;
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) lines.push(`${'  '.repeat(depth)}${suite.title}`);
      depth++;
    });
    runner.on('suite end', () => depth--);
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => lines.push(`${'  '.repeat(depth)}✔ ${test.title} (${test.duration ?? 0} ms)`));
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => lines.push(`${'  '.repeat(depth)}- ${test.title} (pending)`));
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) => {
      failures.push(`${failures.length + 1}) ${test.fullTitle()}\n${error.stack ?? error.message}`);
      lines.push(`${'  '.repeat(depth)}✘ ${failures.length}) ${test.title}`);
    });
    runner.once(EVENT_RUN_END, () => {
      const stats = runner.stats;
      lines.push('', `${stats?.passes ?? 0} passing, ${stats?.failures ?? 0} failing, ${stats?.pending ?? 0} pending`);
      if (failures.length) lines.push('', ...failures);
      mkdirSync(join(repoRoot, 'test-results', 'integration'), { recursive: true });
      writeFileSync(reportFile, lines.join('\n') + '\n');
    });
  }
}

export async function run(): Promise<void> {
  // Failure locations in the TypeScript sources rather than the compiled files.
  process.setSourceMapsEnabled(true);
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: FileReporter });
  // LAYER_LENS_INTEGRATION_GREP='setKernel|stacks' npm run test:integration runs only the matching tests (a regular expression; while iterating).
  const grep = process.env.LAYER_LENS_INTEGRATION_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((done) => mocha.run(done));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed; see ${relative(repoRoot, reportFile)}`);
}
