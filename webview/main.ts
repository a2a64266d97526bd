/**
 * The Layer Lens panel's front end. It draws whatever snapshot the host sends, after checking the
 * message against the shared protocol, and tells the host when it is ready and what it drew.
 */
import { assertNever, isToWebviewMessage, type FromWebviewMessage, type PanelSnapshot, type TransposedConvolutionView } from '../src/protocol/messages';
import { element, renderGrid, span } from './grid';

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isToWebviewMessage(event.data)) {
    console.warn('Layer Lens panel ignored an unexpected message', event.data);
    return;
  }
  show(event.data.snapshot);
});
vscode.postMessage({ type: 'ready' });

/** Replaces the panel's content with `snapshot`. */
function show(snapshot: PanelSnapshot): void {
  app.replaceChildren();
  app.dataset.state = snapshot.kind;
  switch (snapshot.kind) {
    case 'empty': {
      const hint = element('p', 'hint');
      hint.textContent = 'Put the cursor in a matrix and run “Layer Lens: Transposed Convolution”.';
      app.append(hint);
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
      showTransposedConvolution(snapshot.view);
      return;
    default:
      assertNever(snapshot);
  }
}

function showTransposedConvolution(view: TransposedConvolutionView): void {
  const header = element('header', 'panel-header');
  const title = element('h1', 'panel-title');
  title.textContent = 'Transposed convolution';
  header.append(title);
  if (view.source) header.append(span('source', view.source));
  const { stride, padding, outputPadding, dilation } = view.params;
  const params = element('div', 'params');
  params.setAttribute('aria-label', 'Parameters');
  for (const [name, pair] of [['stride', stride], ['padding', padding], ['output padding', outputPadding], ['dilation', dilation]] as const) {
    const chip = span('param', '');
    chip.dataset.param = name;
    chip.append(span('param-name', name), ' ', span('param-value', pair[0] === pair[1] ? String(pair[0]) : `${pair[0]} × ${pair[1]}`));
    params.append(chip);
  }
  header.append(params);

  const grids = element('div', 'grids');
  const input = renderGrid(view.input, { role: 'input', title: 'Input' });
  const kernel = renderGrid(view.kernel, { role: 'kernel', title: 'Kernel' });
  const output = renderGrid(view.output, { role: 'output', title: 'Output' });
  // Each operator stays with the grid it introduces, so a narrow panel wraps `= Output` as one piece.
  grids.append(input, withOperator('⊛ᵀ', 'transposed convolution with', kernel), withOperator('=', 'equals', output));

  const formulas = element('section', 'formulas');
  const heading = element('h2', 'matrix-title');
  heading.textContent = 'Output size';
  formulas.append(heading);
  for (const formula of view.formulas) {
    const line = element('code', 'formula');
    line.dataset.axis = formula.axis;
    line.textContent = formula.text;
    formulas.append(line);
  }

  app.append(header, grids, formulas);
}

function withOperator(symbol: string, label: string, grid: HTMLElement): HTMLElement {
  const group = element('div', 'term');
  const node = span('operator', symbol);
  node.setAttribute('aria-label', label);
  group.append(node, grid);
  return group;
}
