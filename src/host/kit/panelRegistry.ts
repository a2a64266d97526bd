/**
 * The open panels of one kind: one per key (a source document, usually), and the one the user
 * looked at last, which the panel commands (Copy, Insert Result, …) act on.
 */
export class PanelRegistry<P> {
  private readonly open = new Map<string, P>();
  private last: P | undefined;

  get(key: string): P | undefined {
    return this.open.get(key);
  }

  has(key: string): boolean {
    return this.open.has(key);
  }

  get size(): number {
    return this.open.size;
  }

  /** The panel looked at last, if one is open. */
  get active(): P | undefined {
    return this.last;
  }

  add(key: string, panel: P): void {
    this.open.set(key, panel);
    this.last = panel;
  }

  /** The user focused `panel`. */
  focused(panel: P): void {
    this.last = panel;
  }

  /** Forgets `panel` (it closed); keys now held by another panel are left alone. */
  remove(key: string, panel: P): void {
    if (this.open.get(key) === panel) this.open.delete(key);
    if (this.last === panel) this.last = [...this.open.values()].at(-1);
  }

  /** A key for a restored panel that no document claims. */
  static restoredKey(): string {
    return `restored:${crypto.randomUUID()}`;
  }
}
