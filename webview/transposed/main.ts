/**
 * The transposed-convolution panel's front end. It talks to the host through `connectPage` (every
 * message checked against the protocol), computes the layer with the extension's engine (so
 * parameter edits answer at once), and draws it: the step player over input, kernel and output, the
 * products behind any output cell, the overlap map and the output-size formulas. UI state (step,
 * speed, selected cell, and the layer when small) is kept (./keptState.ts), so the panel comes back
 * as it was after being hidden or after a restart.
 */
import { assertNever } from '../../src/core/protocol/common';
import {
  isPersistedTransposedState,
  isToTransposedMessage,
  type FromTransposedMessage,
  type PersistedTransposedState,
  type ToTransposedMessage,
  type TransposedConvolutionLayer,
  type TransposedSnapshot,
} from '../../src/core/protocol/transposed';
import { openCellEditor } from './cellEditor';
import { planeOf } from './channels';
import { ExportToolbar } from './exportMenu';
import { keptState, sameLayer } from './keptState';
import { connectPage } from '../shared/connectPage';
import { SectionRevealer } from '../shared/revealSection';
import { formatCellValue } from '../shared/format';
import { element, span } from '../shared/grid';
import { buildTransposedModel, type TransposedModel } from './transposedModel';
import { TransposedView } from './transposedView';
import { DEFAULT_SPEED } from '../shared/player';

const app = document.getElementById('app') as HTMLElement;
let view: TransposedView | undefined;
let toolbar: ExportToolbar | undefined;

const vscode = connectPage<ToTransposedMessage, FromTransposedMessage, PersistedTransposedState>('transposed-convolution panel', isToTransposedMessage, {
  show: (message) => show(message.snapshot),
  notice: (message) => toolbar?.notice(message.tone, message.text),
  reveal: (message) => revealer.reveal(`section.${message.section}`),
  selectCell: (message) => view?.selectCell(message.row, message.col),
});
const saved = vscode.kept();
let uiState: PersistedTransposedState = isPersistedTransposedState(saved) ? saved : { step: 0, speed: DEFAULT_SPEED };

/** Brings a section asked for into view (the sections below the player are built a frame or two after the layer is shown). */
const revealer = new SectionRevealer(app);

/** Replaces the panel's content with `snapshot`. */
function show(snapshot: TransposedSnapshot): void {
  // A reveal asked for before belongs to what was shown then.
  revealer.cancel();
  view?.dispose();
  view = undefined;
  toolbar = undefined;
  app.replaceChildren();
  app.dataset.state = snapshot.kind;
  switch (snapshot.kind) {
    case 'empty': {
      const hint = element('p', 'hint');
      hint.textContent = 'Put the cursor in a matrix and run “Layer Lens: Transposed Convolution (ConvTranspose2d)”.';
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
  const model: TransposedModel = buildTransposedModel(layer);
  toolbar = new ExportToolbar(layer.links, { current: () => view?.current() }, (message) => vscode.post(message));
  app.append(toolbar.element);
  view = new TransposedView(app, model, start, {
    paramsChanged: (params) => vscode.post({ type: 'paramsChanged', params }),
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
          vscode.post({ type: 'editCell', operand, ...(matrix.lead ? { plane: [...plane] } : {}), row, col, value });
        },
      });
    },
  });
}

function saveState(layer: TransposedConvolutionLayer, ui: Omit<PersistedTransposedState, 'layer'>): void {
  uiState = keptState(layer, ui);
  vscode.keep(uiState);
}
