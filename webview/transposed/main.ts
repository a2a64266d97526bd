/**
 * The Layer Lens panel's front end. It checks every message against the shared protocol, computes
 * the layer with the extension's engine (so parameter edits answer at once), and draws it: the step
 * player over input, kernel and output, the products behind any output cell, the overlap map and
 * the output-size formulas. UI state (step, speed, selected cell, and the layer when small) is kept
 * with `setState`, so the panel comes back as it was after being hidden or after a restart.
 */
import { assertNever, MAX_PERSISTED_VALUES, persistMatrix } from '../../src/core/protocol/common';
import { isPersistedPanelState, isToTransposedMessage, type FromTransposedMessage, type PanelSnapshot, type PersistedPanelState, type TransposedConvolutionLayer, type PanelSection } from '../../src/core/protocol/transposed';
import { openCellEditor } from './cellEditor';
import { planeOf } from './channels';
import { ExportToolbar } from './exportMenu';
import { formatCellValue } from '../shared/format';
import { element, span } from '../shared/grid';
import { buildLayerModel, type LayerModel } from './transposedModel';
import { LayerView } from './transposedView';
import { DEFAULT_SPEED } from '../shared/player';

interface VsCodeApi {
  postMessage(message: FromTransposedMessage): void;
  getState(): unknown;
  setState(state: PersistedPanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const saved = vscode.getState();
let uiState: PersistedPanelState = isPersistedPanelState(saved) ? saved : { step: 0, speed: DEFAULT_SPEED };
let view: LayerView | undefined;
let toolbar: ExportToolbar | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isToTransposedMessage(event.data)) {
    console.warn('Layer Lens panel ignored an unexpected message', event.data);
    return;
  }
  const message = event.data;
  switch (message.type) {
    case 'show':
      show(message.snapshot);
      break;
    case 'notice':
      toolbar?.notice(message.tone, message.text);
      break;
    case 'reveal':
      reveal(message.section);
      break;
    case 'selectCell':
      view?.selectCell(message.row, message.col);
      break;
    default:
      assertNever(message);
  }
});
vscode.postMessage({ type: 'ready' });

/** Waits for a section asked to be revealed: the sections below the player are built a frame or two after the layer is shown. */
let revealWatch: MutationObserver | undefined;

/** Brings a section into view and moves focus to it, so a screen reader reads it next (once it exists). */
function reveal(section: PanelSection): void {
  revealWatch?.disconnect();
  revealWatch = undefined;
  const find = () => app.querySelector<HTMLElement>(`section.${section}`);
  const bring = (target: HTMLElement) => {
    target.tabIndex = -1;
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  };
  const present = find();
  if (present) {
    bring(present);
    return;
  }
  const watch = new MutationObserver(() => {
    const target = find();
    if (!target) return;
    watch.disconnect();
    revealWatch = undefined;
    bring(target);
  });
  watch.observe(app, { childList: true, subtree: true });
  revealWatch = watch;
}

/** Replaces the panel's content with `snapshot`. */
function show(snapshot: PanelSnapshot): void {
  // A reveal asked for before belongs to what was shown then.
  revealWatch?.disconnect();
  revealWatch = undefined;
  view?.dispose();
  view = undefined;
  toolbar = undefined;
  app.replaceChildren();
  app.dataset.state = snapshot.kind;
  switch (snapshot.kind) {
    case 'empty': {
      const hint = element('p', 'hint');
      hint.textContent = 'Put the cursor in a matrix and run “Layer Lens: Transposed Convolution”.';
      app.append(hint);
      return;
    }
    case 'pending': {
      const waiting = element('p', 'hint pending');
      waiting.setAttribute('role', 'status');
      waiting.append(span('codicon codicon-loading codicon-modifier-spin', ''), ' ', span('pending-text', snapshot.waitingFor));
      app.append(waiting);
      return;
    }
    case 'invalid': {
      const box = element('div', 'problems');
      box.setAttribute('role', 'alert');
      for (const problem of snapshot.problems) box.append(span('problem', problem));
      app.append(box);
      return;
    }
    case 'ready':
      showLayer(snapshot.layer);
      if (snapshot.sourceProblem) app.prepend(sourceProblem(snapshot.sourceProblem));
      return;
    default:
      assertNever(snapshot);
  }
}

/** The source was edited into something that is not a matrix: say so above the last good drawing. */
function sourceProblem(message: string): HTMLElement {
  const banner = element('div', 'source-problem');
  banner.setAttribute('role', 'status');
  banner.append(span('codicon codicon-warning', ''), ' ', span('source-problem-text', `${message} Showing the last version that could be read.`));
  return banner;
}

function showLayer(layer: TransposedConvolutionLayer): void {
  // A new layer opens on its result (the player at the end: Play starts from the first step); the
  // layer the saved state describes opens where the user left it.
  const same = uiState.layer !== undefined && sameLayer(uiState.layer, layer);
  const start = same ? uiState : { step: Number.MAX_SAFE_INTEGER, speed: uiState.speed };
  const model: LayerModel = buildLayerModel(layer);
  toolbar = new ExportToolbar(layer.links, { current: () => view?.current() }, (message) => vscode.postMessage(message));
  app.append(toolbar.element);
  view = new LayerView(app, model, start, {
    paramsChanged: (params) => vscode.postMessage({ type: 'paramsChanged', params }),
    stateChanged: (current, state) => saveState(current, state),
    editCell: (operand, plane, row, col, cell) => {
      const matrix = layer[operand];
      const writesTo = layer.links?.[operand];
      openCellEditor({
        label: `${operand}[${[...plane, row, col].join(', ')}]`,
        value: planeOf(matrix, plane)[row * matrix.cols + col] as number,
        cell,
        destination: writesTo ? `written back to ${writesTo}` : 'in the panel only: no literal to write back to',
        commit: (value) => {
          cell.textContent = formatCellValue(value);
          vscode.postMessage({ type: 'editCell', operand, ...(matrix.lead ? { plane: [...plane] } : {}), row, col, value });
        },
      });
    },
  });
}

function saveState(layer: TransposedConvolutionLayer, ui: Omit<PersistedPanelState, 'layer'>): void {
  const small = layer.input.data.length + layer.kernel.data.length <= MAX_PERSISTED_VALUES;
  uiState = {
    ...(small ? { layer: { ...layer, input: persistMatrix(layer.input), kernel: persistMatrix(layer.kernel) } } : {}),
    step: ui.step,
    speed: ui.speed,
    ...(ui.selectedCell ? { selectedCell: ui.selectedCell } : {}),
    ...(ui.channels ? { channels: ui.channels } : {}),
  };
  vscode.setState(uiState);
}

function sameLayer(saved: NonNullable<PersistedPanelState['layer']>, layer: TransposedConvolutionLayer): boolean {
  const same = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1];
  const sameLead = (a: readonly number[] | undefined, b: readonly number[] | undefined) => (a ?? []).join() === (b ?? []).join();
  const { params } = layer;
  return (
    saved.source === layer.source &&
    sameLead(saved.input.lead, layer.input.lead) &&
    sameLead(saved.kernel.lead, layer.kernel.lead) &&
    (saved.params.groups ?? 1) === (params.groups ?? 1) &&
    saved.input.rows === layer.input.rows &&
    saved.input.cols === layer.input.cols &&
    saved.kernel.rows === layer.kernel.rows &&
    saved.kernel.cols === layer.kernel.cols &&
    same(saved.params.stride, params.stride) &&
    same(saved.params.padding, params.padding) &&
    same(saved.params.outputPadding, params.outputPadding) &&
    same(saved.params.dilation, params.dilation)
  );
}
