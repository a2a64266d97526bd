/**
 * `layer-lens check`: every diagnostic the editor shows, for files on disk. Each file is read,
 * summarised by the same core function the editor's worker runs (insight/documentSummary.ts) and
 * turned into diagnostics by the same rules (insight/documentDiagnostics.ts); this module only finds
 * the files, turns offsets into lines and columns, and prints.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { text as readAll } from 'node:stream/consumers';
import { documentDiagnostics, type DiagnosticSettings, type LayerDiagnostic, type SeverityName } from '../core/insight/documentDiagnostics';
import { SUMMARY_MAX_CHARACTERS, summarizeDocument } from '../core/insight/documentSummary';
import { positionFinder } from '../core/text/positions';
import { notebookCells } from './notebookCells';

/** The files a folder is searched for, by extension, and the language the editor reads each as. */
export const CHECKED_EXTENSIONS: Readonly<Record<string, string>> = { '.py': 'python', '.pyi': 'python', '.ipynb': 'notebook', '.md': 'markdown', '.markdown': 'markdown', '.qmd': 'quarto' };

/** The languages the editor reads layers in (host/common/settings.ts's LAYER_LANGUAGES). */
const LAYER_LANGUAGES: readonly string[] = ['python', 'markdown', 'quarto'];

/** Folders never searched: dependencies, caches, version control, and hidden folders (`.venv`, `.tox`). */
const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', 'site-packages']);

/** What `check` found in one file, at 1-based lines and columns (UTF-16 code units, as editors count). */
export interface FileDiagnostic {
  readonly file: string;
  /** In a notebook, the 1-based cell; line and column are then the cell's, as the editor shows them. */
  readonly cell?: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: SeverityName;
  readonly message: string;
  readonly rule: string;
}

/** A file or folder `check` could not read: reported, and the exit code is 2. */
export class UnreadableError extends Error {
  override readonly name = 'UnreadableError';
}

export interface CheckOptions extends DiagnosticSettings {
  /** `layerLens.layers.inputSize`: the input size of a layer whose code states none. */
  readonly inputSize: number;
  /** `layerLens.models.inputShape` (`--model-input 1x3x78x78`): follow each model class's forward() for this input. */
  readonly modelInput?: readonly number[];
  /** The name standard input (`-`) is reported under, and read by its extension (`--stdin-filename`); Python when not given. */
  readonly stdinName?: string;
  /** Told of a file skipped as the editor skips it (longer than it reads): the file and why. */
  readonly onSkip?: (file: string, reason: string) => void;
}

/** Bytes past which a file certainly holds more characters than the editor reads (UTF-8: at most 4 bytes a character), so it is not even read. */
const MAX_READ_BYTES = SUMMARY_MAX_CHARACTERS * 4;

/** The files to check: each named file, and every file with a checked extension under each named folder, sorted. */
export async function filesToCheck(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    // `-` is standard input, read when it is checked (an agent's hook can pipe a file it is editing).
    if (path === '-') {
      found.push(path);
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new UnreadableError(`cannot read ${path}: ${reason(error)}`);
    }
    if (info.isDirectory()) found.push(...(await walk(path)));
    else found.push(path);
  }
  return found;
}

async function walk(folder: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new UnreadableError(`cannot read ${dir}: ${reason(error)}`);
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) pending.push(path);
      } else if (entry.isFile() && CHECKED_EXTENSIONS[extname(entry.name).toLowerCase()] !== undefined) {
        found.push(path);
      }
    }
  }
  return found.sort();
}

function reason(error: unknown): string {
  const code = (error as { code?: string }).code;
  const messages: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory' };
  return (code && messages[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** The diagnostics of one file's text; a file named on the command line with another extension is read as Python. */
export function checkText(file: string, text: string, options: CheckOptions): FileDiagnostic[] {
  return diagnosticsIn(file, text, CHECKED_EXTENSIONS[extname(file).toLowerCase()] ?? 'python', options);
}

function diagnosticsIn(file: string, text: string, languageId: string, options: CheckOptions, cell?: number): FileDiagnostic[] {
  if (!LAYER_LANGUAGES.includes(languageId)) return [];
  const summary = summarizeDocument({ text, languageId, inputSize: options.inputSize, layers: true, ...(options.modelInput ? { modelInput: [...options.modelInput] } : {}) });
  const position = positionFinder(text);
  return documentDiagnostics(summary, options)
    .map((d: LayerDiagnostic): FileDiagnostic => {
      const { line, column } = position(d.start);
      const { line: endLine, column: endColumn } = position(d.end);
      return { file, ...(cell === undefined ? {} : { cell }), line, column, endLine, endColumn, severity: d.severity, message: d.message, rule: d.rule };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A notebook's diagnostics, cell by cell; a file that is not a notebook is an error naming it. */
function checkNotebook(file: string, json: string, options: CheckOptions): FileDiagnostic[] {
  const cells = notebookCells(json);
  if (typeof cells === 'string') throw new UnreadableError(`cannot read ${file}: ${cells}`);
  return cells.flatMap((cell) => diagnosticsIn(file, cell.text, cell.languageId, options, cell.index));
}

export async function checkFile(path: string, options: CheckOptions): Promise<FileDiagnostic[]> {
  const file = path === '-' ? (options.stdinName ?? '-') : path;
  const tooLong = `longer than the ${SUMMARY_MAX_CHARACTERS.toLocaleString('en-US')} characters Layer Lens reads in a document (the editor shows nothing there either)`;
  let text: string;
  try {
    if (path !== '-' && (await stat(path)).size > MAX_READ_BYTES) {
      options.onSkip?.(file, tooLong);
      return [];
    }
    text = path === '-' ? await readAll(process.stdin) : await readFile(path, 'utf8');
  } catch (error) {
    throw new UnreadableError(`cannot read ${path === '-' ? 'standard input' : path}: ${reason(error)}`);
  }
  if (text.length > SUMMARY_MAX_CHARACTERS) {
    options.onSkip?.(file, tooLong);
    return [];
  }
  return extname(file).toLowerCase() === '.ipynb' ? checkNotebook(file, text, options) : checkText(file, text, options);
}

// --- Output --------------------------------------------------------------------------------------

const TEXT_SEVERITY: Readonly<Record<SeverityName, string>> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };
const GITHUB_COMMAND: Readonly<Record<SeverityName, string>> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** `path:line:column: severity: message [rule]`, as compilers and linters print and editors link. */
export function formatText(d: FileDiagnostic): string {
  // A notebook's place is its cell and the line in it (`nb.ipynb:cell 2:5:6:`, as Ruff writes it): lines of the JSON file mean nothing to a reader.
  return `${d.file}:${d.cell === undefined ? '' : `cell ${d.cell}:`}${d.line}:${d.column}: ${TEXT_SEVERITY[d.severity]}: ${d.message} [${d.rule}]`;
}

/** A GitHub Actions workflow command: an annotation on the file and line in the pull request. */
export function formatGithub(d: FileDiagnostic): string {
  const property = (value: string) => escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
  // A notebook's annotation goes on the file, its cell and line in the title (the JSON's lines are not the cell's).
  const where =
    d.cell === undefined
      ? `file=${property(d.file)},line=${d.line},col=${d.column},endLine=${d.endLine},endColumn=${d.endColumn},title=${property(`Layer Lens [${d.rule}]`)}`
      : `file=${property(d.file)},title=${property(`Layer Lens [${d.rule}] cell ${d.cell}, line ${d.line}, column ${d.column}`)}`;
  return `::${GITHUB_COMMAND[d.severity]} ${where}::${escapeData(d.message)}`;
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
