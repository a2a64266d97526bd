/**
 * The editor features of whole models: a CodeLens on each `class …(nn.Module)` line (and each Keras
 * builder `def` or `model = keras.Model(…)` line) ("Inspect
 * Model · 31 M params · 1×3×64×64 → 1×2×64×64", opening the model view) and the hover over the
 * class name with the model's summary. Both read the model in an engine worker, lazily: the
 * CodeLens is placed at once and its title computed when VS Code resolves it (only the visible
 * ones). Each has its setting (`layerLens.models.codeLens`, `.hover`).
 */
import * as vscode from 'vscode';
import { commandUri } from '../../core/insight/commandArguments';
import { constructorSummary, modelSummary, shortCount } from '../../core/insight/modelReport';
import { escapeMarkdown } from '../../core/insight/markdownText';
import { modelField } from '../../core/insight/modelField';
import { findModelClasses } from '../../core/model/modelClasses';
import { COMMAND } from '../contributed';
import { hoverMarkdown } from '../editor/hoverImages';
import type { ModelService } from './modelService';

function flag(document: vscode.TextDocument, key: string): boolean {
  return vscode.workspace.getConfiguration('layerLens', document).get(key) !== false;
}

function inspectArguments(document: vscode.TextDocument, className: string): object {
  return { uri: document.uri.toString(), className };
}

class ModelCodeLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly document: vscode.TextDocument,
    readonly className: string,
  ) {
    super(range);
  }
}

export class ModelCodeLensProvider implements vscode.CodeLensProvider<ModelCodeLens>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly settings = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('layerLens.models')) this.changed.fire();
  });

  private readonly rememberedInputs: vscode.Disposable;

  constructor(private readonly models: ModelService) {
    this.rememberedInputs = models.onDidRemember(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): ModelCodeLens[] {
    if (document.languageId !== 'python' || !flag(document, 'models.codeLens')) return [];
    return findModelClasses(document.getText()).map((c) => new ModelCodeLens(new vscode.Range(c.line, 0, c.line, 0), document, c.name));
  }

  async resolveCodeLens(lens: ModelCodeLens): Promise<ModelCodeLens> {
    const { document, className } = lens;
    const { shape } = this.models.inputShapeOf(document, className);
    let title = 'Inspect Model';
    try {
      // The title needs the run, not the search of the sizes that work (a few hundred ms per class in
      // the commands' worker, on every edit): the stack view's cheaper reading, which it shares.
      const { answer } = await this.models.trace(document, className, shape);
      const missing = answer.builtWith?.missing ?? [];
      title = missing.length > 0 ? `Inspect Model · needs ${missing.join(', ')}` : `Inspect Model · ${modelSummary(answer.analysis, shape)}`;
    } catch {
      // The lens still opens the model view, which says why the model cannot be read.
    }
    lens.command = {
      title: `$(type-hierarchy) ${title}`,
      command: COMMAND.inspectModel,
      arguments: [inspectArguments(document, className)],
      tooltip: `Show ${className}'s forward() step by step, its skip connections and the input sizes that work, in the model view`,
    };
    return lens;
  }

  dispose(): void {
    this.rememberedInputs.dispose();
    this.settings.dispose();
    this.changed.dispose();
  }
}

export class ModelHoverProvider implements vscode.HoverProvider {
  constructor(private readonly models: ModelService) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (document.languageId !== 'python' || !flag(document, 'models.hover')) return undefined;
    // Only a class line is looked at: anywhere else, answer without reading the document.
    const text = document.lineAt(position.line).text;
    if (!/^(?:class|def)\s|^\w+\s*=/.test(text)) return undefined;
    // A Keras builder or model variable is known from the whole file (it must import Keras).
    const single = /^class\s/.test(text);
    const cls = findModelClasses(single ? text : document.getText()).find((c) => (single || c.line === position.line) && c.nameStart <= position.character && position.character <= c.nameEnd);
    if (!cls) return undefined;
    const { shape, source } = this.models.inputShapeOf(document, cls.name);
    const { answer } = await this.models.run(document, cls.name, shape);
    const a = answer.analysis;
    const lines = [`**${cls.name}** · ${modelSummary(a, shape)}`, ''];
    const macs = a.layers.reduce((sum, l) => sum + l.macs, 0);
    lines.push(`- input ${shape.join('×')} (${source})`);
    const built = constructorSummary(answer.builtWith);
    if (built) lines.push(`- ${escapeMarkdown(built)}`);
    if (a.params !== null) lines.push(`- ${a.params.toLocaleString('en-US')} parameters, ${shortCount(macs)} multiply-adds`);
    // The messages quote the code (`double_conv`, `x * 2`): escaped, so that they read as written.
    if (a.error) lines.push(`- **raises** at line ${a.error.line}${a.error.file ? ` of ${escapeMarkdown(a.error.file)}` : ''}: ${escapeMarkdown(a.error.message)}`);
    if (a.unknown) lines.push(`- stops at line ${a.unknown.line}: ${escapeMarkdown(a.unknown.message)}`);
    if (answer.sizes) lines.push(`- sizes that work: ${escapeMarkdown(answer.sizes.rule)}`);
    if (a.receptiveField) {
      const f = a.receptiveField;
      // The field as the model view's column writes it (size, stride, offset), then what it covers of this input.
      const field = a.outputField ? `${modelField(a.outputField).text}; ` : '';
      lines.push(`- receptive field: ${field}the centre output sees ${f.rows[1] - f.rows[0] + 1}×${f.cols[1] - f.cols[0] + 1} input values`);
    }
    lines.push('', `[Inspect Model](${commandUri(COMMAND.inspectModel, inspectArguments(document, cls.name))})`);
    return new vscode.Hover(hoverMarkdown(lines.join('\n'), [COMMAND.inspectModel]), new vscode.Range(position.line, cls.nameStart, position.line, cls.nameEnd));
  }
}
