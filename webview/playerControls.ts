/**
 * The step player's controls: jump to start, step back, play/pause, step forward, jump to end, a
 * scrubber, the step count and the speed. They only dispatch {@link PlayerAction}s and show a
 * {@link PlayerState}; the panel that owns them decides what a step draws.
 */
import { element, span } from './grid';
import { SPEEDS, type PlayerAction, type PlayerState } from './player';

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
