/**
 * What activating Layer Lens does, on either platform: register every command, every restorable
 * panel and every editor provider with a stand-in, and nothing else. Activation comes from
 * `contributes` (a command being run, a panel being restored) and from opening a document in a
 * language Layer Lens reads (`onLanguage:` events), never at VS Code startup.
 *
 * The features themselves (src/host/features.ts: commands, panels, lab, stack view, parsers, engine) load
 * the first time a stand-in is used, or in the turn of the event loop after activation, where the
 * diagnostics of the open documents start; activation itself loads none of their code. VS Code
 * counts the loading of this entry and the `activate` call as the extension's activation time, so
 * keep this module and what it imports small: test/unit/host/activation.test.ts checks the entry
 * bundle's contents and size.
 *
 * A new command: add its id to COMMAND in src/host/contributed.ts (and to package.json), and its
 * handler to `commands` in src/host/features.ts. A new restorable panel: a row in the page table
 * (src/core/protocol/pages.ts), its serializer to `panels`. Nothing here changes.
 */
import * as vscode from 'vscode';
import { CHECKPOINT_EDITORS, COMMANDS, RESTORED_PANELS } from './contributed';
import { registerEditorFeatures } from './editor/index';
import type { Features } from './features';

/** Loads the features and creates them for this extension (once; see the entry points). */
export type LoadFeatures = () => Promise<Features>;

export function activateLayerLens(context: vscode.ExtensionContext, load: LoadFeatures): void {
  let loading: Promise<Features> | undefined;
  const features = () => (loading ??= load());
  context.subscriptions.push(
    ...COMMANDS.map((id) => vscode.commands.registerCommand(id, async (args: unknown) => (await features()).commands[id](args))),
    ...RESTORED_PANELS.map((viewType) =>
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: async (panel, state: unknown) => (await features()).panels[viewType].deserializeWebviewPanel(panel, state),
      }),
    ),
    registerEditorFeatures(async () => (await features()).editor),
    ...registerToolStandIns(context, features),
    ...CHECKPOINT_EDITORS.map((viewType) =>
      vscode.window.registerCustomEditorProvider(
        viewType,
        {
          openCustomDocument: async (uri, openContext, token) => (await features()).checkpointEditor.openCustomDocument(uri, openContext, token),
          resolveCustomEditor: async (document, panel, token) => (await features()).checkpointEditor.resolveCustomEditor(document, panel, token),
        },
        { supportsMultipleEditorsPerDocument: true },
      ),
    ),
  );
  // The diagnostics and the status bar work on the open documents without being asked: they start
  // when the features load, in the next turn, outside activation (a provider's first request may load them sooner).
  const start = setTimeout(() => void features(), 0);
  context.subscriptions.push(new vscode.Disposable(() => clearTimeout(start)));
}

/**
 * A stand-in for each language-model tool package.json contributes (its names are read from there,
 * so activation imports none of the tools): the tools themselves are in the features.
 */
function registerToolStandIns(context: vscode.ExtensionContext, features: () => Promise<Features>): vscode.Disposable[] {
  // `vscode.lm` may be missing where a host lacks the API; the tools are then simply not offered.
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  const contributed = (context.extension.packageJSON as { contributes?: { languageModelTools?: { name: string }[] } }).contributes?.languageModelTools ?? [];
  const toolNamed = async (name: string) => {
    const tool = (await features()).tools[name];
    if (!tool) throw new Error(`Layer Lens has no tool named ${name}.`);
    return tool;
  };
  return contributed.map(({ name }) =>
    vscode.lm.registerTool<unknown>(name, {
      prepareInvocation: async (options, token) => (await toolNamed(name)).prepareInvocation?.(options, token),
      invoke: async (options, token) => (await toolNamed(name)).invoke(options, token),
    }),
  );
}
