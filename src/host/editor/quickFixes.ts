/**
 * Quick fixes for transposed convolutions with uneven overlap (src/core/insight/overlapFixes.ts computes
 * and checks them), and for an operation of a model's forward() or a Keras model's merge layer that
 * breaks for the configured input (src/core/insight/modelShapeFixes.ts, kerasShapeFixes.ts): each one is a single workspace edit, so one Undo restores the code.
 */
import * as vscode from 'vscode';
import type { LayerInsight } from '../../core/insight/layerInsight';
import { compareUpsamplingAction } from '../lab/labCodeAction';
import { overlapFixes, type OverlapFix } from '../../core/insight/overlapFixes';
import type { DocumentAnalysis } from './documentAnalysis';
import { DIAGNOSTIC_SOURCE } from './diagnosticSource';
import { indentUnitOf } from './indentation';
import { readEditorSettings } from '../common/settings';
import { MODEL_SHAPE_CODE } from '../../core/insight/documentDiagnostics';
import { documentShapeFixes, documentShapeProblems } from '../../core/insight/documentShape';
import type { TextEdit } from '../../core/insight/modelShapeFixes';

/** Fixes per insight: an insight lives as long as its document version, so this is a per-version cache. */
const computed = new WeakMap<LayerInsight, readonly OverlapFix[]>();

export function fixesFor(analysis: DocumentAnalysis, document: vscode.TextDocument, insight: LayerInsight): readonly OverlapFix[] {
  let fixes = computed.get(insight);
  if (!fixes) {
    fixes = overlapFixes(analysis.text(document), insight.call, { indentUnit: indentUnitOf(document) });
    computed.set(insight, fixes);
  }
  return fixes;
}

export class OverlapQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly analysis: DocumentAnalysis) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext, token: vscode.CancellationToken): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.contains(context.only) && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    // VS Code asks on every cursor move: in a long file only the definition around the range is read (layersIn).
    const settings = readEditorSettings(document);
    const models = modelShapeActions(this.analysis.text(document), document, context, settings.modelInputShape);
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    const insights = this.analysis
      .layersIn(document, start, end, settings.layerInputSize)
      .filter((insight) => insight.overlap && !insight.overlap.verdict.even);
    const actions: vscode.CodeAction[] = [...models];
    for (const insight of insights) {
      if (token.isCancellationRequested) return [];
      const diagnostics = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && document.offsetAt(d.range.start) === insight.call.start);
      fixesFor(this.analysis, document, insight).forEach((fix, index) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = workspaceEdit(document, fix.edits);
        action.diagnostics = diagnostics;
        action.isPreferred = index === 0 && fix.keepsSize;
        actions.push(action);
      });
      const lab = compareUpsamplingAction(insight.axes, diagnostics);
      if (lab) actions.push(lab);
    }
    return actions;
  }
}

function workspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const change of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
  return edit;
}

/**
 * The fixes of the model-shape diagnostics in `context`: the problems are read again from the text
 * (cached per text and input in the core), only when such a diagnostic is under the cursor.
 */
function modelShapeActions(text: string, document: vscode.TextDocument, context: vscode.CodeActionContext, inputShape: readonly number[]): vscode.CodeAction[] {
  const diagnostics = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code === MODEL_SHAPE_CODE);
  if (diagnostics.length === 0 || inputShape.length === 0) return [];
  const actions: vscode.CodeAction[] = [];
  for (const problem of documentShapeProblems(text, inputShape)) {
    const diagnostic = diagnostics.filter((d) => document.offsetAt(d.range.start) === problem.start);
    if (diagnostic.length === 0) continue;
    documentShapeFixes(text, problem).forEach((fix, index) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = diagnostic;
      if (fix.disabled) action.disabled = { reason: fix.disabled };
      else {
        action.edit = workspaceEdit(document, fix.edits);
        action.isPreferred = index === 0;
      }
      actions.push(action);
    });
  }
  return actions;
}
