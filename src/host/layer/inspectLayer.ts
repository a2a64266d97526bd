/**
 * "Layer Lens: Inspect Layer" and "Layer Lens: Show Overlap Map", for the layer call (or, for the
 * overlap map, the matrix) at the cursor or at `{ uri, position }`.
 *
 * Inspect Layer builds an example input of the size the layer receives there (read from the code
 * as the hover reads it: a size comment, a Reshape, the previous layer; otherwise the
 * `layerLens.layers.inputSize` setting), all ones so the overlap shows directly, with a kernel of
 * ones of the layer's size and its stride, padding, output_padding and dilation, and opens the
 * panel on it. Convolution, pooling, upsampling and pixel shuffle calls open the layer panel on an
 * example input of that size instead (src/core/insight/gatherExample.ts): PyTorch's, and Keras' where
 * PyTorch's terms give exactly Keras' result (src/core/insight/kerasTerms.ts, which also decides a
 * Keras transposed convolution's padding); the rest is summed up in a notification that says why.
 * Both return a summary of what they found.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../editor/documentAnalysis';
import { readEditorSettings, readSettings } from '../common/settings';
import { layerExample, nestedRows, volumeExample } from '../../core/insight/commandArguments';
import { describeInputSource, exampleSize, isAssumed } from '../../core/insight/inputSize';
import type { LayerInsight } from '../../core/insight/layerInsight';
import { layerOverlap } from '../../core/insight/layerOverlap';
import { isTransposed, rankOf, read, type ConvAxis } from '../../core/insight/layerSize';
import { layerOnLiteral, readVolumeInput } from '../../core/insight/volumeInput';
import type { VolumeLayerOp } from '../../core/protocol/volume';
import { describeOrigin, isLongSelection, matrixFromArgument, matrixFromEditor, type SourcedMatrix } from '../common/matrixSources';
import { literalMatrix, literalProblem, literalSource } from '../volume/volumeLiteral';
import { LayerPanel } from './layerPanel';
import { gatherExample, volumeGatherExample } from '../../core/insight/gatherExample';
import { kerasChannels, kerasPrintedShape, kerasTransposedAxes, writesDataFormat } from '../../core/insight/kerasTerms';
import { volumeGatherInspection } from '../../core/insight/volumeGatherTarget';
import { TransposedConvolutionPanel } from '../transposed/transposedConvolutionPanel';
import { gatherLayerShape } from '../../core/engine/index';
import { uriBaseName } from '../common/uriName';
import { argumentRecord, readMatrixArgument, readPairArgument, UserFacingError } from '../common/arguments';
import { layerAt, layerPlace, placeOf, readPlaceArgument, type PlaceArgument } from '../common/layerAtCursor';
import { reportingProblems } from '../common/problems';
import { transposedConvolutionCommand, type TransposedConvolutionContext } from '../transposed/transposedConvolutionCommand';
import { volumeLayerCommand } from '../volume/volumeCommand';
import { VolumePanel } from '../volume/volumePanel';

export const INSPECT_LAYER_COMMAND = 'layerLens.inspectLayer';
export const SHOW_OVERLAP_MAP_COMMAND = 'layerLens.showOverlapMap';

export interface OverlapSummary {
  readonly even: boolean;
  /** `even`, `uneven 1:2`, `gaps`. */
  readonly label: string;
  readonly reason: string;
}

/** What Inspect Layer returns. */
export interface LayerSummary {
  /** The call's name as written: `nn.ConvTranspose2d`. */
  readonly layer: string;
  /** 1-based. */
  readonly line: number;
  readonly inputSize: number[];
  /** `from the comment on line 16`, `assumed: …`. */
  readonly inputSource: string;
  readonly outputSize?: number[];
  /** Why the output size is not known (an expression argument, a parameter PyTorch refuses). */
  readonly sizeProblem?: string;
  readonly overlap?: OverlapSummary;
  /** The parameter count as text (`131,072`, or a product with expressions). */
  readonly parameters?: string;
  /** Whether the panel was opened on the example. */
  readonly panel: boolean;
  /**
   * A 1-D or 3-D layer's example as the volume panel runs it (`[N, C, L]` or `[N, C, D, H, W]`):
   * its sides are cut down to a size the panel draws, so they may be smaller than `inputSize`.
   */
  readonly example?: { readonly inputShape: number[]; readonly outputShape: number[] };
  /** Run on a tensor literal: how its axes were read for the layer (`read as [N, C, L] = 2×3×8: …`). */
  readonly reading?: string;
}

export interface LayerCommandContext extends TransposedConvolutionContext {
  readonly analysis: DocumentAnalysis;
}

const placeKeys = new Set(['uri', 'position', 'input']);

export function inspectLayerCommand(context: LayerCommandContext, rawArguments: unknown): Promise<LayerSummary | undefined> {
  return reportingProblems(async () => {
    const record = argumentRecord(rawArguments, 'Inspect Layer', placeKeys);
    const place = readPlaceArgument(record);
    const input = readMatrixArgument(record.input, 'input');
    if (input !== undefined) {
      const matrix = matrixFromArgument(input, 'input');
      // Without a layer's place, a literal's place (the tensor hover's link): the layer is asked among its document's.
      if (!place && matrix.origin) {
        const picked = await throughPickedLayer(context, matrix.origin.document, matrix);
        return picked === 'dismissed' ? undefined : picked;
      }
      // The layer at the place (or cursor) run on a literal given by its text, its place or as numbers.
      const { document, insight } = await layerAt(context.analysis, place);
      return inspectOnLiteral(context, document, insight, matrix);
    }
    if (!place) {
      // The cursor on a tensor literal rather than a layer: the 1-D or 3-D layer to run it through is asked.
      const onLiteral = await literalAtCursor(context);
      if (onLiteral) return onLiteral === 'dismissed' ? undefined : onLiteral;
    }
    const { document, insight } = await layerAt(context.analysis, place);
    return inspect(context, document, insight);
  });
}

async function inspect(context: LayerCommandContext, document: vscode.TextDocument, insight: LayerInsight): Promise<LayerSummary> {
  const summary = summarise(document, insight);
  // A 1-D or 3-D convolution, pool or upsampling (nearest too, after a sequence or a volume): the volume panel draws it as strips or slices.
  const volume = volumeGatherInspection(insight);
  if (volume !== undefined) {
    if (typeof volume !== 'string') {
      return inVolumePanel(context, document, insight, summary, volume);
    }
    void vscode.window.showInformationMessage(`Layer Lens: ${insight.call.name} (${layerPlace(document, insight)}) cannot be run on an example: ${volume}. Hover the call for its formula.`);
    return summary;
  }
  if (!isTransposed(insight.call)) {
    // Convolution, pooling, upsampling, pixel shuffle: the layer panel steps through them on an example.
    const example = gatherExample(insight.call, exampleSize(insight.input));
    if (typeof example !== 'string') {
      // The shape validates every parameter in the engine's words; the page computes the layer itself.
      const output = gatherLayerShape(example).shape;
      const source = exampleSource(document, insight, summary, example.input.shape) + kerasShapesNote(insight, example.input.shape, output);
      LayerPanel.show(context, example, source, document.uri.toString());
      return { ...summary, panel: true };
    }
    const size = summary.outputSize ? `${summary.inputSize.join('×')} → ${summary.outputSize.join('×')}` : summary.sizeProblem;
    void vscode.window.showInformationMessage(
      `Layer Lens: ${insight.call.name} (${layerPlace(document, insight)}): ${size} (input ${summary.inputSource}). It cannot be stepped through on an example: ${example}. Hover the call for its formula.`,
    );
    return summary;
  }
  if (!insight.axes) {
    throw new UserFacingError(`${insight.call.name} at ${layerPlace(document, insight)} cannot be run on an example: ${summary.sizeProblem ?? 'its kernel, stride or padding is not a number'}.`);
  }
  // The insight's axes give a Keras layer its size; its values need TensorFlow's crop, which PyTorch's terms give only sometimes.
  const axes = insight.call.framework === 'keras' ? kerasTransposedAxes(insight.call) : insight.axes;
  if (typeof axes === 'string') {
    void vscode.window.showInformationMessage(`Layer Lens: ${insight.call.name} (${layerPlace(document, insight)}) cannot be run on an example: ${axes}. Hover the call for its formula.`);
    return summary;
  }
  // An assumed size is an example of at most 8 × 8: only a size the code states can be too large.
  if (!isAssumed(insight.input.source)) refuseTooLarge(document, insight, summary);
  const rank = rankOf(insight.call.op);
  if (rank !== 2) {
    // A sequence or a volume: the volume panel draws it as strips or slices.
    return inVolumePanel(context, document, insight, summary, volumeExample(insight.call, axes, rank, exampleSize(insight.input)));
  }
  const result = await transposedConvolutionCommand(context, layerExample(axes, rank, exampleSize(insight.input)));
  return { ...summary, panel: result !== undefined };
}

// --- A tensor literal through a 1-D or 3-D layer ----------------------------------------------------

/**
 * With no layer call at the active editor's cursor but a vector or a tensor of rank 3 or 4 selected
 * or under it, a layer of the document is run on it ({@link throughPickedLayer}). `undefined` when
 * the cursor is on neither (the caller then says there is no layer); a matrix keeps the 2-D
 * commands' meaning.
 */
async function literalAtCursor(context: LayerCommandContext): Promise<LayerSummary | 'dismissed' | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { document } = editor;
  const inputSize = readEditorSettings(document).layerInputSize;
  if (context.analysis.layerAt(document, document.offsetAt(editor.selection.active), inputSize)) return undefined;
  let matrix: SourcedMatrix | undefined;
  try {
    // A long selection is read in the engine worker, as the volume commands read it.
    matrix = isLongSelection(editor) ? await literalMatrix(undefined, context.engine) : matrixFromEditor(editor);
  } catch (error) {
    // A selected literal that cannot be read is explained at its place; under a bare cursor, the
    // command keeps saying there is no layer call (what it said of a malformed matrix before).
    if (!editor.selection.isEmpty) throw error;
    return undefined;
  }
  const rank = matrix?.tensor.shape.length;
  if (!matrix || rank === undefined || rank === 2) return undefined;
  // A file without any 1-D or 3-D layer: a vector there is most likely a 2-D user's row, so the message stays the 2-D one.
  const end = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
  if (rank === 1 && !context.analysis.layersIn(document, 0, end, inputSize).some((layer) => rankOf(layer.call.op) !== 2)) return undefined;
  return throughPickedLayer(context, document, matrix);
}

/**
 * The 1-D and 3-D layer calls of `document` that can read the literal are offered, each with how it
 * would read it (the only one is taken without asking), and the chosen one runs on it.
 */
async function throughPickedLayer(context: LayerCommandContext, document: vscode.TextDocument, matrix: SourcedMatrix): Promise<LayerSummary | 'dismissed'> {
  const inputSize = readEditorSettings(document).layerInputSize;
  const end = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
  const candidates = context.analysis
    .layersIn(document, 0, end, inputSize)
    .filter((layer) => rankOf(layer.call.op) !== 2)
    .flatMap((layer) => {
      const reading = readVolumeInput(matrix.tensor, volumeOpOf(layer), layer.call.name, layoutOf(layer));
      return reading.ok ? [{ layer, reading: reading.value }] : [];
    });
  const size = matrix.tensor.shape.join('×');
  if (candidates.length === 0) {
    throw literalProblem(matrix, `No 1-D or 3-D layer call of ${uriBaseName(document.uri)} reads this ${size} tensor (a vector or [N, C, L] goes to nn.Conv1d, nn.ConvTranspose1d…; [D, H, W] or [C, D, H, W] to nn.Conv3d, nn.ConvTranspose3d…): write one, or put the cursor in a layer call`);
  }
  let chosen = candidates[0];
  if (candidates.length > 1) {
    const pick = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: c.layer.call.name, description: `line ${document.positionAt(c.layer.call.start).line + 1}`, detail: c.reading.description, candidate: c })),
      { title: `Layer Lens: run the ${size} tensor through…`, placeHolder: 'Choose the 1-D or 3-D layer; each reads the tensor as PyTorch reads it for that layer', matchOnDetail: true, ignoreFocusOut: true },
    );
    if (!pick) return 'dismissed';
    chosen = pick.candidate;
  }
  return inspectOnLiteral(context, document, (chosen as (typeof candidates)[number]).layer, matrix);
}

/** The engine's op of a 1-D or 3-D layer call: the layer ops of those ranks are named as the engine's. */
const volumeOpOf = (insight: LayerInsight): VolumeLayerOp => insight.call.op as VolumeLayerOp;

/** Keras and Flax read tensors channels last. */
const layoutOf = (insight: LayerInsight): 'channels-first' | 'channels-last' => (insight.call.framework === 'pytorch' ? 'channels-first' : 'channels-last');

/** Runs the 1-D or 3-D layer of the code on a literal in the volume panel, with a weight of ones for its channels. */
async function inspectOnLiteral(context: LayerCommandContext, document: vscode.TextDocument, insight: LayerInsight, matrix: SourcedMatrix): Promise<LayerSummary> {
  const summary = summarise(document, insight);
  const rank = rankOf(insight.call.op);
  const place = layerPlace(document, insight);
  if (rank === 2) throw new UserFacingError(`${insight.call.name} at ${place} is a 2-D layer: "input" is for 1-D and 3-D layers; run Transposed Convolution, Convolution or Pool on a matrix instead.`);
  let example: { readonly op: VolumeLayerOp; readonly weight?: { readonly shape: readonly number[] }; readonly options: Readonly<Record<string, unknown>> } | string;
  if (isTransposed(insight.call)) {
    const axes = insight.axes && insight.call.framework === 'keras' ? kerasTransposedAxes(insight.call) : insight.axes;
    example = axes === undefined ? (summary.sizeProblem ?? 'its kernel, stride or padding is not a number') : typeof axes === 'string' ? axes : volumeExample(insight.call, axes, rank, undefined);
  } else {
    // Keras' 'same' padding depends on the input's sides: the literal's, whole.
    const reading = readVolumeInput(matrix.tensor, volumeOpOf(insight), insight.call.name, layoutOf(insight));
    if (!reading.ok) throw literalProblem(matrix, reading.problem);
    example = volumeGatherExample(insight.call, reading.value.input.shape.slice(2), false);
  }
  if (typeof example === 'string') throw new UserFacingError(`${insight.call.name} at ${place} cannot run on the literal: ${example}.`);
  const groups = read<unknown>(insight.call, 'groups', 1);
  if (!groups.ok || typeof groups.value !== 'number') throw new UserFacingError(`${insight.call.name} at ${place} cannot run on the literal: its groups is not a number.`);
  const run = layerOnLiteral(example, matrix.tensor, insight.call.name, layoutOf(insight), groups.value);
  if (!run.ok) throw literalProblem(matrix, run.problem);
  const { call, reading } = run.value;
  const source = literalSource(matrix, reading, `${insight.call.name} at ${uriBaseName(document.uri)}:${summary.line}`);
  const volume = await volumeLayerCommand(context, call, 'Inspect Layer', source);
  return {
    ...summary,
    inputSize: call.input.shape.slice(2),
    inputSource: `the literal at ${describeOrigin(matrix) ?? 'the arguments'}`,
    ...(volume ? { outputSize: volume.shape.slice(2) } : {}),
    panel: volume !== undefined,
    reading: reading.description,
    ...(volume ? { example: { inputShape: volume.inputShape, outputShape: volume.shape } } : {}),
  };
}

/** What a panel says it shows: the call, its place and the example's input. */
function exampleSource(document: vscode.TextDocument, insight: LayerInsight, summary: LayerSummary, shape: readonly number[]): string {
  const assumed = isAssumed(insight.input.source) ? ' (the code does not state its input size)' : '';
  return `${insight.call.name} at ${uriBaseName(document.uri)}:${summary.line}, on an example ${shape.join('×')} input${assumed}`;
}

/**
 * For a Keras layer, the example's shapes as Keras prints them (channels last, batch `None`): the
 * panel draws one channel of `[H, W]`, and a Keras user reads `(None, 32, 32, 64)`.
 */
function kerasShapesNote(insight: LayerInsight, input: readonly number[], output: readonly number[]): string {
  if (insight.call.framework !== 'keras' || writesDataFormat(insight.call)) return '';
  const channels = kerasChannels(insight.call, insight.input.channels);
  return `; as Keras prints it (channels last): ${kerasPrintedShape(input, channels.input)} → ${kerasPrintedShape(output.slice(-2), channels.output)}, one channel drawn`;
}

/** Runs a 1-D or 3-D example in the volume panel; the summary gains the example's shapes. */
async function inVolumePanel(context: LayerCommandContext, document: vscode.TextDocument, insight: LayerInsight, summary: LayerSummary, example: { readonly input: { readonly shape: readonly number[] } }): Promise<LayerSummary> {
  const volume = await volumeLayerCommand(context, example, 'Inspect Layer', exampleSource(document, insight, summary, example.input.shape));
  return { ...summary, panel: volume !== undefined, ...(volume ? { example: { inputShape: volume.inputShape, outputShape: volume.shape } } : {}) };
}

/**
 * The example is built at the size the code states (a size comment may say 30000 × 30000): refuse
 * it before building it when its input or output would be over `layerLens.maxOutputElements`.
 */
function refuseTooLarge(document: vscode.TextDocument, insight: LayerInsight, summary: LayerSummary): void {
  const { maxOutputElements } = readSettings(document.uri);
  for (const [what, sizes] of [['input', summary.inputSize], ['output', summary.outputSize ?? []]] as const) {
    const values = sizes.reduce((a, b) => a * b, 1);
    if (sizes.length > 0 && values > maxOutputElements) {
      throw new UserFacingError(
        `${insight.call.name} at ${layerPlace(document, insight)}: an example ${what} of ${sizes.join(' × ')} (${summary.inputSource}) is ${values.toLocaleString('en-US')} values, more than layerLens.maxOutputElements (${maxOutputElements.toLocaleString('en-US')}). Hover the call for its formula, or run Transposed Convolution on a smaller matrix.`,
      );
    }
  }
}

function summarise(document: vscode.TextDocument, insight: LayerInsight): LayerSummary {
  const { call, input, size, overlap, parameters } = insight;
  return {
    layer: call.name,
    line: document.positionAt(call.start).line + 1,
    inputSize: [...input.size],
    inputSource: describeInputSource(input.source),
    ...(size.kind === 'sized' ? { outputSize: [...size.output] } : { sizeProblem: size.kind === 'symbolic' ? size.reason : size.message }),
    ...(overlap ? { overlap: { even: overlap.verdict.even, label: overlap.label, reason: overlap.verdict.reason } } : {}),
    ...(parameters.kind === 'known' || parameters.kind === 'symbolic' ? { parameters: parameters.text } : {}),
    panel: false,
  };
}

// --- Show Overlap Map ---------------------------------------------------------------------------

const overlapKeys = new Set(['uri', 'position', 'input', 'kernel', 'stride']);

/**
 * Opens the panel on the layer at the cursor (as Inspect Layer does) or, when the cursor is on a
 * matrix, on that matrix as the input (asking for the kernel and stride unless given), or on an
 * `input` given as an argument; run from the panel itself, it stays on what the panel shows. Then
 * it brings the overlap map into view and returns the overlap verdict of what the panel shows.
 */
export function showOverlapMapCommand(context: LayerCommandContext, rawArguments: unknown): Promise<OverlapSummary | undefined> {
  return reportingProblems(async () => {
    const record = argumentRecord(rawArguments, 'Show Overlap Map', overlapKeys);
    const place = readPlaceArgument(record);
    let opened: boolean;
    if (record.input !== undefined) {
      // A matrix given outright (the walkthrough's link): no document involved.
      opened = (await transposedConvolutionCommand(context, { input: record.input, kernel: record.kernel, stride: record.stride })) !== undefined;
    } else if (!place && !vscode.window.activeTextEditor && TransposedConvolutionPanel.active?.layer()) {
      // Run from the panel (no editor has focus): the overlap map of what it shows.
      opened = true;
    } else {
      const { document, offset } = await placeOf(place, 'a layer call or a matrix');
      const layer = context.analysis.layerAt(document, offset, readEditorSettings(document).layerInputSize);
      if (layer && isTransposed(layer.call) && rankOf(layer.call.op) !== 2) {
        // A 1-D or 3-D layer opens the volume panel, whose overlap section shows its lattice; the verdict is the insight's.
        const openedVolume = (await inspect(context, document, layer)).panel;
        if (openedVolume) VolumePanel.open?.revealSection('overlap');
        const overlap = layer.overlap;
        return openedVolume && overlap ? { even: overlap.verdict.even, label: overlap.label, reason: overlap.verdict.reason } : undefined;
      }
      opened = layer && isTransposed(layer.call) ? (await inspect(context, document, layer)).panel : await openOnMatrix(context, document, offset, place, record);
    }
    const panel = TransposedConvolutionPanel.active;
    const shown = panel?.layer();
    if (!opened || !panel || !shown) return undefined;
    panel.revealSection('overlap');
    const axes = [0, 1].map(
      (i): ConvAxis => ({
        kernel: i === 0 ? shown.kernel.rows : shown.kernel.cols,
        stride: shown.params.stride[i] as number,
        padding: shown.params.padding[i] as number,
        outputPadding: shown.params.outputPadding[i] as number,
        dilation: shown.params.dilation[i] as number,
      }),
    );
    const overlap = layerOverlap(axes, 2);
    return { even: overlap.verdict.even, label: overlap.label, reason: overlap.verdict.reason };
  });
}

async function openOnMatrix(context: LayerCommandContext, document: vscode.TextDocument, offset: number, place: PlaceArgument | undefined, record: Record<string, unknown>): Promise<boolean> {
  const matrix = context.analysis.matrixAt(document, offset);
  if (!matrix) {
    const at = document.positionAt(offset);
    throw new UserFacingError(
      `There is no transposed convolution or matrix at ${uriBaseName(document.uri)}, line ${at.line + 1}, column ${at.character + 1}: put the cursor in a call such as nn.ConvTranspose2d(…) or in a matrix literal.`,
    );
  }
  const passThrough = {
    ...(record.kernel !== undefined ? { kernel: record.kernel } : {}),
    ...(record.stride !== undefined ? { stride: readPairArgument(record.stride, 'stride') } : {}),
  };
  // At the active editor's cursor, the command reads the literal itself (and stays linked to it).
  const atCursor = !place && vscode.window.activeTextEditor?.document === document;
  const rows = atCursor ? undefined : nestedRows(matrix);
  if (!atCursor && !rows) {
    throw new UserFacingError(`The matrix at ${uriBaseName(document.uri)}, line ${document.positionAt(matrix.start).line + 1} is ${matrix.shape.join('×')}: put the cursor in it to open it, or select one 2-D slice.`);
  }
  const result = await transposedConvolutionCommand(context, rows ? { input: rows, ...passThrough } : passThrough);
  return result !== undefined;
}
