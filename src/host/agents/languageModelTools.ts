/**
 * Layer Lens's tools for the chat agent: each tool of the core's table (src/core/tools/index.ts)
 * as a `vscode.LanguageModelTool`. VS Code does not check a model's input against the schema in
 * package.json, so the core's `run` does, and a bad input or a layer PyTorch refuses is thrown as
 * an Error whose message says what is wrong: VS Code hands that message to the model. The answer
 * is the text for the model, then the structured result as JSON.
 *
 * The `prepareInvocation` message says what will be read: only the text given, or the files
 * named (`inspect_model`, `audit_checkpoint`), which are read through `vscode.workspace.fs`
 * (workspaceFiles.ts), so untrusted and virtual workspaces behave.
 */
import * as vscode from 'vscode';
import { TOOLS, type AnyTool } from '../../core/tools/index';
import { workspaceFiles } from './workspaceFiles';

export type LanguageModelTools = Readonly<Record<string, vscode.LanguageModelTool<unknown>>>;

export function languageModelTools(): LanguageModelTools {
  return Object.fromEntries(TOOLS.map((tool) => [tool.name, languageModelTool(tool)]));
}

function languageModelTool(tool: AnyTool): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation: ({ input }) => ({ invocationMessage: tool.invocationMessage(input) }),
    invoke: async ({ input }) => {
      const result = await tool.call(input, workspaceFiles);
      if (result.kind !== 'ok') throw new Error(result.text);
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(result.text), structuredPart(result.data)]);
    },
  };
}

/** The structured result: a JSON data part where VS Code has them (1.105 and later), JSON text otherwise. */
function structuredPart(data: unknown): vscode.LanguageModelTextPart {
  const dataPart = (vscode as unknown as { LanguageModelDataPart?: { json(value: unknown): vscode.LanguageModelTextPart } }).LanguageModelDataPart;
  return dataPart ? dataPart.json(data) : new vscode.LanguageModelTextPart(JSON.stringify(data));
}
