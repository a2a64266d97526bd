/**
 * The editor features as activation registers them: each hover, CodeLens, code action and inline
 * values provider under its languages, as a stand-in that loads the features on the first request
 * and hands every request to the real provider (src/host/editor/providers.ts). Registering them
 * parses nothing and loads nothing; the diagnostics and the status bar start when the features load.
 */
import * as vscode from 'vscode';
import { LAYER_LANGUAGES, MATLAB_OPENED_AS_OBJECTIVE_C, MATRIX_LANGUAGES, selectorFor } from '../common/settings';

/** The providers the stand-ins hand their requests to. */
export interface EditorProviders {
  readonly stackHover: vscode.HoverProvider;
  readonly stackCodeLens: vscode.CodeLensProvider;
  readonly matrixHover: vscode.HoverProvider;
  readonly layerHover: vscode.HoverProvider;
  readonly layerCodeLens: vscode.CodeLensProvider;
  readonly quickFixes: vscode.CodeActionProvider;
  /** Tensor shapes inline while a Python debug session is paused (src/host/live/inlineTensors.ts). */
  readonly inlineTensors: vscode.InlineValuesProvider;
  /** The same line in the hover over a tensor variable while paused (src/host/live/tensorHover.ts). */
  readonly tensorHover: vscode.HoverProvider;
  /** The model class's CodeLens and hover (src/host/model/modelFeatures.ts). */
  readonly modelHover: vscode.HoverProvider;
  readonly modelCodeLens: vscode.CodeLensProvider;
}

type Load = () => Promise<EditorProviders>;

export function registerEditorFeatures(load: Load): vscode.Disposable {
  const layers = selectorFor(LAYER_LANGUAGES);
  const matrices = [...selectorFor(MATRIX_LANGUAGES), MATLAB_OPENED_AS_OBJECTIVE_C];
  const codeLenses = [lazyCodeLens(load, (p) => p.stackCodeLens), lazyCodeLens(load, (p) => p.layerCodeLens), lazyCodeLens(load, (p) => p.modelCodeLens)];
  return vscode.Disposable.from(
    ...codeLenses,
    vscode.languages.registerHoverProvider(layers, lazyHover(load, (p) => p.stackHover)),
    vscode.languages.registerCodeLensProvider(layers, codeLenses[0]!),
    vscode.languages.registerHoverProvider(matrices, lazyHover(load, (p) => p.matrixHover)),
    vscode.languages.registerHoverProvider(layers, lazyHover(load, (p) => p.layerHover)),
    vscode.languages.registerCodeLensProvider(matrices, codeLenses[1]!),
    vscode.languages.registerCodeActionsProvider(layers, lazyCodeActions(load, (p) => p.quickFixes), {
      // OverlapQuickFixProvider.metadata, written out so that this module does not load the quick fixes.
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.languages.registerHoverProvider({ language: 'python' }, lazyHover(load, (p) => p.tensorHover)),
    vscode.languages.registerHoverProvider({ language: 'python' }, lazyHover(load, (p) => p.modelHover)),
    vscode.languages.registerCodeLensProvider({ language: 'python' }, codeLenses[2]!),
    vscode.languages.registerInlineValuesProvider({ language: 'python' }, {
      provideInlineValues: async (document, viewPort, context, token) => (await load()).inlineTensors.provideInlineValues(document, viewPort, context, token),
    }),
  );
}

function lazyHover(load: Load, pick: (providers: EditorProviders) => vscode.HoverProvider): vscode.HoverProvider {
  return {
    provideHover: async (document, position, token) => pick(await load()).provideHover(document, position, token),
  };
}

function lazyCodeActions(load: Load, pick: (providers: EditorProviders) => vscode.CodeActionProvider): vscode.CodeActionProvider {
  return {
    provideCodeActions: async (document, range, context, token) => pick(await load()).provideCodeActions(document, range, context, token),
  };
}

/** A CodeLens stand-in; its change event repeats the real provider's once that is loaded. */
function lazyCodeLens(load: Load, pick: (providers: EditorProviders) => vscode.CodeLensProvider): vscode.CodeLensProvider & vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let forwarding: vscode.Disposable | undefined;
  const provider = async () => {
    const real = pick(await load());
    forwarding ??= real.onDidChangeCodeLenses?.(() => changed.fire()) ?? new vscode.Disposable(() => undefined);
    return real;
  };
  return {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses: async (document, token) => (await provider()).provideCodeLenses(document, token),
    resolveCodeLens: async (lens, token) => (await provider()).resolveCodeLens?.(lens, token) ?? lens,
    dispose: () => {
      forwarding?.dispose();
      changed.dispose();
    },
  };
}
