/** The `source` of every diagnostic Layer Lens reports, which its quick fixes look for. */
export const DIAGNOSTIC_SOURCE = 'Layer Lens';
