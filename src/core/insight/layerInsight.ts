/**
 * Everything Layer Lens says about one layer call in the editor (hover, CodeLens, diagnostic),
 * computed once per document version: the input size it assumes and why, the output size with
 * its formulas, the overlap verdict of a transposed convolution, and the parameter count.
 */
import { findLayerCalls, type LayerCall } from '../parse/index';
import type { PythonRegion } from '../parse/pythonRegions';
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

/**
 * The insight into every layer call of a document, in document order. `calls`: what
 * `findLayerCalls(text, languageId)` returned already (the stacks' context reads the same calls), so
 * a whole document is not scanned twice.
 */
export function layerInsights(text: string, languageId: string | undefined, defaultInputSize: number, calls?: readonly LayerCall[]): LayerInsight[] {
  return new DocumentInsights(text, languageId, defaultInputSize, undefined, calls).all();
}

/**
 * A document's layer calls, each analysed when first asked for: a hover needs one call's insight,
 * and analysing all of them (the overlap of every transposed convolution) is most of the cost on a
 * long file. Finding the calls and inferring their input sizes is done once, up front, because a
 * call's input size may come from the layers before it.
 */
export class DocumentInsights {
  readonly calls: readonly LayerCall[];
  /** The calls whose `(` is not closed yet (being typed), in document order: not analysed, see partialLayer.ts. */
  readonly partial: readonly LayerCall[];
  private readonly inputs: readonly InputSize[];
  private readonly insights: (LayerInsight | undefined)[];

  /** `regions`: read only these parts of `text` (see localRegions.ts), the whole of it otherwise; `calls`: the whole text's calls, found already. */
  constructor(text: string, languageId: string | undefined, defaultInputSize: number, regions?: readonly PythonRegion[], calls?: readonly LayerCall[]) {
    const found = calls ?? findLayerCalls(text, languageId, regions);
    this.calls = found.filter((call) => call.complete);
    this.partial = found.filter((call) => !call.complete);
    this.inputs = inferInputSizes(text, this.calls, defaultInputSize);
    this.insights = new Array<LayerInsight | undefined>(this.calls.length);
  }

  /** The insight whose call covers `offset` (the innermost, should calls nest). */
  at(offset: number): LayerInsight | undefined {
    const index = callIndexAt(this.calls, offset);
    return index === undefined ? undefined : this.insight(index);
  }

  /** The insights of the calls that overlap `[start, end]`, in document order. */
  overlapping(start: number, end: number): LayerInsight[] {
    const found: LayerInsight[] = [];
    this.calls.forEach((call, index) => {
      if (call.start <= end && start <= call.end) found.push(this.insight(index));
    });
    return found;
  }

  /** Every call's insight, in document order. */
  all(): LayerInsight[] {
    return this.calls.map((_, index) => this.insight(index));
  }

  private insight(index: number): LayerInsight {
    return (this.insights[index] ??= insightOf(this.calls[index] as LayerCall, this.inputs[index] as InputSize));
  }
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
  const index = callIndexAt(
    insights.map((insight) => insight.call),
    offset,
  );
  return index === undefined ? undefined : insights[index];
}

/** The index of the call covering `offset` among calls in document order: the last that starts at or before it and ends at or after it. */
function callIndexAt(calls: readonly LayerCall[], offset: number): number | undefined {
  let found: number | undefined;
  for (let index = 0; index < calls.length; index++) {
    const call = calls[index] as LayerCall;
    if (call.start > offset) break;
    if (offset <= call.end) found = index;
  }
  return found;
}
