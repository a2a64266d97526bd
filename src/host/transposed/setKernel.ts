/**
 * "Layer Lens: Set Kernel…": the kernel of the open panel (or, with no panel open, of the next
 * Transposed Convolution) from any matrix in the open documents or the workspace's files, from a
 * preset (box, bilinear, Gaussian, Sobel, Laplacian, identity, seeded random), or typed; with a
 * selection in the editor (the context menu's entry), the selected matrix. Every
 * input box validates as the user types; the arguments object (`{ kernel }` or
 * `{ preset, size, sigma, seed }`) skips the questions. Returns the kernel and where it went.
 */
import * as vscode from 'vscode';
import { readSettings } from '../common/settings';
import { LayerError } from '../../core/engine/errors';
import { KERNEL_PRESETS, kernelPreset, type KernelPreset, type KernelPresetInfo } from '../../core/engine/kernelPresets';
import type { Tensor } from '../../core/engine/tensor';
import { TransposedConvolutionPanel } from './transposedConvolutionPanel';
import { findMatrixAt } from '../../core/parse/index';
import { listMatrices, type ListedMatrix } from '../../core/worker/matrixListing';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { MAX_FILE_BYTES, SCAN_BUDGET_MS, scanFiles, workspaceMatrixFiles } from './workspaceMatrices';
import { uriBaseName } from '../common/uriName';
import { LiteralLink } from './literalLink';
import { readSetKernelArguments, readSizeText, UserFacingError, type SetKernelArguments } from '../common/arguments';
import { describeOrigin, literalRow, matrixFromArgument, matrixFromEditor, promptForMatrix, type SourcedMatrix } from '../common/matrixSources';
import { setPendingKernel } from './pendingKernel';
import { reportingProblems } from '../common/problems';

export const SET_KERNEL_COMMAND = 'layerLens.setKernel';

export interface SetKernelResult {
  readonly shape: number[];
  readonly data: number[];
  /** `panel`: the open panel now shows it; `next`: the next Transposed Convolution or Convolution will use it. */
  readonly target: 'panel' | 'next';
}

/** `engine` lists the workspace files' matrices for the picker, off the extension host's thread. */
export function setKernelCommand(engine: EngineWorkerClient, rawArguments: unknown): Promise<SetKernelResult | undefined> {
  return reportingProblems(() => run(engine, rawArguments));
}

async function run(engine: EngineWorkerClient, rawArguments: unknown): Promise<SetKernelResult | undefined> {
  const args = readSetKernelArguments(rawArguments);
  const chosen =
    args.kernel !== undefined
      ? matrixFromArgument(args.kernel, 'kernel')
      : args.preset !== undefined
        ? { tensor: presetFromArguments(args) }
        : (selectedMatrix() ?? (await pickKernelAnywhere(engine)));
  if (!chosen) return undefined;
  const kernel = asKernel(chosen);
  const origin = chosen.origin;
  const panel = TransposedConvolutionPanel.active;
  const shape = `${kernel.shape[0]}×${kernel.shape[1]}`;
  const where = describeOrigin(chosen);
  let target: SetKernelResult['target'] = 'next';
  if (panel) {
    const link = origin && new LiteralLink(origin.document, origin.range, origin.notation);
    const source = origin && { document: origin.document, range: origin.range, kind: origin.fromSelection ? ('selection' as const) : ('literal' as const) };
    const outcome = panel.setKernel(kernel, link, source);
    if (outcome && !outcome.ok) throw new UserFacingError(outcome.problem);
    if (outcome) target = 'panel';
  }
  if (target === 'next') setPendingKernel({ ...chosen, tensor: kernel });
  vscode.window.setStatusBarMessage(
    target === 'panel'
      ? `$(check) Layer Lens: kernel set to the ${shape} ${where ? `matrix at ${where}` : 'kernel'}`
      : `$(check) Layer Lens: the next Transposed Convolution or Convolution uses this ${shape} kernel`,
    5000,
  );
  return { shape: [...kernel.shape], data: Array.from(kernel.data), target };
}

/** The selected text as a matrix (the editor context menu's "Set Kernel" on a selection); a selection that is no matrix is explained. */
function selectedMatrix(): SourcedMatrix | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && !editor.selection.isEmpty ? matrixFromEditor(editor) : undefined;
}

/** A kernel is one 2-D matrix; a flat list is one row. */
function asKernel(matrix: SourcedMatrix): Tensor {
  const { shape, data } = matrix.tensor;
  if (shape.length === 2) return matrix.tensor;
  if (shape.length === 1) return { shape: [1, shape[0] ?? 0], data };
  const where = describeOrigin(matrix);
  throw new UserFacingError(`The kernel is a ${shape.length}-D tensor of shape [${shape.join(', ')}]${where ? ` (${where})` : ''}; a kernel is one 2-D matrix ([kH, kW]).`);
}

function presetFromArguments(args: SetKernelArguments): Tensor {
  const kind = args.preset as KernelPreset['kind'];
  const info = KERNEL_PRESETS.find((p) => p.kind === kind) as KernelPresetInfo;
  const size = args.size ?? defaultSize(info);
  return kernelPreset({ kind, size, sigma: args.sigma ?? 1, seed: args.seed ?? 0 } as KernelPreset);
}

// --- The picker ---------------------------------------------------------------------------------

interface KernelItem extends vscode.QuickPickItem {
  readonly take?: () => Promise<SourcedMatrix | undefined>;
}

/** Matrices listed at most from the open documents, and again from the workspace's files. */
const MAX_LISTED = 300;

/**
 * One quick pick: the matrices of the open documents at once, those of the workspace's other files
 * as the engine worker lists them (the picker shows it is busy and how far it got meanwhile, and
 * whether the search stopped early), the presets, and "type one". Closing it stops the search.
 */
async function pickKernelAnywhere(engine: EngineWorkerClient): Promise<SourcedMatrix | undefined> {
  const picker = vscode.window.createQuickPick<KernelItem>();
  picker.title = 'Layer Lens: Set Kernel';
  picker.placeholder = 'A matrix from your documents, a preset, or type one';
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  picker.ignoreFocusOut = true;
  const openItems: KernelItem[] = [];
  const seen = new Set<string>();
  for (const document of vscode.workspace.textDocuments) {
    if (document.uri.scheme === 'output' || document.uri.scheme === 'vscode-userdata' || document.getText().length > 4 * MAX_FILE_BYTES) continue;
    seen.add(document.uri.toString());
    const matrices = listMatrices(document.getText(), document.languageId);
    openItems.push(...matrices.map((m) => matrixItem(document.uri, m, () => takeFromOpen(document, m))));
  }
  const presetItems: KernelItem[] = KERNEL_PRESETS.map((info) => ({
    label: `$(symbol-constant) ${info.label}`,
    description: info.parameters.length ? `asks for ${info.parameters.join(', ')}` : '3×3',
    detail: info.description,
    take: async () => {
      const tensor = await promptForPreset(info);
      return tensor && { tensor };
    },
  }));
  const typeItem: KernelItem = { label: '$(edit) Type a kernel…', alwaysShow: true, take: () => promptForMatrix('Layer Lens: Kernel', '[[1, 1], [1, 1]]') };
  const fileItems: KernelItem[] = [];
  let filesLabel = 'Workspace files (reading…)';
  // Each section is capped on its own: an open file of hundreds of literals must not leave the workspace's files no room.
  const refresh = () => {
    picker.items = [
      ...(openItems.length ? [separator('Open documents'), ...openItems.slice(0, MAX_LISTED)] : []),
      ...(fileItems.length || picker.busy || filesLabel !== 'Workspace files' ? [separator(filesLabel), ...fileItems.slice(0, MAX_LISTED)] : []),
      separator('Presets'),
      ...presetItems,
      separator(''),
      typeItem,
    ];
  };
  const scanning = new vscode.CancellationTokenSource();
  let refreshSoon: ReturnType<typeof setTimeout> | undefined;
  picker.keepScrollPosition = true;
  picker.busy = true;
  refresh();
  void (async () => {
    try {
      const uris = (await workspaceMatrixFiles(scanning.token)).filter((uri) => !seen.has(uri.toString()));
      const outcome = await scanFiles(uris, {
        engine,
        token: scanning.token,
        onFile: (file) => {
          if (fileItems.length >= MAX_LISTED) return;
          fileItems.push(...file.matrices.map((m) => matrixItem(file.uri, m, () => takeFromFile(file.uri, file.languageId, m))));
          // Files' matrices appear as they come, a few times a second at most (each update redraws the list).
          refreshSoon ??= setTimeout(() => {
            refreshSoon = undefined;
            if (!scanning.token.isCancellationRequested) refresh();
          }, 200);
        },
      });
      filesLabel = outcome.stopped
        ? `Workspace files (the search stopped after ${SCAN_BUDGET_MS / 1000} s: ${outcome.read} of ${outcome.total} files read; open a file to list its matrices)`
        : 'Workspace files';
    } catch (error) {
      filesLabel = `Workspace files (the search failed: ${error instanceof Error ? error.message : String(error)})`;
    }
    clearTimeout(refreshSoon);
    if (scanning.token.isCancellationRequested) return;
    picker.busy = false;
    refresh();
  })();
  const choice = await new Promise<KernelItem | undefined>((resolve) => {
    picker.onDidAccept(() => resolve(picker.selectedItems[0]));
    picker.onDidHide(() => resolve(undefined));
    picker.show();
  });
  scanning.cancel();
  scanning.dispose();
  picker.dispose();
  return choice?.take?.();
}

function separator(label: string): KernelItem {
  return { label, kind: vscode.QuickPickItemKind.Separator };
}

function matrixItem(uri: vscode.Uri, m: ListedMatrix, take: () => Promise<SourcedMatrix>): KernelItem {
  return { ...literalRow(m.name, m.shape, `${uriBaseName(uri)}:${m.line + 1}`), detail: m.preview, take };
}

/** The listed matrix of an open document, read again where it was listed. */
async function takeFromOpen(document: vscode.TextDocument, m: ListedMatrix): Promise<SourcedMatrix> {
  return readAgain(document, document.languageId, m);
}

/** The listed matrix of a workspace file: the file is opened (it is in the workspace) and the literal read again there. */
async function takeFromFile(uri: vscode.Uri, languageId: string, m: ListedMatrix): Promise<SourcedMatrix> {
  return readAgain(await vscode.workspace.openTextDocument(uri), languageId, m);
}

/** The literal listed at `m` in `document` as it is now, or a message when it changed since it was listed. */
function readAgain(document: vscode.TextDocument, languageId: string, m: ListedMatrix): SourcedMatrix {
  const found = findMatrixAt(document.getText(), m.start, languageId);
  if (!found || found.start !== m.start || found.shape.join('×') !== m.shape.join('×')) {
    throw new UserFacingError(`The ${m.shape.join('×')} matrix listed at ${uriBaseName(document.uri)}:${m.line + 1} is no longer there: run Set Kernel again.`);
  }
  const range = new vscode.Range(document.positionAt(found.start), document.positionAt(found.end));
  return { tensor: { shape: found.shape, data: found.data }, origin: { document, range, notation: found.notation } };
}

// --- Presets ------------------------------------------------------------------------------------

/** The size offered first: the bilinear kernel that upsamples by the default stride is 2·stride; a box, the stride. */
function defaultSize(info: KernelPresetInfo): number {
  const stride = readSettings().defaultStride;
  return info.kind === 'bilinear' ? 2 * stride : info.kind === 'box' ? stride : 3;
}

/** Asks for the preset's parameters one by one, each validated by building the kernel as the user types. */
async function promptForPreset(info: KernelPresetInfo): Promise<Tensor | undefined> {
  const values: { size: number | [number, number]; sigma: number; seed: number } = { size: defaultSize(info), sigma: 1, seed: 0 };
  const build = () => kernelPreset({ kind: info.kind, ...values } as KernelPreset);
  const questions: Record<'size' | 'sigma' | 'seed', { prompt: string; read: (text: string) => number | [number, number] | string }> = {
    size: { prompt: 'Kernel size: one whole number (4) or height and width (3, 5).', read: readSizeText },
    sigma: { prompt: 'Standard deviation of the Gaussian, in cells (a positive number: 1, 0.8).', read: (text) => readNumberText(text, 'sigma') },
    seed: { prompt: 'Seed: a whole number of 0 or more; the same seed gives the same kernel everywhere.', read: (text) => readNumberText(text, 'seed') },
  };
  for (const parameter of info.parameters) {
    const question = questions[parameter];
    const check = (text: string): string | undefined => {
      const value = question.read(text);
      if (typeof value === 'string') return value;
      try {
        kernelPreset({ kind: info.kind, ...values, [parameter]: value } as KernelPreset);
        return undefined;
      } catch (error) {
        if (error instanceof LayerError) return error.message;
        throw error;
      }
    };
    const text = await vscode.window.showInputBox({
      title: `Layer Lens: ${info.label} kernel`,
      prompt: question.prompt,
      value: String(values[parameter]),
      ignoreFocusOut: true,
      validateInput: check,
    });
    if (text === undefined) return undefined;
    const value = question.read(text);
    if (typeof value === 'string') return undefined;
    (values as Record<string, number | [number, number]>)[parameter] = value;
  }
  return build();
}

function readNumberText(text: string, name: string): number | string {
  const value = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(value) ? `Type a number for ${name}.` : value;
}
