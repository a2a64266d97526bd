import * as vscode from 'vscode';

/**
 * Typed access to `contributes.configuration` (package.json). Read at the moment of use, so a
 * changed setting applies to the next command without a reload.
 */
export interface LayerLensSettings {
  /** The stride offered first when a command asks for one. */
  readonly defaultStride: number;
  /** Outputs larger than this are refused with a message, not computed. */
  readonly maxOutputElements: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): LayerLensSettings {
  const config = vscode.workspace.getConfiguration('layerLens', scope);
  return {
    defaultStride: positiveInteger(config.get('defaultStride'), 2),
    // At most the engine's own limit (2^27 values, 1 GiB), whatever a settings file says.
    maxOutputElements: Math.min(positiveInteger(config.get('maxOutputElements'), 4_000_000), 134_217_728),
  };
}

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : fallback;
}
