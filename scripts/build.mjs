#!/usr/bin/env node
// One build script for every bundle Layer Lens ships and every compiled test.
//
//   node scripts/build.mjs               development build: bundles with source maps, plus tests and tools
//   node scripts/build.mjs --production  minified bundles without source maps, nothing else (for packaging)
//   node scripts/build.mjs --watch       development build, rebuilt on change
//
// Type checking is `tsc -b` (see tsconfig.json); esbuild only transpiles and bundles.
import * as esbuild from 'esbuild';
import { chmod, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileKernels, kernelsSource } from './kernelsWasm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Reports errors as `file:line:col: error: text` so VS Code's problem matchers make them clickable. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log(`[watch] build started (${build.initialOptions.outfile ?? build.initialOptions.outdir})`));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`${location?.file ?? '?'}:${location?.line ?? 0}:${location?.column ?? 0}: error: ${text}`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** Compiles the kernels and writes them to out/wasm/ too, for inspection and the reproducibility test. (Watch mode compiles them once, at start.) */
async function buildKernels() {
  const bytes = await compileKernels(root);
  if (!production) {
    await mkdir(join(root, 'out/wasm'), { recursive: true });
    await writeFile(join(root, 'out/wasm/kernels.wasm'), bytes);
  }
  return Buffer.from(bytes).toString('base64');
}

const kernelsBase64 = await buildKernels();

/** The page ids of src/core/protocol/pages.ts, the table the host's HTML builder reads too. */
async function readPageIds() {
  const { outputFiles } = await esbuild.build({ entryPoints: [join(root, 'src/core/protocol/pages.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'silent' });
  const { PAGE_IDS } = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
  return PAGE_IDS;
}

const pageIds = await readPageIds();

const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  // The kernels travel inside every bundle and compiled file (src/core/engine/wasm/kernelModule.ts);
  // the version is what the command-line programs print (src/cli/version.d.ts).
  define: { __LAYER_LENS_KERNELS_WASM__: JSON.stringify(kernelsBase64), __LAYER_LENS_VERSION__: JSON.stringify(version) },
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: watch ? 'silent' : 'warning',
  plugins: watch ? [problemMatcher] : [],
  absWorkingDir: root,
};

/** The bundles that ship in the .vsix. */
/** Makes a bundle executable once written: the package's bins run as `npx layer-lens` from a checkout too (npm sets the bit only when it installs a package). */
const executable = {
  name: 'executable',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length === 0) await chmod(join(root, build.initialOptions.outfile), 0o755);
    });
  },
};

const productBuilds = [
  // The extension host entry: Node, CommonJS, `vscode` provided by the host. Only what activation
  // needs (a few kilobytes, see test/unit/host/activation.test.ts); the features are the next bundle,
  // which it requires the first time one is used.
  { ...common, entryPoints: ['src/host/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['src/host/nodeFeatures.ts'], outfile: 'dist/features.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // The engine worker thread the extension host hands large computations to.
  { ...common, entryPoints: ['src/host/worker/engineWorker.ts'], outfile: 'dist/engineWorker.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The same two in the browser's extension host (vscode.dev): a web worker itself, so no Node
  // built-in resolves there and any import of one fails this build. That host runs an extension as
  // one file, so the features are inside this bundle (evaluated on first use, not at activation).
  { ...common, entryPoints: ['src/host/web/extension.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'] },
  { ...common, entryPoints: ['src/host/web/engineWorker.ts'], outfile: 'dist/web/engineWorker.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // Every webview page (src/core/protocol/pages.ts): its script, a browser IIFE, and its stylesheet;
  // codicons come in through the stylesheet and their font lands in dist/ beside it.
  ...pageIds.flatMap((id) => [
    { ...common, entryPoints: [`webview/${id}/main.ts`], outfile: `dist/${id}.js`, platform: 'browser', format: 'iife', target: 'es2022' },
    { ...common, entryPoints: [`webview/${id}/${id}.css`], outfile: `dist/${id}.css`, loader: { '.css': 'css', '.ttf': 'file' }, assetNames: '[name]' },
  ]),
  // The command-line programs, the package's bins (`layer-lens`, `layer-lens-mcp`): one file each,
  // the MCP SDK inside, so neither the .vsix nor `npx` needs node_modules. VS Code runs the MCP
  // server with its extension host's Node (src/host/agents/mcpServerDefinition.ts).
  { ...common, entryPoints: ['src/cli/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, executable] },
  { ...common, entryPoints: ['src/cli/mcp.ts'], outfile: 'dist/mcp.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, executable] },
  // The pure engine and parser API as a CommonJS library, for benchmarks and other tools.
  { ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js', platform: 'neutral', format: 'cjs', target: 'es2022', mainFields: ['module', 'main'] },
];

async function listTs(dir) {
  const found = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !relative(root, entry.parentPath).startsWith(kernelsSource)) {
      found.push(relative(root, join(entry.parentPath, entry.name)));
    }
  }
  return found;
}

/**
 * Tests, the test harness and scripts, transpiled file by file into `out/` (mirroring the tree, with
 * the sources they import), not bundled: a module shared by several test files, such as the e2e
 * root hooks, must exist once at run time.
 */
async function toolBuilds() {
  const entryPoints = (await Promise.all(['test', 'scripts', 'src', 'webview'].map(listTs))).flat();
  return [{
    ...common, bundle: false, entryPoints, outdir: 'out', outbase: '.', platform: 'node', format: 'cjs', target: 'node20',
  }];
}

/** `dist/core.d.ts`, re-exporting the declarations `tsc -b` emitted for the core. */
async function writeCoreTypes() {
  const declarations = join(root, 'out/types/core');
  const target = join(root, 'dist/types');
  await rm(target, { recursive: true, force: true });
  let copied = 0;
  for (const entry of await readdir(declarations, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const from = join(entry.parentPath, entry.name);
    const to = join(target, relative(declarations, from));
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
    copied++;
  }
  if (copied > 0) await writeFile(join(root, 'dist/core.d.ts'), "export * from './types/core';\n");
}

const builds = production ? productBuilds : [...productBuilds, ...(await toolBuilds())];
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await rm(join(root, 'dist'), { recursive: true, force: true });
  // Compiled tests and tools from a previous build: a renamed or deleted test must not run on from there.
  // (Not in a production build, which compiles no tests: packaging runs it while the package test runs.)
  if (!production) for (const dir of ['test', 'scripts', 'src', 'webview']) await rm(join(root, 'out', dir), { recursive: true, force: true });
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await writeCoreTypes();
}
