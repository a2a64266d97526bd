/**
 * The layout's rules, checked on the tree itself: what README's Architecture section promises and
 * the issue that set it up asked for. Each test names the files that break a rule.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../../..');

function sourceFiles(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|css)$/.test(e.name))
      .map((e) => relative(repoRoot, join(e.parentPath, e.name))),
  );
}

type CircleFinder = (root: string) => { componentOf: Map<string, Set<string>> };

async function importCircles(): Promise<CircleFinder> {
  // An ES module of the lint configuration's; loaded as it is (not compiled).
  const module = (await import(join(repoRoot, 'scripts/lint/importCycles.mjs'))) as { importCircles: CircleFinder };
  return module.importCircles;
}

describe('architecture', () => {
  it('has no import circle in src/ or webview/', async () => {
    const { componentOf } = (await importCircles())(repoRoot);
    assert.deepEqual([...componentOf.keys()].map((f) => relative(repoRoot, f)), []);
  });

  it('the circle finder finds a circle of three modules, type-only imports included, and nothing in a line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'layer-lens-circles-'));
    try {
      mkdirSync(join(root, 'src', 'a'), { recursive: true });
      writeFileSync(join(root, 'src/a/one.ts'), "import { two } from './two';\nexport const one = two;\n");
      writeFileSync(join(root, 'src/a/two.ts'), "export { three as two } from '../three';\n");
      writeFileSync(join(root, 'src/three.ts'), "import type { one } from './a/one';\nexport const three = 3 as typeof one;\n");
      writeFileSync(join(root, 'src/line.ts'), "import { one } from './a/one';\nexport const line = one;\n");
      const { componentOf } = (await importCircles())(root);
      assert.deepEqual([...componentOf.keys()].map((f) => relative(root, f)).sort(), ['src/a/one.ts', 'src/a/two.ts', 'src/three.ts']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps every source file in src/ and webview/ to 600 lines (the WebAssembly kernels aside)', () => {
    const long = sourceFiles('src', 'webview')
      .filter((f) => !f.includes('engine/wasm/assembly/'))
      .map((f) => [f, readFileSync(join(repoRoot, f), 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 600);
    assert.deepEqual(long, []);
  });

  it('acquires the VS Code API in one page module and hears pages in one host module', () => {
    const files = sourceFiles('src', 'webview').filter((f) => f.endsWith('.ts'));
    const calling = (pattern: RegExp) => files.filter((f) => pattern.test(readFileSync(join(repoRoot, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    assert.deepEqual(calling(/acquireVsCodeApi\(/), ['webview/shared/connectPage.ts']);
    assert.deepEqual(calling(/onDidReceiveMessage/), ['src/host/kit/pageConnection.ts']);
  });

  it('keeps the pure core free of vscode and Node (its tsconfig has no DOM): one folder, one glob', () => {
    const core = sourceFiles('src/core').filter((f) => f.endsWith('.ts') && !f.includes('engine/wasm/assembly/'));
    const offending = core.filter((f) => /from 'vscode'|from 'node:|require\(/.test(readFileSync(join(repoRoot, f), 'utf8')));
    assert.deepEqual(offending, []);
    const tsconfig = readFileSync(join(repoRoot, 'tsconfig.core.json'), 'utf8');
    assert.match(tsconfig, /"include": \["src\/core\/\*\*\/\*\.ts"\]/);
  });
});
