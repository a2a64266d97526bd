/**
 * The inline editor of one input or kernel cell: a text field over the cell, prefilled with its
 * exact value. Enter commits, Escape (or leaving the field) cancels; text that is not a number
 * shows a message under the field and keeps it open. One editor at a time.
 */
import { formatExactValue } from '../shared/format';
import { element } from '../shared/grid';
import { parseCellText } from './cellText';

export interface CellEditRequest {
  /** `kernel[0, 1]`, for the field's label. */
  readonly label: string;
  readonly value: number;
  /** The cell the editor covers. */
  readonly cell: HTMLElement;
  /** Where the result goes, said under the field (`written back to model.py:5` or `in the panel only`). */
  readonly destination: string;
  readonly commit: (value: number) => void;
}

let open: { readonly close: () => void } | undefined;

/** Opens the editor on `request.cell`, closing any other. */
export function openCellEditor(request: CellEditRequest): void {
  open?.close();
  const box = element('div', 'cell-editor');
  const field = element('input', 'cell-editor-input');
  field.type = 'text';
  field.spellcheck = false;
  field.value = formatExactValue(request.value);
  field.setAttribute('aria-label', `New value of ${request.label}; Enter to apply (${request.destination}), Escape to cancel`);
  const message = element('div', 'cell-editor-message');
  message.id = `cell-editor-message-${Date.now()}`;
  message.setAttribute('role', 'alert');
  message.hidden = true;
  field.setAttribute('aria-describedby', message.id);
  const hint = element('div', 'cell-editor-hint');
  hint.textContent = `${request.label}: Enter applies (${request.destination}), Escape cancels`;
  box.append(field, message, hint);

  const rect = request.cell.getBoundingClientRect();
  box.style.setProperty('left', `${rect.left + window.scrollX}px`);
  box.style.setProperty('top', `${rect.top + window.scrollY}px`);
  document.body.append(box);

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    box.remove();
    if (open?.close === close) open = undefined;
    request.cell.focus();
  };
  field.addEventListener('keydown', (event) => {
    // The panel's own keys (the player's arrows, the grid's Enter) must not see the editor's.
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const read = parseCellText(field.value);
      if (!read.ok) {
        message.textContent = read.message;
        message.hidden = false;
        field.setAttribute('aria-invalid', 'true');
        return;
      }
      close();
      request.commit(read.value);
    }
  });
  field.addEventListener('input', () => {
    message.hidden = true;
    field.removeAttribute('aria-invalid');
  });
  field.addEventListener('blur', () => close());
  open = { close };
  field.focus();
  field.select();
}
