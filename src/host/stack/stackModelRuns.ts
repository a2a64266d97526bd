/**
 * The model run behind a stack of a Python document: which `nn.Module` class of the document the
 * model reader can follow through forward() so that it runs the stack's elements, traced in the
 * engine worker (src/host/model/modelService.ts, cached by the texts and the input shape), and the
 * stack informed by that run (src/core/insight/stackModel.ts). The extension host only picks the
 * classes to try and waits; nothing is parsed or run on its thread.
 */
import type * as vscode from 'vscode';
import { informStack, runsByOffset, coveredElements, type InformedStack, type ModelOrigin } from '../../core/insight/stackModel';
import type { StackAnalysis } from '../../core/insight/stackShapes';
import type { LineOf } from '../../core/insight/stackReport';
import { findModelClasses } from '../../core/model/modelClasses';
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

/**
 * The stack as a model of the document runs it, or undefined when none runs any of its elements
 * (the stack is then shown from its code alone, as before). The class that runs the most elements
 * wins; the enclosing class when it runs them all.
 */
export async function stackModelRun(models: ModelService, document: vscode.TextDocument, analysis: StackAnalysis, lineOf: LineOf, options: StackModelOptions = {}): Promise<StackModelRun | undefined> {
  if (document.languageId !== 'python') return undefined;
  let best: { covered: number; run: StackModelRun } | undefined;
  for (const className of classesToTry(document.getText(), lineOf(analysis.stack.start))) {
    const remembered = models.inputShapeOf(document, className);
    const inputShape = options.inputShape ?? remembered.shape;
    const inputSource = options.inputShape ? 'as given to Inspect Stack' : remembered.source;
    let answer;
    try {
      ({ answer } = await models.trace(document, className, inputShape));
    } catch {
      continue; // the worker failed on this class: the next one may still run the stack
    }
    if (!answer.trace) continue;
    const runs = runsByOffset(answer.trace);
    const covered = coveredElements(analysis, runs);
    if (covered === 0 || (best && covered <= best.covered)) continue;
    const origin: ModelOrigin = { className, inputShape, inputSource, error: answer.analysis.error, unknown: answer.analysis.unknown, ...(answer.args ? { args: answer.args } : {}) };
    const informed = informStack(analysis, runs, origin, options.use);
    if (!informed) continue;
    best = { covered, run: { informed, origin } };
    if (covered === analysis.rows.length) break;
  }
  return best?.run;
}
