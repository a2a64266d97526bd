/**
 * Tells VS Code where Layer Lens's MCP server is (`mcpServerDefinitionProviders` in package.json),
 * so agent modes that use MCP find the same tools as the chat agent: the bundled server
 * (dist/mcp.js, src/cli/mcp.ts) run over stdio by the extension host's own Node. In desktop VS Code
 * `process.execPath` is the editor's Electron binary, which runs a script as Node with
 * `ELECTRON_RUN_AS_NODE`. Node extension host only: the browser's has no processes. VS Code's
 * typings of this version predate the API, so it is looked up, and skipped where it is missing.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';

/** The provider id package.json contributes. */
export const MCP_PROVIDER_ID = 'layerLens.mcp';

interface McpApi {
  registerMcpServerDefinitionProvider(id: string, provider: { provideMcpServerDefinitions(): unknown[] }): vscode.Disposable;
}
type StdioDefinition = new (label: string, command: string, args: string[], env?: Record<string, string>, version?: string) => unknown;

export function registerMcpServerDefinition(context: vscode.ExtensionContext): void {
  const lm = vscode.lm as unknown as Partial<McpApi>;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: StdioDefinition }).McpStdioServerDefinition;
  if (typeof lm.registerMcpServerDefinitionProvider !== 'function' || Definition === undefined) return;
  const server = join(context.extensionUri.fsPath, 'dist', 'mcp.js');
  const version = (context.extension.packageJSON as { version?: string }).version ?? '0.0.0';
  context.subscriptions.push(
    lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      provideMcpServerDefinitions: () => {
        const definition = new Definition('Layer Lens', process.execPath, [server], { ELECTRON_RUN_AS_NODE: '1' }, version) as { cwd?: vscode.Uri };
        // The file tools read relative paths from the server's directory: the workspace folder, when it is on disk.
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (folder?.uri.scheme === 'file') definition.cwd = folder.uri;
        return [definition];
      },
    }),
  );
}
