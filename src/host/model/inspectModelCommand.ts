/**
 * "Layer Lens: Inspect Model": a model class's forward() run on an input shape, in the model view.
 *
 * Arguments (all optional): `{ uri, className, position: { line, character }, inputShape: [N, C,
 * H, W] (or 64, [H, W], [C, H, W]), args: { n_classes: 2, … }, show: false }`. The class is the
 * one named, else the one at the position or the cursor, else one picked from the document's.
 * `args` are constructor arguments (Python literals: numbers, strings, booleans, null, lists of
 * them), remembered for the class as if typed in the model view; `{}` forgets them. The input shape is the
 * given, else the one this class was last inspected with, else the `layerLens.models.inputShape`
 * setting; run from the Command Palette it is asked, with the sizes that work suggested. Returns
 * the table ({@link ModelTable}), or `undefined` after saying why there is none.
 */
import * as vscode from 'vscode';
import { inputShapeText, parseInputShape } from '../../core/insight/modelInput';
import { isConstructorArguments, type ConstructorArgument } from '../../core/model/constructorArguments';
import { findModelClasses, type ModelClass } from '../../core/model/modelClasses';
import type { ModelTable } from '../../core/protocol/model';
import { isPlace, UserFacingError, type Place } from '../common/arguments';
import { reportingProblems } from '../common/problems';
import { uriBaseName } from '../common/uriName';
import { openUserDocument, parseDocumentUri } from '../common/userDocument';
import { inspectModel } from './modelInspection';
import { ModelPanel, type ModelServices } from './modelPanel';

export interface InspectModelArguments {
  readonly uri?: string | vscode.Uri;
  readonly className?: string;
  readonly position?: Place;
  readonly inputShape?: number | readonly number[];
  /** Constructor arguments by parameter name; the others come from the workspace's calls of the class and its defaults. */
  readonly args?: Readonly<Record<string, ConstructorArgument>>;
  /** False: return the table without opening the model view. */
  readonly show?: boolean;
}

export function inspectModelCommand(services: ModelServices, raw: unknown): Promise<ModelTable | undefined> {
  return reportingProblems(async () => {
    const args = readArguments(raw);
    const document = await documentOf(args);
    const cls = await classFor(document, args);
    if (!cls) return undefined;
    const given = args.inputShape !== undefined ? fullShape(args.inputShape, services.models.inputShapeOf(document, cls.name).shape, cls.framework === 'keras') : undefined;
    let shape: readonly number[];
    let source: string;
    if (given) {
      shape = given;
      source = 'as given to Inspect Model';
    } else if (raw === undefined && args.show !== false) {
      // From the Command Palette: ask, with the remembered shape filled in.
      const asked = await askInputShape(services, document, cls);
      if (!asked) return undefined;
      shape = asked;
      source = 'as typed';
    } else ({ shape, source } = services.models.inputShapeOf(document, cls.name));
    if (given || source === 'as typed') services.models.remember(document, cls.name, shape);
    if (args.args) await services.models.rememberArguments(document, cls.name, args.args);
    const inspection = await inspectModel(services.models, document, cls.name, shape, source);
    if (args.show !== false) ModelPanel.show(services, inspection);
    return inspection.table;
  });
}

function fullShape(value: number | readonly number[], fallback: readonly number[], channelsLast: boolean): number[] {
  const parsed = parseInputShape(typeof value === 'number' ? String(value) : value.join(','), fallback, channelsLast);
  if (!parsed.ok) throw new UserFacingError(`inputShape: ${parsed.reason}`);
  return parsed.shape;
}

/** The input box: the remembered shape filled in, checked as it is typed, the sizes that work in the prompt. */
async function askInputShape(services: ModelServices, document: vscode.TextDocument, cls: ModelClass): Promise<number[] | undefined> {
  const className = cls.name;
  const keras = cls.framework === 'keras';
  const current = services.models.inputShapeOf(document, className).shape;
  let prompt = keras ? 'N, H, W, C (Keras, channels last) — or H×W, or one side for a square image' : 'N, C, H, W — or H×W, or one side for a square image';
  try {
    const { answer } = await services.models.run(document, className, current);
    if (answer.sizes) prompt = `${prompt}. Sizes that work: ${answer.sizes.rule}.`;
  } catch {
    // The prompt goes without the rule; the model view will say why the model cannot be read.
  }
  const text = await vscode.window.showInputBox({
    title: `Layer Lens: Inspect Model ${className}`,
    prompt,
    value: inputShapeText(current),
    validateInput: (value) => {
      const parsed = parseInputShape(value, current, keras);
      return parsed.ok ? undefined : parsed.reason;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseInputShape(text, current, keras);
  return parsed.ok ? parsed.shape : undefined;
}

function readArguments(raw: unknown): InspectModelArguments {
  if (raw === undefined || raw === null || raw instanceof vscode.Uri) return raw instanceof vscode.Uri ? { uri: raw } : {};
  if (typeof raw !== 'object') throw new UserFacingError(`Inspect Model takes an arguments object ({ uri, className, position, inputShape, args, show }), not ${JSON.stringify(raw)}.`);
  const args = raw as Record<string, unknown>;
  if (args.uri !== undefined && typeof args.uri !== 'string' && !(args.uri instanceof vscode.Uri)) throw new UserFacingError('uri must be a URI string or a vscode.Uri.');
  if (args.className !== undefined && (typeof args.className !== 'string' || !/^[A-Za-z_]\w*$/.test(args.className))) throw new UserFacingError('className must be a Python class name.');
  if (args.position !== undefined && !isPlace(args.position)) throw new UserFacingError('position must be { line, character } with 0-based whole numbers.');
  const shape = args.inputShape;
  const positive = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 65536;
  if (shape !== undefined && !(positive(shape) || (Array.isArray(shape) && shape.length >= 1 && shape.length <= 6 && shape.every(positive)))) {
    throw new UserFacingError(`inputShape must be [N, C, H, W] (or one side, [H, W], [C, H, W]) of whole numbers from 1 to 65536; got ${JSON.stringify(shape)}.`);
  }
  if (args.show !== undefined && typeof args.show !== 'boolean') throw new UserFacingError('show must be true or false.');
  if (args.args !== undefined && !isConstructorArguments(args.args)) {
    throw new UserFacingError(`args must map __init__ parameter names to Python literals (numbers, strings, true/false, null, or lists of them), e.g. { "n_classes": 2 }; got ${JSON.stringify(args.args)?.slice(0, 200)}.`);
  }
  return args as InspectModelArguments;
}

async function documentOf(args: InspectModelArguments): Promise<vscode.TextDocument> {
  if (args.uri !== undefined) return openUserDocument(typeof args.uri === 'string' ? parseDocumentUri(args.uri) : args.uri, 'Inspect Model');
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new UserFacingError('open a Python file with a model class (class …(nn.Module)) to inspect it.');
  return editor.document;
}

/** The class named, else the last one starting at or above the position (or the cursor), else one picked. */
async function classFor(document: vscode.TextDocument, args: InspectModelArguments): Promise<ModelClass | undefined> {
  const classes = findModelClasses(document.getText());
  const name = uriBaseName(document.uri);
  if (args.className !== undefined) {
    const named = classes.find((c) => c.name === args.className);
    if (!named) throw new UserFacingError(`no model ${args.className} in ${name} (a class …(nn.Module), or a Keras builder function or model variable).`);
    return named;
  }
  if (classes.length === 0) throw new UserFacingError(`no model class (class …(nn.Module)) nor Keras model (keras.Model(…), keras.Sequential(…)) in ${name}.`);
  const editor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor : undefined;
  const line = args.position?.line ?? editor?.selection.active.line;
  if (line !== undefined) {
    const at = classes.filter((c) => c.line <= line).pop();
    if (at) return at;
  }
  if (classes.length === 1) return classes[0];
  const picked = await vscode.window.showQuickPick(
    classes.map((c) => ({ label: c.name, description: `line ${c.line + 1}${c.framework === 'keras' ? ' · Keras' : ''}`, cls: c })),
    { title: 'Layer Lens: Inspect Model', placeHolder: 'Which model?' },
  );
  return picked?.cls;
}
