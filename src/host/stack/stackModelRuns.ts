/**
 * The model run behind a stack of a Python document: which `nn.Module` class of the document (or
 * of another open document that imports it) the model reader can follow through forward() so that
 * it runs the stack's elements, traced in the
 * engine worker (src/host/model/modelService.ts, cached by the texts and the input shape), and the
 * stack informed by that run (src/core/insight/stackModel.ts). The extension host only picks the
 * classes to try and waits; nothing is parsed or run on its thread.
 */
import * as vscode from 'vscode';
import { informStack, runsByOffset, coveredElements, type InformedStack, type ModelOrigin } from '../../core/insight/stackModel';
import type { StackAnalysis } from '../../core/insight/stackShapes';
import type { LineOf } from '../../core/insight/stackReport';
import { findModelClasses, importedModules, moduleFileCandidates } from '../../core/model/modelClasses';
import type { ModelService } from '../model/modelService';

/** The most classes of a document tried for one stack (each a worker reading, cached). */
const MAX_CLASSES_TRIED = 6;

export interface StackModelRun {
  readonly informed: InformedStack;
  readonly origin: ModelOrigin;
}

export interface StackModelOptions {
  /** The model's input, `[N, C, H, W]`; else the class's remembered shape or the setting. */
  readonly inputShape?: readonly number[];
  /** The use of a part to show (`up2.conv.double_conv`); else the first forward() makes. */
  readonly use?: string;
}

/**
 * The classes to try, in order: the one the stack is written in (its own forward() runs it), then
 * the document's other classes from the last (a model is usually written after its parts).
 */
export function classesToTry(text: string, stackLine: number): string[] {
  const classes = findModelClasses(text);
  const enclosing = classes.filter((c) => c.line <= stackLine).pop();
  const rest = classes.filter((c) => c !== enclosing).reverse();
  return [...(enclosing ? [enclosing] : []), ...rest].slice(0, MAX_CLASSES_TRIED).map((c) => c.name);
}

/** Other open Python documents tried for a model that imports the stack's file (Pytorch-UNet: unet_model.py imports unet_parts.py). */
const MAX_IMPORTING_DOCUMENTS = 4;

/**
 * The stack as a model runs it, or undefined when none runs any of its elements (the stack is then
 * shown from its code alone, as before): a class of the document, else one of another open Python
 * document that imports it. The class that runs the most elements wins; the first that runs them all.
 */
export async function stackModelRun(models: ModelService, document: vscode.TextDocument, analysis: StackAnalysis, lineOf: LineOf, options: StackModelOptions = {}): Promise<StackModelRun | undefined> {
  if (document.languageId !== 'python') return undefined;
  // Kept in an object: the closure below sets it (a `let` would read as never set after it).
  const found: { best?: { covered: number; run: StackModelRun } } = {};
  const bestRun = (): StackModelRun | undefined => found.best?.run;
  const tryClass = async (owner: vscode.TextDocument, className: string): Promise<'done' | 'next' | 'skip document'> => {
    const remembered = models.inputShapeOf(owner, className);
    const inputShape = options.inputShape ?? remembered.shape;
    let reading;
    try {
      reading = await models.trace(owner, className, inputShape);
    } catch {
      return 'next'; // the worker failed on this class: the next one may still run the stack
    }
    // The stack's file as the model reads it: itself, or an imported file by its key.
    const file = owner === document ? '' : [...reading.sources.uris].find(([, uri]) => uri.toString() === document.uri.toString())?.[0];
    if (file === undefined) return 'skip document';
    const { answer } = reading;
    if (!answer.trace) return 'next';
    const runs = runsByOffset(answer.trace, file);
    const covered = coveredElements(analysis, runs);
    if (covered === 0 || (found.best && covered <= found.best.covered)) return 'next';
    const inputSource = options.inputShape ? 'as given to Inspect Stack' : remembered.source;
    const origin: ModelOrigin = { className, inputShape, inputSource, error: answer.analysis.error, unknown: answer.analysis.unknown, ...(answer.builtWith && Object.keys(answer.builtWith.values).length > 0 ? { args: answer.builtWith.values } : {}) };
    const classNames = new Set([...findModelClasses(document.getText()).map((c) => c.name), ...Object.values(answer.trace.modules)]);
    const informed = informStack(analysis, runs, origin, options.use, classNames);
    if (!informed) return 'next';
    found.best = { covered, run: { informed, origin } };
    return covered === analysis.rows.length ? 'done' : 'next';
  };
  for (const className of classesToTry(document.getText(), lineOf(analysis.stack.start))) {
    if ((await tryClass(document, className)) === 'done') return bestRun();
  }
  if (found.best) return bestRun();
  const importing = vscode.workspace.textDocuments.filter((d) => d !== document && d.languageId === 'python' && !d.isClosed && imports(d, document.uri));
  for (const owner of importing.slice(0, MAX_IMPORTING_DOCUMENTS)) {
    for (const className of classesToTry(owner.getText(), -1)) {
      const result = await tryClass(owner, className);
      if (result === 'done') return bestRun();
      if (result === 'skip document') break;
    }
  }
  return bestRun();
}

/** Whether a Python document imports the file at `target` directly (`from .unet_parts import …` beside it, or a module from the workspace root). */
function imports(owner: vscode.TextDocument, target: vscode.Uri): boolean {
  const folder = vscode.Uri.joinPath(owner.uri, '..');
  const root = vscode.workspace.getWorkspaceFolder(owner.uri)?.uri;
  const wanted = target.toString();
  return importedModules(owner.getText()).some((module) => {
    const { fromFile, fromRoot } = moduleFileCandidates(module);
    return fromFile.some((p) => vscode.Uri.joinPath(folder, p).toString() === wanted) || (root !== undefined && fromRoot.some((p) => vscode.Uri.joinPath(root, p).toString() === wanted));
  });
}
