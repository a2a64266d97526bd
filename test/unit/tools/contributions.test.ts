/**
 * The tools are defined once (src/core/tools): package.json's `languageModelTools` (what VS Code
 * shows a model) must say exactly what the table says, and each tool must be activated by its name.
 * When this fails after a change to a tool: `npm run build && node out/scripts/syncToolContributions.js`.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TOOLS } from '../../../src/core/tools/index';
import { toolContributions } from './toolContributions';

interface Manifest {
  activationEvents: string[];
  bin: Record<string, string>;
  contributes: { languageModelTools: { name: string; inputSchema: unknown }[]; mcpServerDefinitionProviders: { id: string; label: string }[] };
}

/** src/host/agents/mcpServerDefinition.ts's MCP_PROVIDER_ID (that module imports `vscode`, so it is not loaded here). */
const MCP_PROVIDER_ID = 'layerLens.mcp';

const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../../package.json'), 'utf8')) as Manifest;

describe('language model tool contributions (package.json)', () => {
  it('equal the core tool table, schemas included', () => {
    assert.deepEqual(manifest.contributes.languageModelTools, toolContributions());
  });

  it('name every tool once, in the table order', () => {
    assert.deepEqual(
      manifest.contributes.languageModelTools.map((t) => t.name),
      ['layer_output_shape', 'solve_layer_size', 'check_checkerboard', 'inspect_model', 'audit_checkpoint', 'compute_layer'],
    );
    assert.equal(new Set(TOOLS.map((t) => t.name)).size, TOOLS.length);
  });

  it('activate the extension for each tool and for the MCP server definition', () => {
    for (const tool of TOOLS) assert.ok(manifest.activationEvents.includes(`onLanguageModelTool:${tool.name}`), `onLanguageModelTool:${tool.name} is missing`);
    assert.ok(manifest.activationEvents.includes(`onMcpCollection:${MCP_PROVIDER_ID}`));
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [{ id: MCP_PROVIDER_ID, label: 'Layer Lens' }]);
  });

  it('declare the command-line programs as bins of the package', () => {
    assert.deepEqual(manifest.bin, { 'layer-lens': 'dist/cli.js', 'layer-lens-mcp': 'dist/mcp.js' });
  });
});
