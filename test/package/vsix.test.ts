import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PAGE_IDS } from '../../src/core/protocol/pages';

const repoRoot = resolve(__dirname, '../../..');

/** The entries of a zip archive, read with Python's zipfile (python3 is a build prerequisite). */
function zipEntries(path: string): string[] {
  const script = 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))';
  return execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('npm run package', function () {
  this.timeout(180_000);
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const vsix = join(repoRoot, `layer-lens-${version}.vsix`);
  let entries: string[];

  before(() => {
    rmSync(vsix, { force: true });
    execFileSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'pipe' });
    assert.ok(existsSync(vsix), `${vsix} was not produced`);
    entries = zipEntries(vsix).filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
  });

  it('holds only the bundles, media, README, CHANGELOG, LICENSE and package.json', () => {
    // The pages' bundles are named by the page table (src/core/protocol/pages.ts), as the build names them.
    const bundles = ['extension', 'features', 'engineWorker', 'cli', 'mcp', ...PAGE_IDS].join('|');
    const allowed = new RegExp(`^(package\\.json|readme\\.md|changelog\\.md|LICENSE(\\.txt)?|dist/(web/)?(${bundles})\\.(js|css)|dist/codicon\\.ttf|media/(walkthrough/)?[^/]+)$`, 'i');
    const unexpected = entries.filter((e) => !allowed.test(e));
    assert.deepEqual(unexpected, [], `unexpected files in the .vsix: ${unexpected.join(', ')}`);
    const pageBundles = PAGE_IDS.flatMap((id) => [`dist/${id}.js`, `dist/${id}.css`]);
    for (const required of ['package.json', 'dist/extension.js', 'dist/features.js', 'dist/engineWorker.js', 'dist/cli.js', 'dist/mcp.js', 'dist/web/extension.js', 'dist/web/engineWorker.js', ...pageBundles, 'dist/codicon.ttf', 'media/icon.png']) {
      assert.ok(entries.includes(required), `${required} is missing from the .vsix`);
    }
  });

  it('ships minified bundles without source maps', () => {
    assert.ok(!entries.some((e) => e.endsWith('.map') || e.endsWith('.ts')), 'maps or sources in the .vsix');
    for (const name of ['dist/extension.js', 'dist/features.js']) {
      const bundle = readFileSync(join(repoRoot, name), 'utf8');
      assert.ok(!bundle.includes('sourceMappingURL'), `the packaged ${name} points at a source map`);
      // Minified code has few, very long lines (only template strings keep their line breaks).
      const meanLineLength = bundle.length / bundle.split('\n').length;
      assert.ok(meanLineLength > 400, `the packaged ${name} looks unminified (mean line length ${meanLineLength.toFixed(0)})`);
    }
  });
});
