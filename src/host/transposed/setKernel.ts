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
import { assignedName, findMatrices, type FoundMatrix } from '../../core/parse/index';
import { uriBaseName } from '../common/uriName';
import { LiteralLink } from './literalLink';
import { readSetKernelArguments, readSizeText, UserFacingError, type SetKernelArguments } from '../common/arguments';
import { describeOrigin, literalRow, matrixFromArgument, matrixFromEditor, preview, promptForMatrix, type SourcedMatrix } from '../common/matrixSources';
import { setPendingKernel } from './pendingKernel';
import { reportingProblems } from '../common/problems';

export const SET_KERNEL_COMMAND = 'layerLens.setKernel';

export interface SetKernelResult {
  readonly shape: number[];
  readonly data: number[];
  /** `panel`: the open panel now shows it; `next`: the next Transposed Convolution or Convolution will use it. */
  readonly target: 'panel' | 'next';
}

export function setKernelCommand(rawArguments: unknown): Promise<SetKernelResult | undefined> {
  return reportingProblems(() => run(rawArguments));
}

async function run(rawArguments: unknown): Promise<SetKernelResult | undefined> {
  const args = readSetKernelArguments(rawArguments);
  const chosen =
    args.kernel !== undefined
      ? matrixFromArgument(args.kernel, 'kernel')
      : args.preset !== undefined
        ? { tensor: presetFromArguments(args) }
        : (selectedMatrix() ?? (await pickKernelAnywhere()));
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

/** Matrices listed at most, over every document and file. */
const MAX_LISTED = 300;
/** Workspace files larger than this are not read for the list (open them to use their matrices). */
const MAX_FILE_BYTES = 512 * 1024;
const FILE_LANGUAGES: Readonly<Record<string, string>> = {
  py: 'python', json: 'json', m: 'matlab', jl: 'julia', r: 'r', tex: 'latex', md: 'markdown', csv: 'csv', tsv: 'tsv',
};

/**
 * One quick pick: the matrices of the open documents at once, those of the workspace's other files
 * as they are read (the picker shows it is busy meanwhile), the presets, and "type one".
 */
async function pickKernelAnywhere(): Promise<SourcedMatrix | undefined> {
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
    openItems.push(...matrixItems(document.uri, document.getText(), document.languageId, async () => document));
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
  let fileItems: KernelItem[] = [];
  const refresh = () => {
    picker.items = [
      ...(openItems.length ? [separator('Open documents'), ...openItems.slice(0, MAX_LISTED)] : []),
      ...(fileItems.length ? [separator('Workspace files'), ...fileItems.slice(0, Math.max(0, MAX_LISTED - openItems.length))] : []),
      separator('Presets'),
      ...presetItems,
      separator(''),
      typeItem,
    ];
  };
  refresh();
  const scanning = new vscode.CancellationTokenSource();
  picker.busy = true;
  void workspaceFileItems(seen, scanning.token).then((items) => {
    fileItems = items;
    picker.busy = false;
    if (!scanning.token.isCancellationRequested) refresh();
  });
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

/** 1-D and 2-D matrices of one text, nearest the top first; `open` gives its document when one is chosen. */
function matrixItems(uri: vscode.Uri, text: string, languageId: string, open: () => Promise<vscode.TextDocument>): KernelItem[] {
  let found: FoundMatrix[];
  try {
    found = findMatrices(text, languageId);
  } catch {
    return []; // a file the finder cannot read is simply not listed
  }
  const lineOf = lineCounter(text);
  return found
    .filter((m) => m.shape.length <= 2)
    .map((m) => ({
      ...literalRow(assignedName(text, m.start), m.shape, `${uriBaseName(uri)}:${lineOf(m.start) + 1}`),
      detail: preview(text.slice(m.start, m.end)),
      take: async () => {
        const document = await open();
        const range = new vscode.Range(document.positionAt(m.start), document.positionAt(m.end));
        return { tensor: { shape: m.shape, data: m.data }, origin: { document, range, notation: m.notation } };
      },
    }));
}

/** Line numbers of offsets given in increasing order, without splitting the text. */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 0;
  return (offset) => {
    for (; at < offset; at++) if (text.charCodeAt(at) === 10) line++;
    return line;
  };
}

async function workspaceFileItems(skip: ReadonlySet<string>, token: vscode.CancellationToken): Promise<KernelItem[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const uris = await vscode.workspace.findFiles(`**/*.{${Object.keys(FILE_LANGUAGES).join(',')}}`, '**/{node_modules,.git,.cache,out,dist}/**', 200, token);
  const items: KernelItem[] = [];
  for (const uri of uris.sort((a, b) => a.path.localeCompare(b.path))) {
    if (token.isCancellationRequested || items.length >= MAX_LISTED) break;
    if (skip.has(uri.toString())) continue;
    try {
      if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) continue;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const extension = uri.path.slice(uri.path.lastIndexOf('.') + 1).toLowerCase();
      items.push(...matrixItems(uri, text, FILE_LANGUAGES[extension] ?? 'plaintext', () => Promise.resolve(vscode.workspace.openTextDocument(uri))));
    } catch {
      // unreadable (deleted meanwhile, a virtual file system refusing): not listed
    }
  }
  return items;
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
