/**
 * Layer Lens's settings (`contributes.configuration` in package.json), read in one place. Read at
 * the moment of use, so a changed setting applies to the next command or hover without a reload;
 * the editor features also listen for changes and refresh at once. This module is in the small
 * entry bundle (the editor providers' stand-ins read the language lists): it imports only `vscode`.
 */
import * as vscode from 'vscode';

/** The commands' settings. */
export interface LayerLensSettings {
  /** The stride offered first when a command asks for one. */
  readonly defaultStride: number;
  /** Outputs larger than this are refused with a message, not computed. */
  readonly maxOutputElements: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): LayerLensSettings {
  const config = vscode.workspace.getConfiguration('layerLens', scope);
  return {
    defaultStride: positiveInteger(config.get('defaultStride'), 2),
    // At most the engine's own limit (2^27 values, 1 GiB), whatever a settings file says.
    maxOutputElements: Math.min(positiveInteger(config.get('maxOutputElements'), 4_000_000), 134_217_728),
  };
}

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : fallback;
}

/**
 * The editor features' settings (`contributes.configuration` in package.json). Read at the moment
 * of use, so a changed setting applies to the next hover; CodeLens and diagnostics also listen for
 * changes and refresh at once.
 */
export interface EditorSettings {
  readonly hoverMatrices: boolean;
  readonly hoverLayers: boolean;
  readonly codeLens: boolean;
  readonly diagnostics: boolean;
  /** The status bar item with the shape of the matrix at the cursor. */
  readonly statusBar: boolean;
  readonly diagnosticSeverity: vscode.DiagnosticSeverity;
  /** The stack features: CodeLens above stacks, the hover on `Sequential`, the diagnostics where a stack breaks. */
  readonly stackCodeLens: boolean;
  readonly stackHover: boolean;
  readonly stackDiagnostics: boolean;
  /** The input size assumed for a layer when none can be read from the code nearby. */
  readonly layerInputSize: number;
  /** `layerLens.models.inputShape`: the input each model class's forward() is followed for; empty: not followed. */
  readonly modelInputShape: readonly number[];
}

const SEVERITIES: Readonly<Record<string, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function readEditorSettings(scope?: vscode.ConfigurationScope): EditorSettings {
  const config = vscode.workspace.getConfiguration('layerLens', scope);
  const flag = (key: string) => config.get(key) !== false;
  const size = config.get('layers.inputSize');
  return {
    hoverMatrices: flag('hover.matrices'),
    hoverLayers: flag('hover.layers'),
    codeLens: flag('codeLens.enabled'),
    diagnostics: flag('diagnostics.enabled'),
    stackCodeLens: flag('stacks.codeLens'),
    stackHover: flag('stacks.hover'),
    stackDiagnostics: flag('stacks.diagnostics'),
    statusBar: flag('statusBar.enabled'),
    diagnosticSeverity: SEVERITIES[String(config.get('diagnostics.severity'))] ?? vscode.DiagnosticSeverity.Information,
    layerInputSize: typeof size === 'number' && Number.isSafeInteger(size) && size >= 1 ? size : 32,
    modelInputShape: modelInputShape(config.get('models.inputShape')),
  };
}

/** A shape of 1 to 8 sizes from 1 to 65536; anything else is no shape (the model diagnostic stays off). */
function modelInputShape(value: unknown): readonly number[] {
  const ok = Array.isArray(value) && value.length >= 1 && value.length <= 8 && value.every((n) => Number.isSafeInteger(n) && n >= 1 && n <= 65536);
  return ok ? (value as number[]) : [];
}

/** Fires `listener` when any of the editor features' settings changes. */
export function onEditorSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (['hover', 'codeLens', 'diagnostics', 'layers', 'models', 'stacks', 'statusBar'].some((key) => event.affectsConfiguration(`layerLens.${key}`))) listener();
  });
}

/** Languages whose documents may hold matrix literals (as `findMatrixAt` reads them). */
export const MATRIX_LANGUAGES = [
  'python', 'json', 'jsonc', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'matlab', 'octave', 'julia', 'r',
  'latex', 'tex', 'markdown', 'quarto', 'csv', 'tsv', 'wolfram',
] as const;

/**
 * `.m` files that VS Code opened as Objective-C (no MATLAB extension installed): the matrix hover
 * and CodeLens are registered for them too, and read those whose text is MATLAB
 * (src/host/common/documentLanguage.ts).
 */
export const MATLAB_OPENED_AS_OBJECTIVE_C = { language: 'objective-c', pattern: '**/*.m' } as const;

/**
 * Languages whose documents get the status bar item: the matrix languages, plain text (a matrix
 * pasted into an untitled document) and `objective-c` (`.m` files, when their text is MATLAB).
 */
export const STATUS_BAR_LANGUAGES: readonly string[] = [...MATRIX_LANGUAGES, 'plaintext', 'objective-c'];

/** Languages whose documents may hold layer calls (Python, and Python blocks in Markdown). */
export const LAYER_LANGUAGES = ['python', 'markdown', 'quarto'] as const;

/** Every scheme: files, untitled documents, notebook cells. */
export function selectorFor(languages: readonly string[]): vscode.DocumentFilter[] {
  return languages.map((language) => ({ language }));
}
