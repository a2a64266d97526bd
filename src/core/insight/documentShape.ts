/**
 * The size diagnostic of a whole document: its PyTorch classes (modelShape.ts) and its Keras models
 * (kerasShape.ts) for the `layerLens.models.inputShape` setting, and the quick fixes of either.
 */
import { kerasShapeProblems, type KerasShapeProblem } from './kerasShape';
import { kerasShapeFixes } from './kerasShapeFixes';
import { modelShapeProblems, type ModelShapeProblem } from './modelShape';
import { modelShapeFixes, type ModelShapeFix } from './modelShapeFixes';

export type DocumentShapeProblem = ModelShapeProblem | KerasShapeProblem;

/** The size problems of every PyTorch class and Keras model of `text` for the `[N, C, H, W]` setting, in document order. */
export function documentShapeProblems(text: string, setting: readonly number[]): DocumentShapeProblem[] {
  const keras = kerasShapeProblems(text, setting);
  const torch = modelShapeProblems(text, setting);
  return keras.length === 0 ? torch : [...torch, ...keras].sort((a, b) => a.start - b.start);
}

export function documentShapeFixes(text: string, problem: DocumentShapeProblem): ModelShapeFix[] {
  return 'keras' in problem ? kerasShapeFixes(text, problem) : modelShapeFixes(text, problem);
}

/** The line of the layer that made the resized input (the transposed convolution), for the layer hover; undefined when it is in another file or not known. */
export function problemLayerLine(problem: DocumentShapeProblem): number | undefined {
  if ('keras' in problem) {
    const m = problem.keras;
    const t = [m.operands[0], m.operands[m.other]].find((o) => o?.transposed && o.transposed.file === '')?.transposed;
    return t?.line;
  }
  return undefined;
}
