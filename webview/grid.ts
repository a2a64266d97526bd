/**
 * A labelled heatmap grid of one matrix. Small grids are DOM cells with the number written in
 * (readable, selectable, announced by screen readers); large ones are a canvas, with the value
 * under the pointer shown on hover, because thousands of DOM cells would make the panel sluggish.
 */
import type { MatrixView } from '../src/protocol/messages';
import { colorFor, cssColor, divergingScale, type DivergingScale } from './colorScale';
import { formatCellValue, formatExactValue } from './format';

/** Above this many cells a grid is drawn on a canvas. */
export const MAX_DOM_CELLS = 1024;
/** Cells narrower than this show their number on hover only. */
const MIN_CELL_FOR_TEXT = 30;
const MAX_CELL = 48;
const GRID_WIDTH_BUDGET = 420;

export interface GridOptions {
  /** Identifies the grid for styling and tests: `input`, `kernel`, `output`. */
  readonly role: string;
  readonly title: string;
}

export function renderGrid(matrix: MatrixView, options: GridOptions): HTMLElement {
  const section = element('section', 'matrix');
  section.dataset.grid = options.role;
  const heading = element('h2', 'matrix-title');
  heading.append(options.title, ' ', span('matrix-shape', `${matrix.rows} × ${matrix.cols}`));
  section.append(heading);

  const scale = divergingScale(matrix.data);
  const cellSize = Math.max(4, Math.min(MAX_CELL, Math.floor(GRID_WIDTH_BUDGET / Math.max(matrix.cols, 1))));
  const useDom = matrix.rows * matrix.cols <= MAX_DOM_CELLS;
  section.append(useDom ? domGrid(matrix, scale, cellSize, options) : canvasGrid(matrix, scale, cellSize, options));
  section.append(legend(scale));
  return section;
}

function domGrid(matrix: MatrixView, scale: DivergingScale, cellSize: number, options: GridOptions): HTMLElement {
  const grid = element('div', 'grid');
  grid.setAttribute('role', 'grid');
  grid.setAttribute('aria-label', `${options.title}, ${matrix.rows} rows by ${matrix.cols} columns`);
  grid.style.setProperty('--cols', String(matrix.cols));
  grid.style.setProperty('--cell', `${cellSize}px`);
  const showText = cellSize >= MIN_CELL_FOR_TEXT;

  const header = element('div', 'grid-row');
  header.setAttribute('role', 'row');
  header.append(element('div', 'grid-corner'));
  for (let c = 0; c < matrix.cols; c++) header.append(indexLabel(c, 'columnheader'));
  grid.append(header);

  for (let r = 0; r < matrix.rows; r++) {
    const row = element('div', 'grid-row');
    row.setAttribute('role', 'row');
    row.append(indexLabel(r, 'rowheader'));
    for (let c = 0; c < matrix.cols; c++) {
      const value = matrix.data[r * matrix.cols + c] as number;
      const cell = element('div', 'cell');
      cell.setAttribute('role', 'gridcell');
      cell.dataset.row = String(r);
      cell.dataset.col = String(c);
      cell.dataset.value = formatExactValue(value);
      cell.title = `[${r}, ${c}] = ${formatExactValue(value)}`;
      cell.setAttribute('aria-label', `row ${r}, column ${c}: ${formatExactValue(value)}`);
      const color = colorFor(value, scale);
      if (color) cell.style.setProperty('background-color', cssColor(color));
      else cell.classList.add('missing');
      if (showText) cell.textContent = formatCellValue(value);
      row.append(cell);
    }
    grid.append(row);
  }
  return grid;
}

function canvasGrid(matrix: MatrixView, scale: DivergingScale, cellSize: number, options: GridOptions): HTMLElement {
  const wrapper = element('div', 'canvas-grid');
  const canvas = document.createElement('canvas');
  canvas.width = matrix.cols;
  canvas.height = matrix.rows;
  canvas.style.setProperty('width', `${matrix.cols * cellSize}px`);
  canvas.style.setProperty('height', `${matrix.rows * cellSize}px`);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${options.title} heatmap, ${matrix.rows} rows by ${matrix.cols} columns`);
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(matrix.cols, matrix.rows);
    for (let i = 0; i < matrix.data.length; i++) {
      const color = colorFor(matrix.data[i] as number, scale);
      const [r, g, b, a] = color ?? [128, 128, 128, 0.5];
      image.data.set([r, g, b, Math.round(a * 255)], i * 4);
    }
    context.putImageData(image, 0, 0);
  }
  const readout = element('div', 'canvas-readout');
  readout.textContent = 'Hover a cell to read its value';
  canvas.addEventListener('mousemove', (event) => {
    const c = Math.min(matrix.cols - 1, Math.floor((event.offsetX / canvas.clientWidth) * matrix.cols));
    const r = Math.min(matrix.rows - 1, Math.floor((event.offsetY / canvas.clientHeight) * matrix.rows));
    readout.textContent = `[${r}, ${c}] = ${formatExactValue(matrix.data[r * matrix.cols + c] as number)}`;
  });
  wrapper.append(canvas, readout);
  return wrapper;
}

function legend(scale: DivergingScale): HTMLElement {
  const bar = element('div', 'legend');
  bar.setAttribute('aria-hidden', 'true');
  const ramp = element('div', 'legend-ramp');
  const max = scale.maxAbs;
  bar.append(span('legend-label', formatCellValue(-max)), ramp, span('legend-label', formatCellValue(max)));
  bar.title = `Colour scale: blue for negative, red for positive, transparent at 0; saturated at ±${formatExactValue(max)}`;
  return bar;
}

function indexLabel(index: number, role: 'rowheader' | 'columnheader'): HTMLElement {
  const label = element('div', 'grid-index');
  label.setAttribute('role', role);
  label.textContent = String(index);
  return label;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

export function span(className: string, text: string): HTMLSpanElement {
  const node = element('span', className);
  node.textContent = text;
  return node;
}
