/**
 * Whole models for the editor and the model view: a model class of a document read with the
 * workspace files it imports (`from .unet_parts import Up`, read through `vscode.workspace.fs`, or
 * from the open editor when it has unsaved changes), analysed in an engine worker (never on the
 * extension host's thread), and the input shape each class was last inspected with, remembered
 * per workspace. Answers are cached by the texts and the shape, so the CodeLens, the hover and the
 * command share one reading.
 */
import * as vscode from 'vscode';
import type { ModelAnswer } from '../../core/model/modelMessages';
import { importedModules, moduleFileCandidates } from '../../core/model/modelClasses';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { rankedDefaultInput } from '../../core/model/rankedInput';

/** The largest imported file read (a model file is a few kB; anything larger is not one). */
const MAX_FILE_BYTES = 1_000_000;
/** The most imported files read for one model, following imports of imports. */
const MAX_FILES = 24;
/** The square sides searched for the sizes that work. */
export const MODEL_MAX_SIDE = 512;

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

export class ModelService {
  private readonly cache = new Map<string, Promise<ModelAnswer>>();

  constructor(
    private readonly engine: EngineWorkerClient,
    private readonly memory: vscode.Memento | undefined,
  ) {}

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
    const sources = await this.sources(document);
    const key = `${className}|${inputShape.join(',')}|${hashTexts([sources.source, ...Object.entries(sources.files).flat()])}`;
    let answer = this.cache.get(key);
    if (!answer) {
      // [N, C, L], [N, C, H, W] or [N, C, D, H, W]: the size search tries lengths, squares or cubes.
      const rank = inputShape.length - 2;
      const search = rank === 1 || rank === 2 || rank === 3 ? { validSides: { channels: inputShape[1] as number, maxSide: searchedMaxSide(rank), rank: rank as 1 | 2 | 3 } } : {};
      answer = this.engine.analyzeModel({ source: sources.source, className, inputShape, files: sources.files, trace: true, ...search });
      this.cache.set(key, answer);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
      // A failed or cancelled reading is not kept: the next request tries again.
      answer.then(undefined, () => this.cache.delete(key));
    }
    return { sources, answer: await answer };
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
    const ranked = rankedDefaultInput(document.getText(), className);
    if (ranked) return { shape: ranked, source: `the default for a ${ranked.length === 3 ? 'sequence' : 'volume'} (the first convolution of ${className} is ${ranked.length - 2}-D)` };
    const shape = defaultInputShape(document);
    return { shape, source: settingShape(document) ? 'the layerLens.models.inputShape setting' : 'the default (layerLens.models.inputShape is not set)' };
  }

  remember(document: vscode.TextDocument, className: string, shape: readonly number[]): void {
    void this.memory?.update(memoryKey(document, className), [...shape]);
  }
}

function memoryKey(document: vscode.TextDocument, className: string): string {
  return `layerLens.model.inputShape:${document.uri.toString()}#${className}`;
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
