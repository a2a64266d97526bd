/** The built Layer Lens library, loaded at run time as a consumer would (scripts compile to out/scripts/). */
import { join } from 'node:path';
import type * as Core from '../../src/core/index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const core = require(join(__dirname, '../../../dist/core.js')) as typeof Core;
