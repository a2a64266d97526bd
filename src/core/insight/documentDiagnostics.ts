/**
 * The diagnostics Layer Lens reports on a document, from its summary (documentSummary.ts): an
 * uneven overlap at a transposed convolution's name, an argument PyTorch refuses for its type, and
 * the element where a stack breaks, and the operation where a model's forward() breaks for the
 * configured input. One source for the editor (host/editor/overlapDiagnostics.ts,
 * which only turns offsets into ranges) and the command line's `check` (src/cli/check.ts), so both
 * say the same thing with the same rule name.
 */
import type { DocumentSummary } from './documentSummary';

/** The `code` of the diagnostic on a transposed convolution whose overlap is uneven (what the quick fixes answer). */
export const UNEVEN_OVERLAP_CODE = 'uneven-overlap';

/** The `code` of the diagnostic where a model's forward() breaks for the configured input (modelShape.ts). */
export const MODEL_SHAPE_CODE = 'model-shape';

/** The `code` of the diagnostic on an argument PyTorch refuses for its type (`stride=2.0`). */
export const ARGUMENT_TYPE_CODE = 'argument-type';

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

export interface LayerDiagnostic {
  readonly start: number;
  readonly end: number;
  readonly severity: SeverityName;
  readonly message: string;
  /** `uneven-overlap`, `argument-type`, `stack-channel-mismatch`, … */
  readonly rule: string;
  /** Another place the message refers to (the element before a stack's break). */
  readonly related?: { readonly start: number; readonly end: number; readonly message: string };
}

export interface DiagnosticSettings {
  /** `layerLens.diagnostics.enabled`: overlap and argument-type diagnostics. */
  readonly overlap: boolean;
  /** `layerLens.diagnostics.severity`: how the uneven overlap is reported. */
  readonly overlapSeverity: SeverityName;
  /** `layerLens.stacks.diagnostics`. */
  readonly stacks: boolean;
}

export const DEFAULT_DIAGNOSTIC_SETTINGS: DiagnosticSettings = { overlap: true, overlapSeverity: 'information', stacks: true };

export function documentDiagnostics(summary: DocumentSummary, settings: DiagnosticSettings = DEFAULT_DIAGNOSTIC_SETTINGS): LayerDiagnostic[] {
  const overlap = settings.overlap ? summary.layers.filter((layer) => !layer.overlap.even).map((layer) => overlapDiagnostic(layer, settings.overlapSeverity)) : [];
  const types = settings.overlap
    ? summary.argumentProblems.map((problem): LayerDiagnostic => ({ start: problem.start, end: problem.end, severity: 'error', message: problem.message, rule: ARGUMENT_TYPE_CODE }))
    : [];
  const stacks = settings.stacks
    ? summary.stackProblems.map((problem): LayerDiagnostic => ({
        start: problem.start,
        end: problem.end,
        severity: 'error',
        message: problem.message,
        rule: problem.code,
        ...(problem.before ? { related: { ...problem.before, message: 'the element before it' } } : {}),
      }))
    : [];
  // Present only when an input shape was given (the models setting): reported as PyTorch's error it is.
  const models = (summary.modelProblems ?? []).map(({ start, end, message }): LayerDiagnostic => ({ start, end, message, severity: 'error', rule: MODEL_SHAPE_CODE }));
  return [...overlap, ...types, ...stacks, ...models];
}

function overlapDiagnostic(layer: DocumentSummary['layers'][number], severity: SeverityName): LayerDiagnostic {
  const { label, reason } = layer.overlap;
  const message =
    `Overlap ${label}: ${reason.replace(/^(uneven|gaps): /, '')}. Output cells receive different numbers of products, so even a constant input comes out ` +
    'with a checkerboard pattern. A kernel size divisible by the stride, or upsampling followed by a convolution, avoids it.';
  // The layer's name: short, and where the eye looks for it.
  return { start: layer.start, end: layer.open, severity, message, rule: UNEVEN_OVERLAP_CODE };
}
