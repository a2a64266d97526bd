/**
 * Brings a section of a page into view and moves focus to it, so a screen reader reads it next
 * (Show Overlap Map). A section may not exist yet when asked for (a page builds the sections below
 * its player a frame or two after the layer is shown): then it is brought once it appears.
 */
export class SectionRevealer {
  private watch: MutationObserver | undefined;

  constructor(private readonly root: HTMLElement) {}

  /** Reveals the first element matching `selector`, now or once it exists. */
  reveal(selector: string): void {
    this.cancel();
    const find = () => this.root.querySelector<HTMLElement>(selector);
    const present = find();
    if (present) {
      bring(present);
      return;
    }
    const watch = new MutationObserver(() => {
      const target = find();
      if (!target) return;
      this.cancel();
      bring(target);
    });
    watch.observe(this.root, { childList: true, subtree: true });
    this.watch = watch;
  }

  /** Forgets a reveal still waiting: it belonged to what was shown before. */
  cancel(): void {
    this.watch?.disconnect();
    this.watch = undefined;
  }
}

function bring(target: HTMLElement): void {
  target.tabIndex = -1;
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}
