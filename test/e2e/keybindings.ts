/**
 * Keybindings of the end-to-end workbench: a person's way to run a command with arguments (the
 * Command Palette passes none). Chords of ctrl+alt+shift and a digit, which nothing else binds.
 */

/** A chord as keybindings.json writes it and as Playwright presses it. */
interface Chord {
  readonly vscode: string;
  readonly playwright: string;
}

/** A 1-D transposed convolution: a sine-like sequence, kernel 3, stride 2 (the uneven 1-2-1 ticks). */
export const VOLUME_1D_KEY: Chord = { vscode: 'ctrl+alt+shift+1', playwright: 'Control+Alt+Shift+Digit1' };
/** A 3-D transposed convolution: a 2×2×2 volume, a 3×3×3 kernel, stride 2. */
export const VOLUME_3D_KEY: Chord = { vscode: 'ctrl+alt+shift+3', playwright: 'Control+Alt+Shift+Digit3' };

export const VOLUME_1D_ARGS = {
  op: 'convTranspose1d',
  input: [[[0, 0.59, 0.95, 0.95, 0.59, 0, -0.59, -0.95]]],
  weight: [[[1, 1, 1]]],
  options: { stride: 2 },
};

export const VOLUME_3D_ARGS = {
  op: 'convTranspose3d',
  input: { shape: [1, 1, 2, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] },
  weight: { shape: [1, 1, 3, 3, 3], data: new Array(27).fill(1) },
  options: { stride: 2 },
};

/** A grouped 1-D convolution: 4 input channels in 2 groups, one output channel each, kernel 3 (Inspect Layer). */
export const VOLUME_GROUPED_KEY: Chord = { vscode: 'ctrl+alt+shift+4', playwright: 'Control+Alt+Shift+Digit4' };

export const VOLUME_GROUPED_ARGS = {
  op: 'conv1d',
  input: { shape: [1, 4, 6], data: Array.from({ length: 24 }, (_, i) => (i * 7) % 10) },
  weight: { shape: [2, 2, 3], data: new Array(12).fill(1) },
  options: { groups: 2 },
};

/** The literal at the cursor through a 1-D convolution over both its rows (no "input": the editor's literal, read as [C, L]). */
export const VOLUME_LITERAL_KEY: Chord = { vscode: 'ctrl+alt+shift+5', playwright: 'Control+Alt+Shift+Digit5' };

export const VOLUME_LITERAL_ARGS = { op: 'conv1d', weight: { shape: [1, 2, 2], data: [1, 1, 1, 1] } };

export const E2E_KEYBINDINGS = [
  { key: VOLUME_1D_KEY.vscode, command: 'layerLens.transposedConvolution', args: VOLUME_1D_ARGS },
  { key: VOLUME_3D_KEY.vscode, command: 'layerLens.transposedConvolution', args: VOLUME_3D_ARGS },
  { key: VOLUME_GROUPED_KEY.vscode, command: 'layerLens.inspectLayer', args: VOLUME_GROUPED_ARGS },
  { key: VOLUME_LITERAL_KEY.vscode, command: 'layerLens.inspectLayer', args: VOLUME_LITERAL_ARGS },
];
