/**
 * The panel's toolbar: copy a matrix or the PyTorch snippet, insert the result as a literal, save
 * the step view as PNG or SVG and the step animation as a GIF. Copying and inserting happen on the
 * host (it owns the clipboard and the documents); images are rendered here and sent as bytes. The
 * line beside the buttons says what happened, for sighted and screen-reader users alike.
 */
import type { FromTransposedMessage, ImageFormat, LayerLinks } from '../../src/core/protocol/transposed';
import { exportCellSize, layoutScene, stepFrame, type ReadyModel, type Scene, type ScenePalette } from './exportScene';
import { element, span, type MarkKind } from '../shared/grid';
import type { TransposedModel } from './transposedModel';
import { gifSteps, MAX_GIF_FRAMES, sceneToPng, scenesToGif } from './rasterExport';
import { sceneToSvg } from './svgExport';

/** What the toolbar reads from the view when asked to export. */
export interface ExportSource {
  current(): { readonly model: TransposedModel; readonly step: number; readonly speed: number } | undefined;
}

const MARK_KINDS: readonly MarkKind[] = ['current', 'window', 'changed', 'selected', 'tile', 'cropped', 'added-edge'];

export class ExportToolbar {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private busy = false;

  constructor(
    links: LayerLinks | undefined,
    private readonly source: ExportSource,
    private readonly post: (message: FromTransposedMessage) => void,
  ) {
    const bar = element('div', 'export-toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Copy, insert and save');
    const insertUnavailable = links ? links.insertUnavailable : 'The link to the input literal does not survive a restart of VS Code: run “Layer Lens: Transposed Convolution (ConvTranspose2d)” again to insert the result.';
    bar.append(
      this.button('copy', 'copy', 'Copy input, kernel or output as NumPy, PyTorch, JSON, MATLAB, LaTeX or Markdown…', () => this.post({ type: 'copy' })),
      this.button('copy-snippet', 'symbol-snippet', 'Copy a runnable PyTorch snippet that reproduces this computation', () => this.post({ type: 'copy', target: { kind: 'snippet' } })),
      this.button('insert-result', 'insert', 'Insert the result as a literal below the input', () => this.post({ type: 'insertResult' }), insertUnavailable),
      separator(),
      this.button('save-png', 'device-camera', 'Save the step view as PNG', () => void this.save('png')),
      this.button('save-svg', 'file-code', 'Save the step view as SVG', () => void this.save('svg')),
      this.button('save-gif', 'play-circle', 'Save the step animation as an animated GIF', () => void this.save('gif')),
      separator(),
      this.button('compare-upsampling', 'beaker', 'Compare upsampling methods: this kernel and stride against resize-convolution and sub-pixel convolution in the checkerboard lab', () =>
        this.post({ type: 'compareUpsampling' }),
      ),
    );
    this.status = span('export-status', '');
    this.status.setAttribute('role', 'status');
    bar.append(this.status);
    this.element = bar;
  }

  /** Shows an outcome beside the buttons. */
  notice(tone: 'info' | 'error', text: string): void {
    this.status.textContent = text;
    this.status.dataset.tone = tone;
  }

  /** A codicon button; an unavailable one stays focusable and says why when pressed. */
  private button(action: string, icon: string, label: string, run: () => void, unavailable?: string): HTMLButtonElement {
    const node = element('button', 'icon-button');
    node.type = 'button';
    node.dataset.action = action;
    node.title = unavailable ? `${label}: ${unavailable}` : label;
    node.setAttribute('aria-label', label);
    if (unavailable) node.setAttribute('aria-disabled', 'true');
    node.append(span(`codicon codicon-${icon}`, ''));
    node.addEventListener('click', () => (unavailable ? this.notice('info', unavailable) : run()));
    return node;
  }

  private async save(format: ImageFormat): Promise<void> {
    const current = this.source.current();
    if (this.busy || !current) return;
    const { model, step, speed } = current;
    if (model.kind !== 'ready') {
      this.notice('error', 'There is no step view to save: the parameters are not a valid layer.');
      return;
    }
    this.busy = true;
    try {
      const palette = themePalette();
      let bytes: Uint8Array;
      if (format === 'gif') bytes = await this.renderGif(model, palette, speed);
      else {
        const scene = layoutScene(stepFrame(model, step), palette);
        bytes = format === 'svg' ? new TextEncoder().encode(sceneToSvg(scene)) : await sceneToPng(scene);
      }
      this.post({ type: 'saveImage', format, bytes });
    } catch (error) {
      this.notice('error', `Could not render the ${format.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy = false;
    }
  }

  private async renderGif(model: ReadyModel, palette: ScenePalette, speed: number): Promise<Uint8Array> {
    const steps = gifSteps(model.trace.stepCount);
    // One cell size and one canvas size for every frame, from the final frame's layout.
    const cell = exportCellSize(stepFrame(model, model.trace.stepCount));
    const scenes = steps.map((step) => layoutScene(stepFrame(model, step), palette, cell));
    const width = Math.max(...scenes.map((s) => s.width));
    const height = Math.max(...scenes.map((s) => s.height));
    const sized: Scene[] = scenes.map((s) => ({ ...s, width, height }));
    const capped = steps.length < model.trace.stepCount + 1 ? ` (${steps.length} of ${model.trace.stepCount + 1} steps, evenly spaced: a GIF holds at most ${MAX_GIF_FRAMES} frames)` : '';
    const bytes = await scenesToGif(sized, Math.round(1000 / speed), (done) => this.notice('info', `Rendering the GIF: frame ${done} of ${sized.length}${capped}…`));
    this.notice('info', `Rendered ${sized.length} frames${capped}.`);
    return bytes;
  }
}

function separator(): HTMLElement {
  const node = element('span', 'toolbar-separator');
  node.setAttribute('role', 'separator');
  return node;
}

/** The theme's colours now, from the CSS variables VS Code sets on the page. */
function themePalette(): ScenePalette {
  const style = getComputedStyle(document.body);
  const variable = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const marks = Object.fromEntries(MARK_KINDS.map((kind) => [kind, variable(`--mark-${kind}`, '#cca700')])) as Record<MarkKind, string>;
  return {
    background: variable('--vscode-editor-background', '#ffffff'),
    foreground: variable('--vscode-foreground', '#333333'),
    muted: variable('--vscode-descriptionForeground', '#717171'),
    border: variable('--vscode-editorWidget-border', '#c8c8c8'),
    font: variable('--vscode-editor-font-family', 'monospace'),
    marks,
  };
}
