/** The `source` of every diagnostic Layer Lens reports, which its quick fixes look for. */
export const DIAGNOSTIC_SOURCE = 'Layer Lens';

// The rule codes live with the diagnostics themselves, in the core (shared with the command line).
export { ARGUMENT_TYPE_CODE, UNEVEN_OVERLAP_CODE } from '../../core/insight/documentDiagnostics';
