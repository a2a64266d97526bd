/**
 * The line under a page's header that tells the outcome of what the user asked for (an applied
 * fix, a refused input). The last notice is kept when the page redraws: an edit written back
 * redraws the view as the document changes, and the notice must stay.
 */
import type { NoticeTone } from '../../src/core/protocol/common';
import { span } from './grid';

export class NoticeLine {
  private last: { readonly tone: NoticeTone; readonly text: string } | undefined;
  private line: HTMLElement | undefined;

  /** `className`: the page's class for the line; the tone is added to it (`error` is styled). */
  constructor(private readonly className: string) {}

  /** Shows a notice (in the current line, and in every line drawn after). */
  set(tone: NoticeTone, text: string): void {
    this.last = { tone, text };
    this.paint();
  }

  /** A new line for a redraw of the page, showing the last notice. */
  create(): HTMLElement {
    this.line = span(this.className, '');
    this.line.setAttribute('role', 'status');
    this.paint();
    return this.line;
  }

  private paint(): void {
    if (!this.line || !this.last) return;
    this.line.textContent = this.last.text;
    this.line.className = `${this.className} ${this.last.tone}`;
  }
}
