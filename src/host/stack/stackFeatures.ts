/**
 * The editor features of stacks: a CodeLens above each stack ("Stack: 14 layers, 1×1 → 64×64,
 * uneven 1 of 5", opening the stack view) and the hover over `Sequential`; the diagnostics on the
 * layer where a stack breaks are collected with the overlap diagnostics (overlapDiagnostics.ts).
 * Each has its setting (`layerLens.stacks.codeLens`, `.hover`, `.diagnostics`).
 */
import * as vscode from 'vscode';
import { commandUri } from '../../core/insight/commandArguments';
import { stackHoverMarkdown } from '../../core/insight/stackHoverMarkdown';
import type { LayerStack } from '../../core/parse/layerStacks';
import { COMMAND } from '../contributed';
import type { DocumentAnalysis } from '../editor/documentAnalysis';
import type { DocumentSummaries } from '../editor/documentSummaries';
import { hoverMarkdown } from '../editor/hoverImages';
import { onEditorSettingsChanged, readEditorSettings } from '../common/settings';

/** What Inspect Stack is given to open the stack starting at `start`: its place, read again when run. */
function inspectArguments(document: vscode.TextDocument, start: number): object {
  const position = document.positionAt(start);
  return { uri: document.uri.toString(), position: { line: position.line, character: position.character } };
}

export class StackCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly settings = onEditorSettingsChanged(() => this.changed.fire());

  constructor(private readonly summaries: DocumentSummaries) {}

  /** A lens per stack, from the document summary the worker reads (documentSummaries.ts). */
  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const settings = readEditorSettings(document);
    if (!settings.stackCodeLens) return [];
    const summary = await this.summaries.summary(document, settings.layerInputSize);
    if (!summary || token.isCancellationRequested) return [];
    return summary.stacks.map((stack) => {
      const start = document.positionAt(stack.start);
      return new vscode.CodeLens(new vscode.Range(start, start), {
        title: `$(list-tree) ${stack.summary}`,
        command: COMMAND.inspectStack,
        arguments: [inspectArguments(document, stack.start)],
        tooltip: `Show the shapes, parameters and compound overlap of ${stack.name} in the stack view`,
      });
    });
  }

  dispose(): void {
    this.settings.dispose();
    this.changed.dispose();
  }
}

export class StackHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analysis: DocumentAnalysis) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!readEditorSettings(document).stackHover) return undefined;
    // Only a `Sequential(` name is hovered: anywhere else, answer without reading the document's stacks
    // (on a 10,000-line file that read is most of the first hover's time).
    if (!onSequentialName(document.lineAt(position.line).text, position.character)) return undefined;
    const offset = document.offsetAt(position);
    const text = this.analysis.text(document);
    const stack = this.analysis.stacks(document).found.find((s) => (s.kind === 'sequential' || s.kind === 'kerasSequential') && s.start <= offset && offset <= nameEnd(text, s));
    if (!stack) return undefined;
    const analysis = this.analysis.stackAnalysis(document, stack);
    const inspect = { title: 'Inspect Stack', uri: commandUri(COMMAND.inspectStack, inspectArguments(document, stack.start)) };
    const markdown = stackHoverMarkdown(analysis, (o) => document.positionAt(o).line, inspect);
    return new vscode.Hover(hoverMarkdown(markdown, [COMMAND.inspectStack]), new vscode.Range(document.positionAt(stack.start), document.positionAt(nameEnd(text, stack))));
  }
}

/** Whether `column` of `line` is on a dotted name ending in `Sequential` that a `(` follows (`nn.Sequential(`, `keras.Sequential(`). */
export function onSequentialName(line: string, column: number): boolean {
  for (const match of line.matchAll(/[\w.]*Sequential\s*\(/g)) {
    if (match.index <= column && column <= match.index + match[0].length) return true;
  }
  return false;
}

/** The end of the `nn.Sequential` name of a stack. */
function nameEnd(text: string, stack: LayerStack): number {
  const open = text.indexOf('(', stack.start);
  return open < 0 ? stack.start : open;
}
