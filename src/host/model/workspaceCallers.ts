/**
 * The Python files of the workspace that may build a model class: those that name it
 * (`train.py`: `model = UNet(n_channels=3, n_classes=2)`), for the arguments its `__init__`
 * requires and its own file does not say. Asked only when a class lacks arguments. Files are read
 * once and kept until they change on disk (a watcher), open documents are read from their editor
 * (unsaved edits included), and the work is bounded: so many files, so many bytes each.
 */
import * as vscode from 'vscode';

/** The most Python files looked at in the workspace. */
const MAX_FILES = 1000;
/** A larger file is not a script that builds a model. */
const MAX_FILE_BYTES = 1_000_000;
/** The most files handed to the worker for one class. */
const MAX_CALLERS = 32;
const EXCLUDE = '**/{node_modules,.git,.venv,venv,env,site-packages,__pycache__,build,dist}/**';

export class WorkspaceCallers implements vscode.Disposable {
  /** Text by URI; undefined: unreadable or too large. */
  private readonly texts = new Map<string, string | undefined>();
  private files: Promise<vscode.Uri[]> | undefined;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    const changed = (uri: vscode.Uri) => this.texts.delete(uri.toString());
    const listed = (uri: vscode.Uri) => {
      this.texts.delete(uri.toString());
      this.files = undefined;
    };
    this.subscriptions = [this.watcher, this.watcher.onDidChange(changed), this.watcher.onDidCreate(listed), this.watcher.onDidDelete(listed)];
  }

  /** The workspace's files whose text names `className`, by workspace-relative path; `except` (the model's own document) left out. */
  async naming(className: string, except: vscode.Uri): Promise<Record<string, string>> {
    const word = new RegExp(`\\b${className}\\b`);
    const found: Record<string, string> = {};
    let count = 0;
    for (const uri of await this.list()) {
      if (uri.toString() === except.toString()) continue;
      const text = await this.read(uri);
      if (text === undefined || !word.test(text)) continue;
      found[vscode.workspace.asRelativePath(uri, false)] = text;
      if (++count >= MAX_CALLERS) break;
    }
    return found;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.texts.clear();
  }

  private list(): Promise<vscode.Uri[]> {
    // Sorted, so that the same workspace gives the same files in the same order (the first call found wins a tie).
    this.files ??= Promise.resolve(vscode.workspace.findFiles('**/*.py', EXCLUDE, MAX_FILES)).then(
      (uris) => uris.sort((a, b) => a.path.localeCompare(b.path)),
      () => [],
    );
    return this.files;
  }

  private async read(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    const key = uri.toString();
    if (this.texts.has(key)) return this.texts.get(key);
    let text: string | undefined;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type === vscode.FileType.File && stat.size <= MAX_FILE_BYTES) text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      text = undefined;
    }
    this.texts.set(key, text);
    return text;
  }
}
