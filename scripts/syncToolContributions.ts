/**
 * Writes package.json's `contributes.languageModelTools` from the core's tool table
 * (src/core/tools/index.ts), the one place the tools are defined. Run after changing a tool:
 *
 *     npm run build && node out/scripts/syncToolContributions.js
 *
 * test/unit/tools/contributions.test.ts fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolContributions } from '../test/unit/tools/toolContributions';

const path = join(__dirname, '..', '..', 'package.json');
const manifest = JSON.parse(readFileSync(path, 'utf8')) as { contributes: Record<string, unknown> };
manifest.contributes.languageModelTools = toolContributions();
writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`package.json: ${toolContributions().length} language model tools written`);
