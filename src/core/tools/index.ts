/**
 * The tools Layer Lens offers to coding agents, defined once: VS Code registers each as a language
 * model tool (src/host/agents/), the MCP server lists and calls them (src/cli/mcpServer.ts), and
 * package.json's `languageModelTools` is checked against this table by a unit test.
 *
 * A new tool is one entry here (a `defineTool` module beside this one) and one in package.json;
 * a tool that reads a file declares it in its input (a path) and gets the text from the host.
 */
import type { AnyTool } from './tool';
import { checkCheckerboardTool } from './checkCheckerboard';
import { computeLayerTool } from './computeLayer';
import { auditCheckpointTool } from './auditCheckpoint';
import { inspectModelTool } from './inspectModel';
import { layerOutputShapeTool } from './layerOutputShape';
import { solveLayerSizeTool } from './solveLayerSize';

export type { AnyTool, ToolResult } from './tool';
export type { JsonSchema, ObjectSchema } from './jsonSchema';
export { FileProblem, type ToolFiles } from './toolFiles';

export const TOOLS: readonly AnyTool[] = [layerOutputShapeTool, solveLayerSizeTool, checkCheckerboardTool, inspectModelTool, auditCheckpointTool, computeLayerTool];

export function toolNamed(name: string): AnyTool | undefined {
  return TOOLS.find((tool) => tool.name === name);
}
