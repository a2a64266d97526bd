/**
 * "Layer Lens: Inspect Stack": the stack of layers at the cursor (the `Sequential`, `__init__` or
 * functional chain around it, or the layer calls the selection covers) as a table of shapes,
 * parameter counts and overlap verdicts, with the compound overlap, in the stack view.
 *
 * Arguments (all optional): `{ uri, position: { line, character } | range: { start, end },
 * inputSize: 64 | [H, W] | [C, H, W] | [N, C, H, W] (a 1-D stack's [N, C, L], a 3-D stack's
 * [N, C, D, H, W]: the last values are the stack's spatial sizes), modelInput: [N, C, H, W], use,
 * show: false }`. In a Python file whose model's forward() runs the stack, the shapes are that run's
 * (for `modelInput`, else the class's remembered input or `layerLens.models.inputShape`), unless
 * `inputSize` asks for the stack on an input of its own. Returns the table
 * ({@link StackTable}), or `undefined` after saying why there is none.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../editor/documentAnalysis';
import type { GivenInput } from '../../core/insight/stackShapes';
import { stackAt, stackInRange, type LayerStack } from '../../core/parse/layerStacks';
import type { StackTable } from '../../core/protocol/stack';
import { isPlace, UserFacingError, type Place } from '../common/arguments';
import { reportingProblems } from '../common/problems';
import { uriBaseName } from '../common/uriName';
import { openUserDocument, parseDocumentUri } from '../common/userDocument';
import { inspectStack } from './stackInspection';
import { StackPanel, type StackServices } from './stackPanel';

export interface InspectStackArguments {
  readonly uri?: string | vscode.Uri;
  readonly position?: Place;
  readonly range?: { readonly start: Place; readonly end: Place };
  readonly inputSize?: GivenInput;
  /** The model's input `[N, C, H, W]` when a model's forward() runs the stack (else the class's remembered shape, or the setting). */
  readonly modelInput?: readonly number[];
  /** Which use of a part to show (`up2.conv.double_conv`), when the model uses it more than once. */
  readonly use?: string;
  /** False: return the table without opening the stack view. */
  readonly show?: boolean;
}

export function inspectStackCommand(services: StackServices, raw: unknown): Promise<StackTable | undefined> {
  return reportingProblems(async () => {
    const args = readArguments(raw);
    const document = await documentOf(args);
    const stack = await stackFor(services.analysis, document, args);
    if (!stack) return undefined;
    const model = services.models ? { models: services.models, ...(args.modelInput ? { inputShape: args.modelInput } : {}), ...(args.use !== undefined ? { use: args.use } : {}) } : undefined;
    const inspection = await inspectStack(services.engine, services.analysis, document, stack, args.inputSize, model);
    if (args.show !== false) StackPanel.show(services, inspection);
    return inspection.table;
  });
}

function readArguments(raw: unknown): InspectStackArguments {
  if (raw === undefined || raw === null || raw instanceof vscode.Uri) return raw instanceof vscode.Uri ? { uri: raw } : {};
  if (typeof raw !== 'object') throw new UserFacingError(`Inspect Stack takes an arguments object ({ uri, position | range, inputSize }), not ${JSON.stringify(raw)}.`);
  const args = raw as Record<string, unknown>;
  if (args.uri !== undefined && typeof args.uri !== 'string' && !(args.uri instanceof vscode.Uri)) throw new UserFacingError('uri must be a URI string or a vscode.Uri.');
  if (args.position !== undefined && !isPlace(args.position)) throw new UserFacingError('position must be { line, character } with 0-based whole numbers.');
  if (args.range !== undefined) {
    const range = args.range as { start?: unknown; end?: unknown };
    if (typeof range !== 'object' || range === null || !isPlace(range.start) || !isPlace(range.end)) throw new UserFacingError('range must be { start: { line, character }, end: { line, character } }.');
  }
  const size = args.inputSize;
  const positive = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 65536;
  if (size !== undefined && !(positive(size) || (Array.isArray(size) && size.length >= 1 && size.length <= 5 && size.every(positive)))) {
    throw new UserFacingError(`inputSize must be a whole number from 1 to 65536, or [H, W], [C, H, W] or [N, C, H, W] of them ([N, C, L] for a 1-D stack, [N, C, D, H, W] for a 3-D one); got ${JSON.stringify(size)}.`);
  }
  const modelInput = args.modelInput;
  if (modelInput !== undefined && !(Array.isArray(modelInput) && modelInput.length === 4 && modelInput.every(positive))) {
    throw new UserFacingError(`modelInput must be the model's input [N, C, H, W] of whole numbers from 1 to 65536; got ${JSON.stringify(modelInput)}.`);
  }
  if (args.use !== undefined && (typeof args.use !== 'string' || !/^[\w.]*$/.test(args.use))) throw new UserFacingError('use must be a module name such as "up2.conv.double_conv".');
  if (args.show !== undefined && typeof args.show !== 'boolean') throw new UserFacingError('show must be true or false.');
  return args as InspectStackArguments;
}

async function documentOf(args: InspectStackArguments): Promise<vscode.TextDocument> {
  if (args.uri !== undefined) {
    return openUserDocument(typeof args.uri === 'string' ? parseDocumentUri(args.uri) : args.uri, 'Inspect Stack');
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new UserFacingError('open a Python file with a stack of layers (nn.Sequential, a module’s __init__, a Keras model) to inspect it.');
  return editor.document;
}

/** The stack at the position or range asked for, else at the active editor's selection or cursor, else one picked from the document's. */
async function stackFor(analysis: DocumentAnalysis, document: vscode.TextDocument, args: InspectStackArguments): Promise<LayerStack | undefined> {
  const { context, found } = analysis.stacks(document);
  const name = uriBaseName(document.uri);
  const editor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor : undefined;
  let range: vscode.Range | undefined;
  if (args.range) range = new vscode.Range(args.range.start.line, args.range.start.character, args.range.end.line, args.range.end.character);
  else if (args.position) range = new vscode.Range(args.position.line, args.position.character, args.position.line, args.position.character);
  else if (editor) range = editor.selection;
  if (range && !range.isEmpty) {
    const selected = stackInRange(document.getText(), document.offsetAt(range.start), document.offsetAt(range.end), document.languageId, context);
    if (!selected) throw new UserFacingError(`no layer call in the selected lines ${range.start.line + 1}–${range.end.line + 1} of ${name}.`);
    return selected;
  }
  if (range) {
    // The stack around the position, else one that starts on its line (`self.main = nn.Sequential(` from column 0).
    const at = stackAt(found, document.offsetAt(range.start)) ?? found.find((stack) => document.positionAt(stack.start).line === range.start.line);
    if (at) return at;
    if (args.position) throw new UserFacingError(`no stack of layers at line ${range.start.line + 1} of ${name}.`);
  }
  if (found.length === 0) throw new UserFacingError(`no stack of layers (nn.Sequential, a module’s __init__, a Keras Sequential or functional chain) found in ${name}; select a run of layer calls to inspect them as one.`);
  if (found.length === 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((stack) => ({ label: stack.name, description: `line ${document.positionAt(stack.start).line + 1}`, detail: `${stack.items.length} elements`, stack })),
    { title: 'Layer Lens: Inspect Stack', placeHolder: 'Which stack?' },
  );
  return picked?.stack;
}
