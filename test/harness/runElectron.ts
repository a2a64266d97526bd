/**
 * `npm run test:electron`: the same integration suites in a desktop VS Code, through
 * `@vscode/test-electron`. It downloads VS Code unless VSCODE_PATH names an installed one, so it
 * is for contributors with internet access or a desktop VS Code; CI uses `test:integration`
 * (code-server from the npm registry) instead.
 */
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { repoRoot } from './prerequisites';

runTests({
  extensionDevelopmentPath: repoRoot,
  extensionTestsPath: join(repoRoot, 'out/test/integration/index.js'),
  vscodeExecutablePath: process.env.VSCODE_PATH || undefined,
  launchArgs: [join(repoRoot, 'samples'), '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('The integration tests did not run in a desktop VS Code:', error);
    process.exit(1);
  },
);
