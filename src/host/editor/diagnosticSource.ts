/** The `source` of every diagnostic Layer Lens reports, which its quick fixes look for. */
export const DIAGNOSTIC_SOURCE = 'Layer Lens';

/** The `code` of the diagnostic on a transposed convolution whose overlap is uneven (what the quick fixes answer). */
export const UNEVEN_OVERLAP_CODE = 'uneven-overlap';

/** The `code` of the diagnostic on an argument PyTorch refuses for its type (`stride=2.0`). */
export const ARGUMENT_TYPE_CODE = 'argument-type';
