/**
 * Whether the text of a `.m` file is MATLAB. VS Code opens `.m` files as Objective-C unless a
 * MATLAB extension claims them, so Layer Lens reads an `objective-c` document as MATLAB when this
 * says so. A cheap look at the start of the file, line by line, never a parse:
 *
 * - Objective-C gives itself away at once: a preprocessor line (`#import`, `#include`, `#define`,
 *   `#pragma`, `#if…`) or a compiler directive (`@interface`, `@implementation`, `@protocol`,
 *   `@end`, `@property`, `@class`, `@synthesize`). Any of them: not MATLAB.
 * - MATLAB needs one sign of its own: a `%` comment line, a `function` line, an `end` line, or an
 *   assignment of a bracketed literal (`A = [1 2; 3 4]`, which Objective-C would write `@[…]`).
 *
 * Neither: not MATLAB (an empty `.m` file, or one that is only C statements).
 */

/** How much of the file is looked at: the markers sit at the top of either language's files. */
export const MATLAB_SNIFF_CHARACTERS = 65_536;

const OBJECTIVE_C = /^[ \t]*(?:#[ \t]*(?:import|include|define|pragma|if|ifdef|ifndef)\b|@(?:interface|implementation|protocol|end|property|class|synthesize)\b)/m;
const MATLAB = /^[ \t]*(?:%|function\b|end[ \t]*[;,]?[ \t]*(?:%.*)?$|[A-Za-z]\w*(?:\([^)\n]*\))?[ \t]*=[ \t]*\[)/m;

export function isMatlabSource(text: string): boolean {
  const head = text.length > MATLAB_SNIFF_CHARACTERS ? text.slice(0, MATLAB_SNIFF_CHARACTERS) : text;
  return !OBJECTIVE_C.test(head) && MATLAB.test(head);
}
