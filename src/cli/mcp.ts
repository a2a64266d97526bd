/**
 * `layer-lens-mcp`: the MCP server over stdio (bundled to dist/mcp.js, the package's
 * `layer-lens-mcp` bin; VS Code starts it too, through the MCP server definition provider in
 * src/host/agents/). Logs go to stderr: stdout carries the protocol.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from './mcpServer';

async function main(): Promise<void> {
  const server = createMcpServer(__LAYER_LENS_VERSION__);
  await server.connect(new StdioServerTransport());
  process.stderr.write(`layer-lens-mcp ${__LAYER_LENS_VERSION__}: serving Layer Lens's tools on stdio\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`layer-lens-mcp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
