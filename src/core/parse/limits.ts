/**
 * Hard limits that keep hostile or accidental input (a 50 MB line, thousands of nested brackets)
 * from freezing the extension host. Every parser checks them and refuses with a `size` ParseError.
 */

/** Longest text `parseMatrix` reads, in UTF-16 code units (a 1000×1000 literal is about 6 MB). */
export const PARSE_MAX_TEXT_LENGTH = 32 * 1024 * 1024;

/** Most values a parsed tensor may hold. */
export const PARSE_MAX_ELEMENTS = 4_000_000;

/** Most dimensions a tensor literal may have: the engine works on 1-D to 4-D tensors. */
export const PARSE_MAX_RANK = 4;

/**
 * Deepest bracket nesting a parser follows, counting grouping parentheses as well as list levels.
 * Parsers keep explicit stacks (no recursion), so this is about clear messages, not the call stack.
 */
export const PARSE_MAX_NESTING = 32;

/** How far before the cursor `findMatrixAt` starts reading at first (grown when a literal is cut). */
export const FIND_LOOKBEHIND = 16 * 1024;

/** The most `findMatrixAt` ever reads before the cursor, and the longest literal it can return. */
export const FIND_MAX_LITERAL_LENGTH = 8 * 1024 * 1024;

/**
 * The most values `findMatrices` lists for one document, all literals together (64 MiB of float64).
 * Each literal has its own limit ({@link PARSE_MAX_ELEMENTS}), but 20 lines of R's `c(1:3999999)`
 * (260 characters) would otherwise give 80 million values; the literals after the budget is spent
 * are not listed.
 */
export const FIND_MAX_DOCUMENT_VALUES = 8_000_000;

/** `findMatrices` reads at most this much of a document; literals beyond it are not listed. */
export const FIND_MAX_DOCUMENT_LENGTH = PARSE_MAX_TEXT_LENGTH;
