/**
 * What the transposed-convolution panel's toolbar and cell editor ask the host to do: write an edited cell back into its
 * literal, insert the result as a literal, copy a matrix or a PyTorch script, save a rendered
 * image. Each is one explicit user action; the outcome is confirmed in the status bar and in the
 * panel, problems in an error notification.
 */
import * as vscode from 'vscode';
import { uriBaseName } from '../common/uriName';
import type { Tensor } from '../../core/engine/tensor';
import { COPY_FORMAT_LABELS, matrixText, pytorchSnippet } from '../../core/text/matrixText';
import { COPY_FORMATS, type CopyFormat, type NoticeTone, viewShape, type MatrixView } from '../../core/protocol/common';
import { type CopyTarget, type EditCellMessage, type ImageFormat, type MatrixRole, type OperandRole, type TransposedConvolutionLayer } from '../../core/protocol/transposed';
import { LAB_LIMITS } from '../../core/protocol/lab';
import { COMMAND } from '../contributed';
import { computeConvTranspose } from '../worker/computeLayer';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { insertResult, writeCell } from './writeBack';
import { cellOffset, hasCell } from './operandShapes';
import type { LiteralLink } from './literalLink';

/** Matrices larger than this are not turned into text: a clipboard of tens of megabytes helps nobody. */
export const MAX_TEXT_VALUES = 1_000_000;

/** The transposed-convolution panel as the actions see it: what they read from it and tell it. */
export interface TransposedPanelActionTarget {
  readonly engine: EngineWorkerClient;
  /** The layer shown, with the parameters as last edited in the panel. */
  layer(): TransposedConvolutionLayer | undefined;
  link(role: OperandRole): LiteralLink | undefined;
  /** Replaces an operand's values (after an edit) and redraws the panel. */
  replaceOperand(role: OperandRole, matrix: MatrixView): void;
  /** Redraws the panel as it was (after a refused edit, so the cell shows its old value again). */
  redraw(): void;
  /** A line in the panel saying how an action went. */
  notice(tone: NoticeTone, text: string): void;
}

const tensorOf = (matrix: MatrixView): Tensor => ({ shape: viewShape(matrix), data: matrix.data });
const optionsOf = (layer: TransposedConvolutionLayer) => {
  const { stride, padding, outputPadding, dilation, groups } = layer.params;
  return {
    stride: [...stride] as [number, number],
    padding: [...padding] as [number, number],
    outputPadding: [...outputPadding] as [number, number],
    dilation: [...dilation] as [number, number],
    ...(groups !== undefined ? { groups } : {}),
  };
};

/** The notations that nest to any depth; the others write one 2-D matrix. */
const N_DIMENSIONAL_FORMATS: ReadonlySet<CopyFormat> = new Set<CopyFormat>(['numpy', 'torch', 'json']);

/** Says what went wrong in the panel and in a notification (not awaited: it stays until dismissed). */
function problem(panel: TransposedPanelActionTarget, text: string): void {
  panel.notice('error', text);
  void vscode.window.showErrorMessage(`Layer Lens: ${text}`);
}

function confirm(panel: TransposedPanelActionTarget, text: string): void {
  panel.notice('info', text);
  vscode.window.setStatusBarMessage(`$(check) Layer Lens: ${text}`, 5000);
}

/** `−1.5`, `NaN`: a value as the confirmation shows it. */
const shown = (value: number): string => (Number.isNaN(value) ? 'NaN' : String(value));

export async function editCell(panel: TransposedPanelActionTarget, message: EditCellMessage): Promise<void> {
  const layer = panel.layer();
  if (!layer) return;
  const matrix = layer[message.operand];
  const { operand: role, row, col, value } = message;
  const plane = message.plane ?? [];
  if (!hasCell(viewShape(matrix), plane, row, col)) return;
  const name = `${role}[${[...plane, row, col].join(', ')}]`;
  const link = panel.link(role);
  if (!link) {
    const data = Float64Array.from(matrix.data);
    data[cellOffset(viewShape(matrix), plane, row, col)] = value;
    panel.replaceOperand(role, { ...matrix, data });
    const why = layer.sourceUri && !layer.links ? 'the link to its literal does not survive a restart of VS Code' : `the ${role} was typed or given as an argument, so there is no literal`;
    panel.notice('info', `Changed ${name} to ${shown(value)} in the panel only: ${why} to write it back to.`);
    return;
  }
  const outcome = await writeCell(link, role, viewShape(matrix), row, col, value, plane);
  if (!outcome.ok) {
    panel.redraw();
    problem(panel, outcome.problem);
    return;
  }
  panel.replaceOperand(role, { ...matrix, data: outcome.value.data });
  confirm(panel, `wrote ${name} = ${shown(value)} into ${link.place()}; Undo in the editor restores it.`);
}

/** The output for the current parameters, computed on the host (in the worker when large). */
async function output(panel: TransposedPanelActionTarget, layer: TransposedConvolutionLayer): Promise<Tensor> {
  return computeConvTranspose(panel.engine, tensorOf(layer.input), tensorOf(layer.kernel), optionsOf(layer));
}

export async function insertResultLiteral(panel: TransposedPanelActionTarget): Promise<boolean> {
  const layer = panel.layer();
  if (!layer) return false;
  const link = panel.link('input');
  if (!link) {
    problem(panel, layer.links?.insertUnavailable ?? 'The input was not read from a document, so there is no statement to add the result after: copy the output instead.');
    return false;
  }
  const result = await output(panel, layer);
  if (result.data.length > MAX_TEXT_VALUES) {
    problem(panel, `The output has ${result.data.length.toLocaleString('en-US')} values, too many to write as a literal (at most ${MAX_TEXT_VALUES.toLocaleString('en-US')}).`);
    return false;
  }
  const outcome = await insertResult(link, result);
  if (!outcome.ok) {
    problem(panel, outcome.problem);
    return false;
  }
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === link.uri.toString());
  editor?.revealRange(outcome.value, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  confirm(panel, `inserted the ${result.shape.join(' × ')} output after line ${outcome.value.start.line} of ${uriBaseName(link.uri)}; Undo in the editor removes it.`);
  return true;
}

interface CopyPick extends vscode.QuickPickItem {
  readonly target?: CopyTarget;
}

/** Asks what to copy: each matrix in each notation, and the PyTorch script. */
async function pickCopyTarget(): Promise<CopyTarget | undefined> {
  const items: CopyPick[] = [];
  const matrices: readonly MatrixRole[] = ['output', 'input', 'kernel'];
  for (const matrix of matrices) {
    items.push({ label: matrix[0]?.toUpperCase() + matrix.slice(1), kind: vscode.QuickPickItemKind.Separator });
    for (const format of COPY_FORMATS) items.push({ label: `$(copy) ${matrix[0]?.toUpperCase()}${matrix.slice(1)} as ${COPY_FORMAT_LABELS[format]}`, target: { kind: 'matrix', matrix, format } });
  }
  items.push({ label: 'Script', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(symbol-snippet) PyTorch snippet', detail: 'A runnable script that reproduces this computation with F.conv_transpose2d', target: { kind: 'snippet' } });
  const choice = await vscode.window.showQuickPick(items, { title: 'Layer Lens: Copy', placeHolder: 'What to copy to the clipboard' });
  return choice?.target;
}

/** Copies what `target` names (asking when it is undefined); returns the text copied. */
export async function copyFromPanel(panel: TransposedPanelActionTarget, target?: CopyTarget): Promise<string | undefined> {
  const layer = panel.layer();
  if (!layer) return undefined;
  const chosen = target ?? (await pickCopyTarget());
  if (!chosen) return undefined;
  let text: string;
  let what: string;
  if (chosen.kind === 'snippet') {
    text = pytorchSnippet({ input: tensorOf(layer.input), kernel: tensorOf(layer.kernel), params: layer.params, source: layer.source });
    what = 'a PyTorch snippet that reproduces the computation';
  } else {
    const matrix = chosen.matrix === 'output' ? await output(panel, layer) : tensorOf(layer[chosen.matrix]);
    if (matrix.data.length > MAX_TEXT_VALUES) {
      problem(panel, `The ${chosen.matrix} has ${matrix.data.length.toLocaleString('en-US')} values, too many to copy as text (at most ${MAX_TEXT_VALUES.toLocaleString('en-US')}).`);
      return undefined;
    }
    if (matrix.shape.length > 2 && !N_DIMENSIONAL_FORMATS.has(chosen.format)) {
      problem(panel, `The ${chosen.matrix} has shape [${matrix.shape.join(', ')}]: ${COPY_FORMAT_LABELS[chosen.format]} writes 2-D matrices only. Copy it as NumPy, PyTorch or JSON.`);
      return undefined;
    }
    text = matrixText(matrix, chosen.format);
    what = `the ${matrix.shape.join(' × ')} ${chosen.matrix} as ${COPY_FORMAT_LABELS[chosen.format]}`;
  }
  await vscode.env.clipboard.writeText(text);
  confirm(panel, `copied ${what}.`);
  return text;
}

/** The first bytes of each format: what the panel sends must be what its name says. */
const SIGNATURES: Readonly<Record<ImageFormat, (bytes: Uint8Array) => boolean>> = {
  png: (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v),
  gif: (b) => new TextDecoder().decode(b.subarray(0, 6)) === 'GIF89a',
  svg: (b) => /^(<\?xml[^>]*>\s*)?<svg[\s>]/.test(new TextDecoder().decode(b.subarray(0, 256))),
};

const FILTERS: Readonly<Record<ImageFormat, Record<string, string[]>>> = {
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  gif: { 'Animated GIF': ['gif'] },
};

/** Asks where to save `bytes` (next to the source document by default) and writes them there. */
export async function saveImage(panel: TransposedPanelActionTarget, format: ImageFormat, bytes: Uint8Array): Promise<vscode.Uri | undefined> {
  if (!SIGNATURES[format](bytes)) {
    console.warn(`[Layer Lens] ignored a ${format} file from the panel that is not one`);
    return undefined;
  }
  const layer = panel.layer();
  const source = layer?.sourceUri ? vscode.Uri.parse(layer.sourceUri) : undefined;
  const folder = source ? vscode.Uri.joinPath(source, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const stem = source ? uriBaseName(source).replace(/\.[^.]*$/, '') : 'layer';
  const name = `${stem}-transposed-convolution${format === 'gif' ? '-steps' : ''}.${format}`;
  const target = await vscode.window.showSaveDialog({
    title: format === 'gif' ? 'Layer Lens: Save the step animation' : 'Layer Lens: Save the step view',
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: FILTERS[format],
    saveLabel: 'Save',
  });
  if (!target) return undefined;
  try {
    await vscode.workspace.fs.writeFile(target, bytes);
  } catch (error) {
    problem(panel, `Could not save ${uriBaseName(target)}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  confirm(panel, `saved ${uriBaseName(target)} (${(bytes.length / 1024).toFixed(1)} KiB).`);
  return target;
}

/**
 * Opens the checkerboard lab on the panel's layer: its stride as the factor, its kernel, and its
 * input (or the test pattern, when the input is larger than the lab takes). The lab needs one
 * whole factor of 2 to 4 and a kernel of at most 9 a side; otherwise the panel says why.
 */
export async function openLabOn(panel: TransposedPanelActionTarget): Promise<void> {
  const layer = panel.layer();
  if (!layer) return;
  const [sh, sw] = layer.params.stride;
  const { factor, kernelSize, inputSide } = LAB_LIMITS;
  const channels = [layer.input, layer.kernel].find((m) => (m.lead ?? []).some((n) => n > 1));
  if (channels) {
    problem(panel, `The checkerboard lab compares one-channel layers; this ${channels === layer.input ? 'input' : 'kernel'} has shape [${viewShape(channels).join(', ')}]. Run the lab on one channel of it.`);
    return;
  }
  if (sh !== sw || sh < factor.min || sh > factor.max) {
    problem(panel, `The checkerboard lab upsamples by one whole factor from ${factor.min} to ${factor.max} on both axes; this layer's stride is ${sh}×${sw}.`);
    return;
  }
  if (Math.max(layer.kernel.rows, layer.kernel.cols) > kernelSize.max) {
    problem(panel, `The checkerboard lab takes kernels of at most ${kernelSize.max}×${kernelSize.max}; this one is ${layer.kernel.rows}×${layer.kernel.cols}.`);
    return;
  }
  const nested = (m: TransposedConvolutionLayer['input']) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  const fits = Math.max(layer.input.rows, layer.input.cols) <= inputSide;
  await vscode.commands.executeCommand(COMMAND.compareUpsampling, { factor: sh, kernel: nested(layer.kernel), input: fits ? nested(layer.input) : 'pattern' });
}
