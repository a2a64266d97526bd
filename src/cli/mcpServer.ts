/**
 * Layer Lens's tools as an MCP server (the official TypeScript SDK's low-level `Server`), built
 * from the same table VS Code registers (src/core/tools/index.ts): `tools/list` answers each
 * tool's name, title, description and JSON schema; `tools/call` checks the arguments against the
 * schema and answers bad ones with an InvalidParams error that says what is wrong, and a layer
 * PyTorch refuses with an error result (`isError`) carrying PyTorch's reason. Nothing here exits
 * the process: a bad request is answered, and the server waits for the next.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TOOLS, toolNamed } from '../core/tools/index';
import { nodeFiles } from './nodeFiles';

export function createMcpServer(version: string): Server {
  const server = new Server({ name: 'layer-lens', title: 'Layer Lens', version }, {
    capabilities: { tools: {} },
    instructions:
      'Exact PyTorch/Keras layer arithmetic: output shapes with formulas, the padding/output_padding that gives a wanted size, checkerboard (uneven overlap) checks with fixes, whole models read from their files (per-layer shapes, the input sizes that work), checkpoint audits, and exact layer outputs on small tensors. Prefer these tools to working sizes out by hand. Relative paths are read from the directory the server runs in.',
  });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: TOOLS.map((tool) => ({ name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema as never, outputSchema: tool.outputSchema as never })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    const tool = toolNamed(name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${name}": Layer Lens has ${TOOLS.map((t) => t.name).join(', ')}.`);
    const result = await tool.call(args ?? {}, nodeFiles);
    switch (result.kind) {
      case 'ok':
        return { content: [{ type: 'text', text: result.text }], structuredContent: result.data as Record<string, unknown> };
      case 'refused':
        return { content: [{ type: 'text', text: result.text }], isError: true };
      case 'invalid':
        throw new McpError(ErrorCode.InvalidParams, result.text);
    }
  });
  return server;
}
