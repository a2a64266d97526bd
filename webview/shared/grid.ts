/**
 * A labelled heatmap grid of one matrix that can be updated in place: values change as the step
 * player moves, and cells are marked (the current input value, the output window, the cells just
 * changed, the selected cell, the stride tile). Small grids are DOM cells with the number written in
 * (readable, selectable, announced by screen readers, reachable with the arrow keys); large ones are
 * a canvas with the marks drawn over it and the value under the pointer shown on hover, because
 * thousands of DOM cells would make the panel sluggish.
 */
import { colorFor, cssColor, divergingScale, MAX_ALPHA, NEGATIVE_RGB, POSITIVE_RGB, type DivergingScale } from './colorScale';
import { formatCellValue, formatExactValue } from './format';
import { labelStep, measureLabels, type LabelMetrics } from './gridLabels';

/** Above this many cells a grid is drawn on a canvas. */
export const MAX_DOM_CELLS = 1024;
/** Cells narrower than this show their number on hover only. */
const MIN_CELL_FOR_TEXT = 30;
const MAX_CELL = 48;
const GRID_WIDTH_BUDGET = 420;

/** What a mark means; each is styled by the `mark-…` class of the same name. */
export type MarkKind = 'current' | 'window' | 'changed' | 'selected' | 'tile' | 'cropped' | 'added-edge';
/** The marks a grid draws: every {@link MarkKind}, and `pending`, a cell not computed yet (the layer panel's output ahead of the player; DOM grids only, where a cell shows its number). */
export type GridMarkKind = MarkKind | 'pending';

export interface GridOptions {
  /** Identifies the grid for styling and tests: `input`, `kernel`, `output`, `counts`, … */
  readonly role: string;
  readonly title: string;
  readonly rows: number;
  readonly cols: number;
  /** Called when the user picks a cell (click, or Enter on the focused cell); cells are then focusable. */
  readonly onPick?: (row: number, col: number) => void;
  /**
   * Called when the user asks to edit a cell (double-click, Enter or F2 on the focused cell); cells
   * are then focusable. `cell` is the cell's element, for the editor to sit on. DOM grids only.
   */
  readonly onEdit?: (row: number, col: number, cell: HTMLElement) => void;
  /** How a cell is described to screen readers; by default "row r, column c: value". */
  readonly describe?: (row: number, col: number, value: number) => string;
}

export class HeatmapGrid {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly legendLow: HTMLElement;
  private readonly legendHigh: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly surface: GridSurface;
  private readonly titleText: Text;
  private values: ArrayLike<number> = [];

  constructor(private readonly options: GridOptions) {
    const section = element('section', 'matrix');
    section.dataset.grid = options.role;
    const heading = element('h2', 'matrix-title');
    this.titleText = document.createTextNode(options.title);
    heading.append(this.titleText, ' ', span('matrix-shape', `${options.rows} × ${options.cols}`));
    this.caption = element('div', 'matrix-caption');
    const cellSize = Math.max(4, Math.min(MAX_CELL, Math.floor(GRID_WIDTH_BUDGET / Math.max(options.cols, 1))));
    this.surface = options.rows * options.cols <= MAX_DOM_CELLS ? new DomSurface(options, cellSize) : new CanvasSurface(options, cellSize);
    this.legend = element('div', 'legend');
    this.legend.setAttribute('aria-hidden', 'true');
    this.legendLow = span('legend-label', '');
    this.legendHigh = span('legend-label', '');
    this.legend.append(this.legendLow, element('div', 'legend-ramp'), this.legendHigh);
    section.append(heading, this.caption, this.surface.element, this.legend);
    this.element = section;
  }

  /** Shows `values` (row-major, rows × cols) coloured on `scale` (by default their own). */
  setValues(values: ArrayLike<number>, scale: DivergingScale = divergingScale(values)): void {
    this.values = values;
    this.surface.setValues(values, scale, this.describe);
    const max = scale.maxAbs;
    this.legendLow.textContent = formatCellValue(-max);
    this.legendHigh.textContent = formatCellValue(max);
    this.legend.title = `Colour scale: blue for negative, red for positive, transparent at 0; saturated at ±${formatExactValue(max)}`;
  }

  /** Marks exactly `cells` (flat row-major indices) with `kind`, replacing that kind's earlier marks. */
  mark(kind: GridMarkKind, cells: Iterable<number>): void {
    this.surface.mark(kind, cells);
  }

  /** Renames the grid (`Input x[0, 1]` as the player moves to another channel). */
  setTitle(text: string): void {
    this.titleText.data = text;
  }

  /** A line under the title: what the grid shows at this step. */
  setCaption(text: string): void {
    this.caption.textContent = text;
  }

  value(row: number, col: number): number {
    return this.values[row * this.options.cols + col] as number;
  }

  private readonly describe = (row: number, col: number, value: number): string =>
    this.options.describe ? this.options.describe(row, col, value) : `row ${row}, column ${col}: ${formatExactValue(value)}`;
}

interface GridSurface {
  readonly element: HTMLElement;
  setValues(values: ArrayLike<number>, scale: DivergingScale, describe: (row: number, col: number, value: number) => string): void;
  mark(kind: GridMarkKind, cells: Iterable<number>): void;
}

class DomSurface implements GridSurface {
  readonly element: HTMLElement;
  private readonly cells: HTMLElement[] = [];
  private readonly marked = new Map<GridMarkKind, number[]>();
  private readonly showText: boolean;
  private focused = 0;

  constructor(private readonly options: GridOptions, cellSize: number) {
    const grid = element('div', 'grid');
    grid.setAttribute('role', 'grid');
    grid.setAttribute('aria-label', `${options.title}, ${options.rows} rows by ${options.cols} columns`);
    grid.style.setProperty('--cols', String(options.cols));
    grid.style.setProperty('--cell', `${cellSize}px`);
    this.showText = cellSize >= MIN_CELL_FOR_TEXT;
    // Cells overlap by their 1 px border: labels are a cell less a pixel apart.
    const { digitWidth, lineHeight } = pageStyle().labels;
    const colStep = labelStep(options.cols, cellSize - 1, digitWidth * String(options.cols - 1).length);
    const rowStep = labelStep(options.rows, cellSize - 1, lineHeight);
    grid.dataset.labelSteps = `${rowStep},${colStep}`;
    const header = element('div', 'grid-row');
    header.setAttribute('role', 'row');
    header.append(element('div', 'grid-corner'));
    for (let c = 0; c < options.cols; c++) header.append(indexLabel(c, 'columnheader', c % colStep === 0));
    grid.append(header);
    for (let r = 0; r < options.rows; r++) {
      const row = element('div', 'grid-row');
      row.setAttribute('role', 'row');
      row.append(indexLabel(r, 'rowheader', r % rowStep === 0));
      for (let c = 0; c < options.cols; c++) {
        const cell = element('div', 'cell');
        cell.setAttribute('role', 'gridcell');
        cell.dataset.row = String(r);
        cell.dataset.col = String(c);
        if (options.onPick || options.onEdit) cell.tabIndex = r === 0 && c === 0 ? 0 : -1;
        row.append(cell);
        this.cells.push(cell);
      }
      grid.append(row);
    }
    if (options.onPick || options.onEdit) this.makeInteractive(grid, options.onPick, options.onEdit);
    this.element = grid;
  }

  /**
   * Click or Enter picks a cell; double-click, or Enter and F2 where cells are editable, edits it;
   * the arrow keys move between cells (a roving tab stop, as ARIA grids do).
   */
  private makeInteractive(grid: HTMLElement, onPick?: (row: number, col: number) => void, onEdit?: (row: number, col: number, cell: HTMLElement) => void): void {
    grid.classList.add(onPick ? 'pickable' : 'editable');
    const indexOf = (target: EventTarget | null): number => {
      const cell = (target as HTMLElement | null)?.closest?.('.cell') as HTMLElement | null;
      return cell ? this.cells.indexOf(cell) : -1;
    };
    const edit = (index: number): void => onEdit?.(Math.floor(index / this.options.cols), index % this.options.cols, this.cells[index] as HTMLElement);
    grid.addEventListener('click', (event) => {
      const index = indexOf(event.target);
      if (index < 0) return;
      this.focus(index);
      onPick?.(Math.floor(index / this.options.cols), index % this.options.cols);
    });
    if (onEdit) {
      grid.addEventListener('dblclick', (event) => {
        const index = indexOf(event.target);
        if (index >= 0) edit(index);
      });
    }
    grid.addEventListener('keydown', (event) => {
      const index = indexOf(event.target);
      if (index < 0) return;
      const { rows, cols } = this.options;
      const r = Math.floor(index / cols);
      const c = index % cols;
      let next = -1;
      if (event.key === 'ArrowRight') next = r * cols + Math.min(cols - 1, c + 1);
      else if (event.key === 'ArrowLeft') next = r * cols + Math.max(0, c - 1);
      else if (event.key === 'ArrowDown') next = Math.min(rows - 1, r + 1) * cols + c;
      else if (event.key === 'ArrowUp') next = Math.max(0, r - 1) * cols + c;
      else if (onEdit && (event.key === 'F2' || event.key === 'Enter')) {
        edit(index);
        event.preventDefault();
        event.stopPropagation();
        return;
      } else if (onPick && (event.key === 'Enter' || event.key === ' ')) {
        onPick(r, c);
        event.preventDefault();
        event.stopPropagation();
        return;
      } else return;
      // The arrows move within the grid here; elsewhere in the panel they step the player.
      event.preventDefault();
      event.stopPropagation();
      this.focus(next);
    });
  }

  private focus(index: number): void {
    const previous = this.cells[this.focused];
    if (previous) previous.tabIndex = -1;
    const cell = this.cells[index];
    if (!cell) return;
    cell.tabIndex = 0;
    cell.focus();
    this.focused = index;
  }

  setValues(values: ArrayLike<number>, scale: DivergingScale, describe: (row: number, col: number, value: number) => string): void {
    const cols = this.options.cols;
    for (let i = 0; i < this.cells.length; i++) {
      const cell = this.cells[i] as HTMLElement;
      const value = values[i] as number;
      const exact = formatExactValue(value);
      if (cell.dataset.value === exact) continue;
      cell.dataset.value = exact;
      const r = Math.floor(i / cols);
      const c = i % cols;
      cell.title = `[${r}, ${c}] = ${exact}`;
      cell.setAttribute('aria-label', describe(r, c, value));
      const color = colorFor(value, scale);
      cell.style.setProperty('background-color', color ? cssColor(color) : '');
      cell.classList.toggle('missing', !color);
      if (this.showText) cell.textContent = formatCellValue(value);
    }
  }

  mark(kind: GridMarkKind, cells: Iterable<number>): void {
    const className = `mark-${kind}`;
    for (const i of this.marked.get(kind) ?? []) this.cells[i]?.classList.remove(className);
    const now: number[] = [];
    for (const i of cells) {
      const cell = this.cells[i];
      if (!cell) continue;
      cell.classList.add(className);
      now.push(i);
    }
    this.marked.set(kind, now);
  }
}

/** Mark colours on a canvas, matching the DOM grid's CSS (theme colours are read from the page). */
const CANVAS_MARKS: readonly MarkKind[] = ['window', 'tile', 'changed', 'cropped', 'added-edge', 'current', 'selected'];

/**
 * What the grids read from the page's CSS (the marks' colours, the labels' font), read once and again
 * only when the theme or the fonts change: reading computed style or layout forces the browser to
 * recompute them, which cost milliseconds per mark at every step of the player.
 */
interface PageStyle {
  readonly markColours: ReadonlyMap<MarkKind, string>;
  readonly labels: LabelMetrics;
}
let pageStyleRead: PageStyle | undefined;
let watchingTheme = false;
function pageStyle(): PageStyle {
  if (!watchingTheme) {
    // VS Code changes the theme and the fonts by replacing the page's style variables and the body's theme class.
    const forget = new MutationObserver(() => (pageStyleRead = undefined));
    forget.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    forget.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    watchingTheme = true;
  }
  if (!pageStyleRead) {
    const style = getComputedStyle(document.documentElement);
    pageStyleRead = {
      markColours: new Map(CANVAS_MARKS.map((k) => [k, style.getPropertyValue(`--mark-${k}`).trim() || 'currentColor'])),
      labels: measureLabels(),
    };
  }
  return pageStyleRead;
}

function markColour(kind: MarkKind): string {
  return pageStyle().markColours.get(kind) as string;
}

class CanvasSurface implements GridSurface {
  readonly element: HTMLElement;
  private readonly image: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly marked = new Map<GridMarkKind, number[]>();
  private readonly readout: HTMLElement;
  private values: ArrayLike<number> = [];
  private drawPending = false;
  private image2d: ImageData | undefined;

  constructor(private readonly options: GridOptions, private readonly cellSize: number) {
    const { rows, cols } = options;
    const wrapper = element('div', 'canvas-grid');
    const stack = element('div', 'canvas-stack');
    this.image = document.createElement('canvas');
    this.image.width = cols;
    this.image.height = rows;
    this.overlay = document.createElement('canvas');
    this.overlay.className = 'canvas-overlay';
    this.overlay.width = cols * cellSize;
    this.overlay.height = rows * cellSize;
    for (const canvas of [this.image, this.overlay]) {
      canvas.style.setProperty('width', `${cols * cellSize}px`);
      canvas.style.setProperty('height', `${rows * cellSize}px`);
    }
    this.image.setAttribute('role', 'img');
    this.image.setAttribute('aria-label', `${options.title} heatmap, ${rows} rows by ${cols} columns`);
    this.overlay.setAttribute('aria-hidden', 'true');
    stack.append(this.image, this.overlay);
    this.readout = element('div', 'canvas-readout');
    this.readout.textContent = options.onPick ? 'Hover a cell to read its value; click to pick it' : 'Hover a cell to read its value';
    const cellAt = (event: MouseEvent): [number, number] => [
      Math.min(rows - 1, Math.max(0, Math.floor((event.offsetY / this.overlay.clientHeight) * rows))),
      Math.min(cols - 1, Math.max(0, Math.floor((event.offsetX / this.overlay.clientWidth) * cols))),
    ];
    this.overlay.addEventListener('mousemove', (event) => {
      const [r, c] = cellAt(event);
      this.readout.textContent = `[${r}, ${c}] = ${formatExactValue(this.values[r * cols + c] as number)}`;
    });
    const onPick = options.onPick;
    if (onPick) {
      this.overlay.classList.add('pickable');
      this.overlay.addEventListener('click', (event) => onPick(...cellAt(event)));
    }
    wrapper.append(stack, this.readout);
    this.element = wrapper;
  }

  setValues(values: ArrayLike<number>, scale: DivergingScale): void {
    this.values = values;
    const context = this.image.getContext('2d');
    if (!context) return;
    // One image reused for every frame of the player; pixels written without a colour object each.
    const image = (this.image2d ??= context.createImageData(this.options.cols, this.options.rows));
    writePixels(image.data, values, scale);
    context.putImageData(image, 0, 0);
  }

  mark(kind: GridMarkKind, cells: Iterable<number>): void {
    this.marked.set(kind, [...cells]);
    // Several kinds change together at each step: draw them once, before the frame is painted.
    if (this.drawPending) return;
    this.drawPending = true;
    queueMicrotask(() => {
      this.drawPending = false;
      this.drawMarks();
    });
  }

  private drawMarks(): void {
    const context = this.overlay.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, this.overlay.width, this.overlay.height);
    const size = this.cellSize;
    const cols = this.options.cols;
    for (const kind of CANVAS_MARKS) {
      const cells = this.marked.get(kind);
      if (!cells || cells.length === 0) continue;
      context.strokeStyle = markColour(kind);
      context.lineWidth = kind === 'current' || kind === 'selected' ? 2 : 1;
      for (const i of cells) {
        const x = (i % cols) * size;
        const y = Math.floor(i / cols) * size;
        context.strokeRect(x + 0.5, y + 0.5, Math.max(1, size - 1), Math.max(1, size - 1));
      }
    }
  }
}

/** The heatmap's pixels: `colorFor` of each value, as RGBA bytes (NaN grey and half transparent). */
function writePixels(pixels: Uint8ClampedArray, values: ArrayLike<number>, scale: DivergingScale): void {
  const [pr, pg, pb] = POSITIVE_RGB;
  const [nr, ng, nb] = NEGATIVE_RGB;
  const alphaPerUnit = scale.maxAbs === 0 ? 0 : (MAX_ALPHA * 255) / scale.maxAbs;
  for (let i = 0, k = 0; i < values.length; i++, k += 4) {
    const v = values[i] as number;
    if (v !== v) {
      pixels[k] = 128;
      pixels[k + 1] = 128;
      pixels[k + 2] = 128;
      pixels[k + 3] = 128;
      continue;
    }
    const negative = v < 0;
    pixels[k] = negative ? nr : pr;
    pixels[k + 1] = negative ? ng : pg;
    pixels[k + 2] = negative ? nb : pb;
    const magnitude = negative ? -v : v;
    pixels[k + 3] = magnitude === Infinity ? MAX_ALPHA * 255 : Math.min(MAX_ALPHA * 255, magnitude * alphaPerUnit);
  }
}

/** A row's or column's index; written out where it is `shown`, and named to screen readers everywhere. */
function indexLabel(index: number, role: 'rowheader' | 'columnheader', shown: boolean): HTMLElement {
  const label = element('div', 'grid-index');
  label.setAttribute('role', role);
  if (shown) label.textContent = String(index);
  else label.setAttribute('aria-label', String(index));
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

/** A grid preceded by the operator that introduces it (`⊛ᵀ`, `=`), kept together when the panel wraps. */
export function withOperator(symbol: string, label: string, grid: HTMLElement): HTMLElement {
  const group = element('div', 'term');
  const node = span('operator', symbol);
  node.setAttribute('aria-label', label);
  group.append(node, grid);
  return group;
}
