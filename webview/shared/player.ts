/**
 * The step player's state, as pure data and a reducer: which step is shown, whether it plays and how
 * fast. The panel's controls, keys and timer all go through {@link playerReducer}, so its behaviour
 * is tested without a browser.
 *
 * `step` counts the steps applied: 0 shows the empty output (or the bias), `stepCount` the result.
 */
export interface PlayerState {
  readonly stepCount: number;
  readonly step: number;
  readonly playing: boolean;
  /** Steps per second while playing. */
  readonly speed: number;
}

export type PlayerAction =
  | { readonly type: 'forward' }
  | { readonly type: 'back' }
  | { readonly type: 'start' }
  | { readonly type: 'end' }
  | { readonly type: 'seek'; readonly step: number }
  | { readonly type: 'togglePlay' }
  | { readonly type: 'pause' }
  /** The playback timer fired: advance, stopping at the end. */
  | { readonly type: 'tick' }
  | { readonly type: 'speed'; readonly speed: number }
  /** The layer changed: keep the position where it still exists. */
  | { readonly type: 'reset'; readonly stepCount: number };

/** The speeds offered, steps per second. */
export const SPEEDS: readonly number[] = [0.5, 1, 2, 4, 8, 16, 60];
export const DEFAULT_SPEED = 2;

export function initialPlayer(stepCount: number, step = 0, speed = DEFAULT_SPEED): PlayerState {
  return { stepCount, step: clampStep(step, stepCount), playing: false, speed: SPEEDS.includes(speed) ? speed : DEFAULT_SPEED };
}

function clampStep(step: number, stepCount: number): number {
  return Number.isFinite(step) ? Math.max(0, Math.min(stepCount, Math.round(step))) : 0;
}

export function playerReducer(state: PlayerState, action: PlayerAction): PlayerState {
  switch (action.type) {
    case 'forward':
      return { ...state, playing: false, step: Math.min(state.stepCount, state.step + 1) };
    case 'back':
      return { ...state, playing: false, step: Math.max(0, state.step - 1) };
    case 'start':
      return { ...state, playing: false, step: 0 };
    case 'end':
      return { ...state, playing: false, step: state.stepCount };
    case 'seek':
      return { ...state, step: clampStep(action.step, state.stepCount) };
    case 'togglePlay':
      if (state.playing) return { ...state, playing: false };
      // Play from the start again when at the end, as media players do.
      return { ...state, playing: state.stepCount > 0, step: state.step >= state.stepCount ? 0 : state.step };
    case 'pause':
      return state.playing ? { ...state, playing: false } : state;
    case 'tick': {
      if (!state.playing) return state;
      const step = Math.min(state.stepCount, state.step + 1);
      return { ...state, step, playing: step < state.stepCount };
    }
    case 'speed':
      return SPEEDS.includes(action.speed) ? { ...state, speed: action.speed } : state;
    case 'reset':
      return { ...state, stepCount: action.stepCount, step: clampStep(state.step, action.stepCount), playing: false };
  }
}

/** The action a key press asks for, when the focus is not in a text field; `undefined` for other keys. */
export function actionForKey(key: string): PlayerAction | undefined {
  switch (key) {
    case 'ArrowRight':
      return { type: 'forward' };
    case 'ArrowLeft':
      return { type: 'back' };
    case 'Home':
      return { type: 'start' };
    case 'End':
      return { type: 'end' };
    case ' ':
      return { type: 'togglePlay' };
    default:
      return undefined;
  }
}
