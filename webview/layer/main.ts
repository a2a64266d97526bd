/**
 * The layer panel's page: convolution, pooling, upsampling and pixel shuffle stepped through one
 * output cell at a time. It computes and traces the layer itself with the engine (the same code the
 * extension host runs), so an edited parameter answers at once; the host only hands it the layer,
 * copies matrices and keeps the edited layer. Every message is checked against the shared protocol
 * (webview/shared/connectPage.ts).
 */
import { asSentence, gatherLayerShape, GATHER_LAYER_NAMES, LayerError, traceGatherLayer, type GatherLayerCall, type GatherLayerTrace, type OutputShape } from '../../src/core/engine/index';
import { assertNever, MAX_PERSISTED_VALUES } from '../../src/core/protocol/common';
import { isPersistedLayerState, isToLayerMessage, persistLayerState, type FromLayerMessage, type LayerMatrixRole, type LayerSnapshot, type PersistedLayerState, type ToLayerMessage } from '../../src/core/protocol/layer';
import { connectPage } from '../shared/connectPage';
import { problemList } from '../shared/problemList';
import { element, span } from '../shared/grid';
import { initialPlayer, playerReducer, type PlayerAction, type PlayerState } from '../shared/player';
import { playerActionForKey, PlayTimer } from '../shared/playerControls';
import { fieldsOf, type Field } from './fields';
import { layerSteps } from './layerSteps';
import type { GatherSteps } from '../shared/gatherSteps';

const vscode = connectPage<ToLayerMessage, FromLayerMessage, PersistedLayerState>('layer panel', isToLayerMessage, {
  show: (message) => show(message.snapshot),
  notice: (message) => showNotice(message.tone, message.text),
});
const app = document.getElementById('app') as HTMLElement;
/** The step the page was at before a reload, used once when the same layer comes back. */
let savedStep: { readonly op: string; readonly inputLength: number; readonly step: number } | undefined = (() => {
  const state = vscode.kept();
  return isPersistedLayerState(state) ? { op: state.op, inputLength: state.input.values.length, step: state.step } : undefined;
})();

interface Shown {
  readonly call: GatherLayerCall;
  readonly source: string | undefined;
  readonly trace: GatherLayerTrace;
  readonly shape: OutputShape;
}

let shown: Shown | undefined;
let player: PlayerState = initialPlayer(0);
let steps: GatherSteps | undefined;
const timer = new PlayTimer(() => dispatch({ type: 'tick' }));
let saveTimer: ReturnType<typeof setTimeout> | undefined;
let notice: HTMLElement | undefined;
let formError: HTMLElement | undefined;
let formulas: HTMLElement | undefined;
let shapeLine: HTMLElement | undefined;
let stepsHost: HTMLElement | undefined;
let fieldKeys = '';
let form: HTMLElement | undefined;

document.addEventListener('keydown', (event) => {
  const action = playerActionForKey(event);
  if (!action || !shown) return;
  event.preventDefault();
  dispatch(action);
});

function show(snapshot: LayerSnapshot): void {
  timer.stop();
  shown = undefined;
  steps = undefined;
  app.replaceChildren();
  switch (snapshot.kind) {
    case 'empty':
      app.append(element('p', 'hint'));
      (app.lastChild as HTMLElement).textContent = 'Run “Layer Lens: Convolve (Conv2d)”, “Pool”, “Upsample” or “Pixel Shuffle” on a matrix to step through it here.';
      vscode.keep(undefined);
      return;
    case 'invalid':
      app.append(problemList(snapshot.problems));
      vscode.keep(undefined);
      return;
    case 'working': {
      // The layer is being computed in the extension's worker: say so, busy, until it comes (never a blank panel).
      const working = element('div', 'working');
      working.setAttribute('role', 'status');
      working.setAttribute('aria-busy', 'true');
      const bar = element('div', 'working-bar');
      bar.setAttribute('aria-hidden', 'true');
      // VS Code's spinning codicon before the sentence, as its own views show work in progress.
      const icon = span('codicon codicon-loading codicon-modifier-spin', '');
      icon.setAttribute('aria-hidden', 'true');
      const line = element('p', 'working-line');
      line.append(icon, span('working-text', snapshot.text));
      working.append(line, bar);
      app.append(working);
      return;
    }
    case 'ready':
      draw(snapshot.call, snapshot.source);
      return;
    default:
      assertNever(snapshot);
  }
}

/** Draws a layer the host sent: the whole page. */
function draw(call: GatherLayerCall, source: string | undefined): void {
  const computed = compute(call);
  if (typeof computed === 'string') {
    app.append(problemList([computed]));
    return;
  }
  const header = element('header', 'panel-header');
  const title = element('h1', 'panel-title');
  title.textContent = GATHER_LAYER_NAMES[call.op];
  shapeLine = span('layer-shapes', '');
  header.append(title, shapeLine);
  if (source !== undefined) header.append(span('source', source));

  form = element('form', 'params');
  form.setAttribute('aria-label', 'Parameters');
  form.addEventListener('submit', (event) => event.preventDefault());
  formError = element('p', 'form-error');
  formError.setAttribute('role', 'alert');
  formError.hidden = true;
  formulas = element('div', 'formulas');
  const toolbar = toolbarFor(call);
  stepsHost = element('div', 'steps-host');
  app.append(header, form, formError, formulas, toolbar, stepsHost);

  fieldKeys = '';
  const restored = savedStep && savedStep.op === call.op && savedStep.inputLength === call.input.data.length ? savedStep.step : computed.trace.stepCount;
  savedStep = undefined;
  adopt({ ...computed, source }, restored);
}

function compute(call: GatherLayerCall): { readonly call: GatherLayerCall; readonly trace: GatherLayerTrace; readonly shape: OutputShape } | string {
  try {
    return { call, shape: gatherLayerShape(call), trace: traceGatherLayer(call) };
  } catch (error) {
    if (error instanceof LayerError) return asSentence(error.message);
    throw error;
  }
}

/** Makes `next` the layer shown: fields, formulas and the step player (at `step`). */
function adopt(next: Shown, step: number): void {
  timer.stop();
  shown = next;
  const fields = fieldsOf(next.call);
  const keys = fields.map((f) => f.key).join(',');
  if (keys !== fieldKeys && form) {
    fieldKeys = keys;
    form.replaceChildren(...fields.map(fieldElement));
  }
  if (shapeLine) shapeLine.textContent = `${next.call.input.shape.join('×')} → ${next.shape.shape.join('×')}`;
  if (formulas) {
    formulas.replaceChildren(
      ...next.shape.axes.map((axis) => {
        const line = element('div', 'formula');
        line.textContent = `${axis.name} = ${axis.symbolic} = ${axis.substituted} = ${axis.value}${axis.note ? ` (${axis.note})` : ''}`;
        return line;
      }),
    );
  }
  player = initialPlayer(next.trace.stepCount, step, player.speed);
  steps = layerSteps(next.call, next.trace, dispatch);
  stepsHost?.replaceChildren(steps.element);
  steps.show(player);
  scheduleSave();
}

/** One parameter field; an edit is checked by the field, then by the engine on the whole layer. */
function fieldElement(field: Field): HTMLElement {
  const label = element('label', 'param');
  label.title = field.title;
  label.append(span('param-name', field.label));
  const apply = (result: ReturnType<Field['edit']>, control: HTMLElement) => {
    if (!result.ok) return invalid(control, result.message);
    const computed = compute(result.call);
    if (typeof computed === 'string') return invalid(control, computed);
    control.removeAttribute('aria-invalid');
    if (formError) formError.hidden = true;
    vscode.post({ type: 'paramsChanged', call: result.call });
    adopt({ ...computed, source: shown?.source }, Number.MAX_SAFE_INTEGER);
  };
  if (field.kind === 'text') {
    const input = element('input', 'param-input');
    input.type = 'text';
    input.value = field.value;
    input.name = field.key;
    input.spellcheck = false;
    if (field.placeholder) input.placeholder = field.placeholder;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const commit = () => {
      clearTimeout(pending);
      // The field list is rebuilt per layer: read the edit against the layer shown now.
      const current = shown && fieldsOf(shown.call).find((f) => f.key === field.key);
      if (current?.kind === 'text') apply(current.edit(input.value), input);
    };
    input.addEventListener('input', () => {
      clearTimeout(pending);
      pending = setTimeout(commit, 300);
    });
    input.addEventListener('change', commit);
    label.append(input);
  } else if (field.kind === 'check') {
    const input = element('input', 'param-check');
    input.type = 'checkbox';
    input.name = field.key;
    input.checked = field.checked;
    input.addEventListener('change', () => {
      const current = shown && fieldsOf(shown.call).find((f) => f.key === field.key);
      if (current?.kind === 'check') apply(current.edit(input.checked), input);
    });
    label.prepend(input);
  } else {
    const select = element('select', 'speed param-select');
    select.name = field.key;
    for (const choice of field.choices) select.append(Object.assign(element('option', ''), { value: choice, textContent: choice }));
    select.value = field.value;
    select.addEventListener('change', () => {
      const current = shown && fieldsOf(shown.call).find((f) => f.key === field.key);
      if (current?.kind === 'choice') apply(current.edit(select.value), select);
    });
    label.append(select);
  }
  return label;
}

function invalid(control: HTMLElement, message: string): void {
  control.setAttribute('aria-invalid', 'true');
  if (!formError) return;
  formError.textContent = message;
  formError.hidden = false;
}

function toolbarFor(call: GatherLayerCall): HTMLElement {
  const bar = element('div', 'layer-toolbar');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Layer actions');
  const roles: LayerMatrixRole[] = call.op === 'conv2d' ? ['output', 'input', 'weight'] : ['output', 'input'];
  for (const role of roles) {
    const button = element('button', 'text-button');
    button.type = 'button';
    button.dataset.copy = role;
    button.title = `Copy the ${role === 'weight' ? 'kernel' : role} in a notation of your choice`;
    button.append(span('codicon codicon-copy', ''), ` Copy ${role === 'weight' ? 'kernel' : role}…`);
    button.addEventListener('click', () => vscode.post({ type: 'copy', matrix: role }));
    bar.append(button);
  }
  notice = span('notice', '');
  notice.setAttribute('role', 'status');
  bar.append(notice);
  return bar;
}

function showNotice(tone: 'info' | 'error', text: string): void {
  if (!notice) return;
  notice.textContent = text;
  notice.className = `notice ${tone}`;
}

function dispatch(action: PlayerAction): void {
  if (!shown || !steps) return;
  const before = player;
  player = playerReducer(before, action);
  timer.sync(before, player);
  if (player !== before) steps.show(player);
  if (!player.playing) scheduleSave();
}

/** Keeps the layer and the step for VS Code to hand back after a reload (small layers only: the state is JSON). */
function scheduleSave(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    if (!shown) return;
    const { call } = shown;
    const values = call.input.data.length + (call.op === 'conv2d' ? call.weight.data.length : 0);
    vscode.keep(values <= MAX_PERSISTED_VALUES ? persistLayerState(call, shown.source, player.step) : undefined);
  }, 200);
}
