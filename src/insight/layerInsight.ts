/**
 * Everything Layer Lens says about one layer call in the editor (hover, CodeLens, diagnostic),
 * computed once per document version: the input size it assumes and why, the output size with
 * its formulas, the overlap verdict of a transposed convolution, and the parameter count.
 */
import { findLayerCalls, type LayerCall } from '../parse/index';
import { inferInputSizes, type InputSize } from './inputSize';
import { layerOverlap, type LayerOverlap } from './layerOverlap';
import { convAxes, isTransposed, layerSize, rankOf, type ConvAxis, type LayerSizeResult } from './layerSize';
import { parameterCount, type ParameterCount } from './parameterCount';

export interface LayerInsight {
  readonly call: LayerCall;
  readonly input: InputSize;
  readonly size: LayerSizeResult;
  /** A transposed convolution's axes in PyTorch's terms, when every one is known. */
  readonly axes?: readonly ConvAxis[];
  /** A transposed convolution's overlap, when its axes are known. */
  readonly overlap?: LayerOverlap;
  readonly parameters: ParameterCount;
}

/** The insight into every layer call of a document, in document order. */
export function layerInsights(text: string, languageId: string | undefined, defaultInputSize: number): LayerInsight[] {
  const calls = findLayerCalls(text, languageId).filter((call) => call.complete);
  const inputs = inferInputSizes(text, calls, defaultInputSize);
  return calls.map((call, index) => insightOf(call, inputs[index] as InputSize));
}

export function insightOf(call: LayerCall, input: InputSize): LayerInsight {
  const size = layerSize(call, input.size);
  const parameters = parameterCount(call);
  if (!isTransposed(call)) return { call, input, size, parameters };
  const read = convAxes(call);
  if (!read.ok) return { call, input, size, parameters };
  try {
    return { call, input, size, parameters, axes: read.axes, overlap: layerOverlap(read.axes, rankOf(call.op)) };
  } catch {
    // The engine refused the parameters (output_padding too large…); the size result says why.
    return { call, input, size, parameters, axes: read.axes };
  }
}

/** The insight whose call covers `offset` (the innermost, should calls nest). */
export function insightAt(insights: readonly LayerInsight[], offset: number): LayerInsight | undefined {
  let found: LayerInsight | undefined;
  for (const insight of insights) {
    if (insight.call.start > offset) break;
    if (offset <= insight.call.end) found = insight;
  }
  return found;
}
