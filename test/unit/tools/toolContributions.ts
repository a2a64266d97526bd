/**
 * What package.json's `contributes.languageModelTools` must say for the core's tools: derived from
 * the table, so the schema VS Code shows a model and the one the tools check are one.
 */
import { TOOLS } from '../../../src/core/tools/index';

export function toolContributions(): object[] {
  return TOOLS.map((tool) => ({
    name: tool.name,
    displayName: tool.title,
    toolReferenceName: tool.name,
    canBeReferencedInPrompt: true,
    icon: '$(layers)',
    userDescription: tool.description.split('. ')[0]?.replace(/\.$/, '') + '.',
    modelDescription: tool.description,
    tags: ['layer-lens', 'pytorch', 'keras'],
    inputSchema: tool.inputSchema,
  }));
}
