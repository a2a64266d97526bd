/**
 * Activation loads only the small entry: every command, panel and editor provider is a stand-in
 * until first used (src/host/activation.ts). These tests bundle the two entries as scripts/build.mjs
 * does and fail when a heavy module comes back into what activation evaluates: an import from the
 * entry's modules of a panel, the lab, a parser or the engine would put it there.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { COMMANDS, RESTORED_PANELS, SETTING_IDS } from '../../../src/host/contributed';

const repoRoot = resolve(__dirname, '../../../..');

/** Every module the Node entry bundle may hold: activation, the id lists (with the page table they read), the editor providers' stand-ins and the settings' language lists. */
const ENTRY_MODULES = ['src/host/extension.ts', 'src/host/activation.ts', 'src/host/contributed.ts', 'src/host/editor/index.ts', 'src/host/common/settings.ts', 'src/core/protocol/pages.ts', 'src/host/agents/mcpServerDefinition.ts'];

/**
 * The unminified entry bundle's size bound. It was 6.2 KB on 2026-12-04 (the features bundle beside
 * it: 512 KB); a few more stand-ins fit, a parser or a panel does not.
 */
const ENTRY_MAX_BYTES = 12 * 1024;

async function bundle(entry: string, platform: 'node' | 'browser'): Promise<{ inputs: Record<string, number>; text: string; bytes: number }> {
  const result = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    outfile: join(repoRoot, 'out/activation-test/entry.js'),
    platform,
    format: 'cjs',
    target: platform === 'node' ? 'node20' : 'es2022',
    external: ['vscode'],
    define: { __LAYER_LENS_KERNELS_WASM__: 'undefined' },
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  const [file] = result.outputFiles;
  assert.ok(output && file);
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([path, { bytesInOutput }]) => [path, bytesInOutput]));
  return { inputs, text: file.text, bytes: output.bytes };
}

describe('activation', function () {
  this.timeout(60_000);

  it('registers every command package.json contributes, and a serializer for every panel it restores', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      activationEvents: string[];
      contributes: { commands: { command: string }[] };
    };
    assert.deepEqual([...COMMANDS].sort(), manifest.contributes.commands.map((c) => c.command).sort());
    const restored = manifest.activationEvents.filter((e) => e.startsWith('onWebviewPanel:')).map((e) => e.slice('onWebviewPanel:'.length));
    assert.deepEqual([...RESTORED_PANELS].sort(), restored.sort());
  });

  it('reads every setting package.json contributes, by the same ids (settings users saved keep working)', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
    assert.deepEqual([...SETTING_IDS].sort(), Object.keys(manifest.contributes.configuration.properties).sort());
  });

  it('the Node entry bundle holds no feature code and stays small', async () => {
    const { inputs, bytes } = await bundle('src/host/extension.ts', 'node');
    const unexpected = Object.keys(inputs).filter((path) => inputs[path]! > 0 && !ENTRY_MODULES.includes(path));
    assert.deepEqual(unexpected, [], `dist/extension.js would hold modules activation does not need (load them from src/host/features.ts instead): ${unexpected.join(', ')}`);
    assert.ok(bytes <= ENTRY_MAX_BYTES, `the entry bundle is ${bytes} bytes, over the ${ENTRY_MAX_BYTES} bytes allowed`);
  });

  it('the browser entry is one file in which every feature module is evaluated on first use, not at activation', async () => {
    const { inputs, text } = await bundle('src/host/web/extension.ts', 'browser');
    // A module the entry imports dynamically, directly or not, is wrapped by esbuild as
    // `var init_x = __esm({ "src/x.ts"() { … } })` (a CommonJS one as `__commonJS({ "path"(exports, module) { … } })`).
    const eager = Object.keys(inputs).filter(
      (path) => inputs[path]! > 0 && path !== 'src/host/web/extension.ts' && path !== 'src/host/web/webWorker.ts' && !ENTRY_MODULES.includes(path) && !text.includes(`"${path}"(`),
    );
    assert.deepEqual(eager, [], `modules evaluated at activation in dist/web/extension.js: ${eager.join(', ')}`);
    assert.ok(Object.keys(inputs).includes('src/core/parse/index.ts'), 'the features are not in the browser bundle');
    assert.doesNotMatch(text, /\brequire\("(?!vscode")/, 'the browser bundle requires a module other than vscode');
  });
});
