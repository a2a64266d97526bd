/**
 * Whole models for the editor and the model view: a model class of a document read with the
 * workspace files it imports (`from .unet_parts import Up`, read through `vscode.workspace.fs`, or
 * from the open editor when it has unsaved changes), analysed in an engine worker (never on the
 * extension host's thread), and the input shape and constructor arguments each class was last
 * inspected with, remembered per workspace. A class whose `__init__` requires arguments its own
 * file does not give is read again with the workspace's files that name it, for a call that does
 * (src/core/model/constructorArguments.ts). Answers are cached by the texts, the shape and the
 * arguments, so the CodeLens, the hover and the command share one reading.
 */
import * as vscode from 'vscode';
import { isConstructorArguments, type ConstructorArgument } from '../../core/model/constructorArguments';
import type { ModelAnswer, ModelRequest } from '../../core/model/modelMessages';
import { importedModules, moduleFileCandidates } from '../../core/model/modelClasses';
import { uriBaseName } from '../common/uriName';
import { isKerasEntry, kerasDeclaredInput } from '../../core/model/kerasModel';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { WorkspaceCallers } from './workspaceCallers';
import { rankedDefaultInput } from '../../core/model/rankedInput';

/** The largest imported file read (a model file is a few kB; anything larger is not one). */
const MAX_FILE_BYTES = 1_000_000;
/** The most imported files read for one model, following imports of imports. */
const MAX_FILES = 24;
/** The square sides searched for the sizes that work (the speed contract: 1–1024, in the engine worker). */
export const MODEL_MAX_SIDE = 1024;

/** The largest side the size search tries for an input of `rank` spatial axes: a cube's values grow as the side cubed, so volumes stop at 128. */
export function searchedMaxSide(rank: number): number {
  return rank === 3 ? Math.min(MODEL_MAX_SIDE, 128) : MODEL_MAX_SIDE;
}
const CACHE_SIZE = 16;

export interface ModelSources {
  readonly source: string;
  /** Imported workspace files by workspace-relative path. */
  readonly files: Readonly<Record<string, string>>;
  /** The same paths' URIs (to reveal a line of one). */
  readonly uris: ReadonlyMap<string, vscode.Uri>;
}

export interface ModelRun {
  readonly sources: ModelSources;
  readonly answer: ModelAnswer;
}

/** A short hash of texts, for the cache key (not for security). */
function hashTexts(texts: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export class ModelService implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<ModelAnswer>>();
  private readonly callers = new WorkspaceCallers();
  private readonly remembered = new vscode.EventEmitter<void>();
  /** Fires when a class's input shape or constructor arguments are remembered: the CodeLens read it again. */
  readonly onDidRemember = this.remembered.event;

  constructor(
    private readonly engine: EngineWorkerClient,
    private readonly memory: vscode.Memento | undefined,
  ) {}

  dispose(): void {
    this.callers.dispose();
    this.remembered.dispose();
    this.cache.clear();
  }

  /** The document's text and the workspace files it imports, transitively (bounded). */
  async sources(document: vscode.TextDocument): Promise<ModelSources> {
    const source = document.getText();
    const files: Record<string, string> = {};
    const uris = new Map<string, vscode.Uri>();
    const queue: { text: string; uri: vscode.Uri }[] = [{ text: source, uri: document.uri }];
    const seen = new Set([document.uri.toString()]);
    while (queue.length > 0 && uris.size < MAX_FILES) {
      const { text, uri } = queue.shift() as { text: string; uri: vscode.Uri };
      const folder = vscode.Uri.joinPath(uri, '..');
      const root = vscode.workspace.getWorkspaceFolder(uri)?.uri;
      for (const module of importedModules(text)) {
        const { fromFile, fromRoot } = moduleFileCandidates(module);
        const candidates = [...fromFile.map((p) => ({ uri: vscode.Uri.joinPath(folder, p), near: p })), ...(root ? fromRoot.map((p) => ({ uri: vscode.Uri.joinPath(root, p), near: p })) : [])];
        for (const { uri: candidate, near } of candidates) {
          if (seen.has(candidate.toString())) continue;
          const read = await readText(candidate);
          if (read === undefined) continue;
          seen.add(candidate.toString());
          // Named by its workspace path, or (outside a workspace) by its path from the model's file.
          const key = vscode.workspace.getWorkspaceFolder(candidate) ? vscode.workspace.asRelativePath(candidate, false) : near;
          files[key] = read;
          uris.set(key, candidate);
          queue.push({ text: read, uri: candidate });
          break;
        }
      }
    }
    return { source, files, uris };
  }

  /**
   * Reads, traces and searches the sizes of one class on one input shape (cached). Not cancelled
   * with the CodeLens or hover that asked: the reading is shared (the command may be waiting on
   * it too), and cancelling would stop the worker's other jobs.
   */
  async run(document: vscode.TextDocument, className: string, inputShape: readonly number[]): Promise<ModelRun> {
    // Keras models are channels-last, [N, H, W, C]; a PyTorch input is [N, C, L], [N, C, H, W] or
    // [N, C, D, H, W]: the size search tries lengths, squares or cubes.
    if (isKerasEntry(document.getText(), className)) {
      return this.answer(document, className, inputShape, inputShape.length === 4 ? { validSides: { channels: inputShape[3] as number, maxSide: MODEL_MAX_SIDE } } : {});
    }
    const rank = inputShape.length - 2;
    const search = rank === 1 || rank === 2 || rank === 3 ? { validSides: { channels: inputShape[1] as number, maxSide: searchedMaxSide(rank), rank: rank as 1 | 2 | 3 } } : {};
    return this.answer(document, className, inputShape, search);
  }

  /**
   * forward() traced on one input shape, without the search of the sizes that work (cached like
   * {@link run}): what the stack view and its neighbours need of a class, for a fraction of the cost.
   */
  trace(document: vscode.TextDocument, className: string, inputShape: readonly number[]): Promise<ModelRun> {
    return this.answer(document, className, inputShape, {});
  }

  /**
   * One reading, with the constructor arguments the user gave the class; those it still lacks are
   * looked for in calls of the class, first in its own file (a part built by its model there:
   * `Down(64, 128)`, or `netG = Generator(1)` at its end), then in the workspace's files that name it.
   */
  private async answer(document: vscode.TextDocument, className: string, inputShape: readonly number[], extra: Pick<ModelRequest, 'validSides'>): Promise<ModelRun> {
    const sources = await this.sources(document);
    const args = this.argumentsOf(document, className);
    const own = { [uriBaseName(document.uri)]: sources.source };
    let answer = await this.analyze(sources, className, inputShape, args, own, extra);
    if (answer.builtWith && answer.builtWith.missing.length > 0) {
      const named = await this.callers.naming(className, document.uri);
      if (Object.keys(named).length > 0) answer = await this.analyze(sources, className, inputShape, args, { ...own, ...named }, extra);
    }
    return { sources, answer };
  }

  /** One worker reading, cached by the texts, the class, the shape, the arguments and whether the sizes are searched. */
  private analyze(
    sources: ModelSources,
    className: string,
    inputShape: readonly number[],
    args: Readonly<Record<string, ConstructorArgument>>,
    callers: Readonly<Record<string, string>>,
    extra: Pick<ModelRequest, 'validSides'>,
  ): Promise<ModelAnswer> {
    const key = `${extra.validSides ? 'sizes' : 'trace'}|${className}|${inputShape.join(',')}|${JSON.stringify(args)}|${hashTexts([sources.source, ...Object.entries(sources.files).flat(), ...Object.entries(callers).flat()])}`;
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.engine.analyzeModel({ source: sources.source, className, inputShape, files: sources.files, args, callers, trace: true, ...extra });
      this.cache.set(key, answer);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
      // A failed or cancelled reading is not kept: the next request tries again.
      answer.then(undefined, () => this.cache.delete(key));
    }
    return answer;
  }

  /** The constructor arguments the user gave a class (in the model view or Inspect Model's `args`); the others come from calls and defaults. */
  argumentsOf(document: vscode.TextDocument, className: string): Readonly<Record<string, ConstructorArgument>> {
    const remembered = this.memory?.get<unknown>(argumentsKey(document, className));
    return isConstructorArguments(remembered) ? remembered : {};
  }

  async rememberArguments(document: vscode.TextDocument, className: string, args: Readonly<Record<string, ConstructorArgument>>): Promise<void> {
    await this.memory?.update(argumentsKey(document, className), Object.keys(args).length > 0 ? { ...args } : undefined);
    this.remembered.fire();
  }

  /**
   * The input shape a class was last inspected with, else a sequence or a volume when its first
   * convolution is 1-D or 3-D (the image setting cannot fit it), else the setting.
   */
  inputShapeOf(document: vscode.TextDocument, className: string): { readonly shape: readonly number[]; readonly source: string } {
    const remembered = this.memory?.get<unknown>(memoryKey(document, className));
    if (Array.isArray(remembered) && remembered.length >= 1 && remembered.length <= 6 && remembered.every((v) => Number.isSafeInteger(v) && v >= 1)) {
      return { shape: remembered as number[], source: `as last inspected for ${className}` };
    }
    if (isKerasEntry(document.getText(), className)) return kerasInputShape(document, className);
    const ranked = rankedDefaultInput(document.getText(), className);
    if (ranked) return { shape: ranked, source: `the default for a ${ranked.length === 3 ? 'sequence' : 'volume'} (the first convolution of ${className} is ${ranked.length - 2}-D)` };
    const shape = defaultInputShape(document);
    return { shape, source: settingShape(document) ? 'the layerLens.models.inputShape setting' : 'the default (layerLens.models.inputShape is not set)' };
  }

  remember(document: vscode.TextDocument, className: string, shape: readonly number[]): void {
    void Promise.resolve(this.memory?.update(memoryKey(document, className), [...shape])).then(() => this.remembered.fire());
  }
}

function argumentsKey(document: vscode.TextDocument, className: string): string {
  return `layerLens.model.arguments:${document.uri.toString()}#${className}`;
}

function memoryKey(document: vscode.TextDocument, className: string): string {
  return `layerLens.model.inputShape:${document.uri.toString()}#${className}`;
}

/** A Keras model's first Input as declared (`shape=(None, None, 3)`: its None sides 64), the batch 1; a model without one, `[1, 64, 64, 3]`. */
function kerasInputShape(document: vscode.TextDocument, className: string): { readonly shape: readonly number[]; readonly source: string } {
  const declared = kerasDeclaredInput(document.getText(), { className });
  if (!declared) return { shape: [1, 64, 64, 3], source: `the default (${className} declares no Input shape)` };
  const open = declared.some((n) => n === null);
  return { shape: [1, ...declared.map((n) => n ?? 64)], source: open ? `${className}'s Input, its None sizes 64` : `${className}'s Input` };
}

/** `layerLens.models.inputShape` when it is set to an `[N, C, H, W]` shape (empty by default: the size diagnostic is then off). */
function settingShape(scope?: vscode.ConfigurationScope): number[] | undefined {
  const value = vscode.workspace.getConfiguration('layerLens', scope).get<unknown>('models.inputShape');
  return Array.isArray(value) && value.length === 4 && value.every((v) => Number.isSafeInteger(v) && v >= 1 && v <= 65536) ? (value as number[]) : undefined;
}

/** The shape a model is inspected with until one is given for it: the setting, else `[1, 3, 64, 64]`. */
export function defaultInputShape(scope?: vscode.ConfigurationScope): number[] {
  return settingShape(scope) ?? [1, 3, 64, 64];
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type !== vscode.FileType.File || stat.size > MAX_FILE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
