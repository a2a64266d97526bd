/**
 * The editor features of stacks: a CodeLens above each stack ("Stack: 14 layers, 1×1 → 64×64,
 * uneven 1 of 5", opening the stack view), the hover over `Sequential`, and the diagnostics on the
 * layer where a stack breaks (collected with the overlap diagnostics, see overlapDiagnostics.ts).
 * Each has its setting (`layerLens.stacks.codeLens`, `.hover`, `.diagnostics`).
 */
import * as vscode from 'vscode';
import { commandUri } from '../../core/insight/commandArguments';
import { stackHoverMarkdown } from '../../core/insight/stackHoverMarkdown';
import { stackSummary } from '../../core/insight/stackReport';
import type { LayerStack } from '../../core/parse/layerStacks';
import { COMMAND } from '../contributed';
import { DIAGNOSTIC_SOURCE } from '../editor/diagnosticSource';
import type { DocumentAnalysis } from '../editor/documentAnalysis';
import { hoverMarkdown } from '../editor/hoverImages';
import { onEditorSettingsChanged, readEditorSettings } from '../common/settings';



function inspectArguments(document: vscode.TextDocument, stack: LayerStack): object {
  const position = document.positionAt(stack.start);
  return { uri: document.uri.toString(), position: { line: position.line, character: position.character } };
}

class StackCodeLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly document: vscode.TextDocument,
    readonly stack: LayerStack,
  ) {
    super(range);
  }
}

export class StackCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly settings = onEditorSettingsChanged(() => this.changed.fire());

  constructor(private readonly analysis: DocumentAnalysis) {}

  /** A lens per stack, unresolved: VS Code resolves only the ones on screen, so only those stacks are analysed. */
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readEditorSettings(document).stackCodeLens) return [];
    return this.analysis.stacks(document).found.map((stack) => {
      const start = document.positionAt(stack.start);
      return new StackCodeLens(new vscode.Range(start, start), document, stack);
    });
  }

  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    if (!(lens instanceof StackCodeLens)) return lens;
    const analysis = this.analysis.stackAnalysis(lens.document, lens.stack);
    lens.command = {
      title: `$(list-tree) ${stackSummary(analysis)}`,
      command: COMMAND.inspectStack,
      arguments: [inspectArguments(lens.document, lens.stack)],
      tooltip: `Show the shapes, parameters and compound overlap of ${lens.stack.name} in the stack view`,
    };
    return lens;
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
    const offset = document.offsetAt(position);
    const text = this.analysis.text(document);
    const stack = this.analysis.stacks(document).found.find((s) => (s.kind === 'sequential' || s.kind === 'kerasSequential') && s.start <= offset && offset <= nameEnd(text, s));
    if (!stack) return undefined;
    const analysis = this.analysis.stackAnalysis(document, stack);
    const inspect = { title: 'Inspect Stack', uri: commandUri(COMMAND.inspectStack, inspectArguments(document, stack)) };
    const markdown = stackHoverMarkdown(analysis, (o) => document.positionAt(o).line, inspect);
    return new vscode.Hover(hoverMarkdown(markdown, [COMMAND.inspectStack]), new vscode.Range(document.positionAt(stack.start), document.positionAt(nameEnd(text, stack))));
  }
}

/** The end of the `nn.Sequential` name of a stack. */
function nameEnd(text: string, stack: LayerStack): number {
  const open = text.indexOf('(', stack.start);
  return open < 0 ? stack.start : open;
}

/** Diagnostics where the document's stacks break: channel mismatch, an output that becomes empty, a layer the engine refuses. */
export function stackDiagnostics(analysis: DocumentAnalysis, document: vscode.TextDocument): vscode.Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: vscode.Diagnostic[] = [];
  for (const stack of analysis.stacks(document).found) {
    const result = analysis.stackCheck(document, stack);
    for (const { index, problem } of result.problems) {
      const item = result.rows[index]?.item;
      if (!item) continue;
      const key = `${item.start}:${problem.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const end = item.kind === 'layer' ? item.call.open : item.end;
      const range = new vscode.Range(document.positionAt(item.start), document.positionAt(end));
      const diagnostic = new vscode.Diagnostic(range, `Stack ${stack.name}, layer ${index + 1}: ${problem.message}.`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = `stack-${problem.code}`;
      const previous = result.rows[index - 1]?.item;
      if (previous) {
        diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, new vscode.Range(document.positionAt(previous.start), document.positionAt(previous.end))), 'the element before it')];
      }
      diagnostics.push(diagnostic);
    }
  }
  return diagnostics;
}
