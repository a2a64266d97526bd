/**
 * The step player's controls: jump to start, step back, play/pause, step forward, jump to end, a
 * scrubber, the step count and the speed. They only dispatch {@link PlayerAction}s and show a
 * {@link PlayerState}; the panel that owns them decides what a step draws. The page's keys and the
 * playback timer are here too, so every panel with a player behaves alike.
 */
import { element, span } from './grid';
import { actionForKey, SPEEDS, type PlayerAction, type PlayerState } from './player';

export class PlayerControls {
  readonly element: HTMLElement;
  private readonly play: HTMLButtonElement;
  private readonly scrubber: HTMLInputElement;
  private readonly label: HTMLElement;
  private readonly speed: HTMLSelectElement;

  constructor(stepCount: number, dispatch: (action: PlayerAction) => void) {
    const bar = element('div', 'player');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Step player');
    const button = (icon: string, label: string, action: PlayerAction, key: string): HTMLButtonElement => {
      const node = element('button', 'icon-button');
      node.type = 'button';
      node.dataset.action = action.type;
      node.title = `${label} (${key})`;
      node.setAttribute('aria-label', label);
      node.append(span(`codicon codicon-${icon}`, ''));
      node.addEventListener('click', () => dispatch(action));
      return node;
    };
    this.play = button('play', 'Play', { type: 'togglePlay' }, 'Space');
    bar.append(
      button('debug-reverse-continue', 'Jump to start', { type: 'start' }, 'Home'),
      button('chevron-left', 'Step back', { type: 'back' }, '←'),
      this.play,
      button('chevron-right', 'Step forward', { type: 'forward' }, '→'),
      button('debug-continue', 'Jump to end', { type: 'end' }, 'End'),
    );
    this.scrubber = element('input', 'scrubber');
    this.scrubber.type = 'range';
    this.scrubber.min = '0';
    this.scrubber.max = String(stepCount);
    this.scrubber.setAttribute('aria-label', 'Step');
    this.scrubber.addEventListener('input', () => dispatch({ type: 'seek', step: Number(this.scrubber.value) }));
    this.label = span('step-label', '');
    this.speed = element('select', 'speed');
    this.speed.setAttribute('aria-label', 'Playback speed, steps per second');
    this.speed.title = 'Steps per second';
    for (const speed of SPEEDS) {
      const option = element('option', '');
      option.value = String(speed);
      option.textContent = `${speed}/s`;
      this.speed.append(option);
    }
    this.speed.addEventListener('change', () => dispatch({ type: 'speed', speed: Number(this.speed.value) }));
    bar.append(this.scrubber, this.label, this.speed);
    this.element = bar;
  }

  show(player: PlayerState): void {
    const icon = this.play.firstElementChild as HTMLElement;
    icon.className = `codicon codicon-${player.playing ? 'debug-pause' : 'play'}`;
    this.play.setAttribute('aria-label', player.playing ? 'Pause' : 'Play');
    this.play.title = `${player.playing ? 'Pause' : 'Play'} (Space)`;
    this.play.setAttribute('aria-pressed', String(player.playing));
    this.scrubber.value = String(player.step);
    this.scrubber.setAttribute('aria-valuetext', `step ${player.step} of ${player.stepCount}`);
    this.label.textContent = `Step ${player.step} of ${player.stepCount}`;
    this.speed.value = String(player.speed);
  }
}

/**
 * The player action a key press on the page asks for, or `undefined`: not while typing in a field,
 * not with a modifier, and Space or Enter on a button presses that button (the arrows still step).
 */
export function playerActionForKey(event: KeyboardEvent): PlayerAction | undefined {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return undefined;
  const target = event.target as HTMLElement | null;
  if (target && (target.closest('input, select, textarea') || target.isContentEditable)) return undefined;
  if (target?.closest('button') && (event.key === ' ' || event.key === 'Enter')) return undefined;
  return actionForKey(event.key);
}

/** Ticks the player while it plays, at its speed: call {@link sync} after every change of state. */
export class PlayTimer {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly tick: () => void) {}

  /** Starts, re-times or stops the timer when playing or the speed changed from `before` to `after`. */
  sync(before: PlayerState, after: PlayerState): void {
    if (after.playing === before.playing && (!after.playing || after.speed === before.speed)) return;
    this.stop();
    if (after.playing) this.timer = setInterval(this.tick, 1000 / after.speed);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
