/**
 * `layer-lens shapes` and `layer-lens audit`: the `inspect_model` and `audit_checkpoint` tools on
 * files on disk, printed as their text (the table an agent reads too) or as their structured
 * result (`--json`). Exit codes as `check` has them: 0 nothing wrong, 1 the model raises for
 * this input (shapes) or an uneven layer with `--fail-on uneven` (audit), 2 a usage error or a
 * file that cannot be read (named in the message).
 */
import { toolNamed, type ToolResult } from '../core/tools/index';
import type { InspectModelData } from '../core/tools/inspectModel';
import type { AuditCheckpointData } from '../core/tools/auditCheckpoint';
import { nodeFiles } from './nodeFiles';

export const EXIT = { clean: 0, errors: 1, usage: 2 } as const;

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** A command line that cannot be run as written: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/** A file named on the command line that cannot be read, or that a tool refuses: printed as is, exit code 2. */
export class CommandFailure extends Error {}

/** Splits `args` into the positional arguments and the values of `flags` (`--class X`, `--class=X`); `switches` take no value. */
export function parseOptions(args: readonly string[], flags: readonly string[], switches: readonly string[]): { positional: string[]; values: Map<string, string> } {
  const positional: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (switches.includes(flag)) values.set(flag, '');
    else if (flags.includes(flag)) {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      values.set(flag, next);
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  return { positional, values };
}

function onePath(positional: readonly string[], what: string, command: string): string {
  if (positional.length !== 1) throw new UsageError(`${command} takes one ${what}${positional.length > 1 ? `, not ${positional.length} (${positional.join(', ')})` : ''}`);
  return positional[0] as string;
}

async function runTool<Data>(name: string, input: object): Promise<{ text: string; data: Data }> {
  const result: ToolResult<unknown> = await (toolNamed(name) as NonNullable<ReturnType<typeof toolNamed>>).call(input, nodeFiles);
  if (result.kind !== 'ok') throw new CommandFailure(result.text.replace(/^Invalid input to \w+: /, ''));
  return { text: result.text, data: result.data as Data };
}

/** `--args '{"ngf": 32}'` (keywords) or `--args '[3, 2]'` (positional): the tool checks the values. */
function constructorArgs(text: string | undefined): { args?: unknown; positionalArgs?: unknown } {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--args must be JSON: an object of keyword arguments like {"ngf": 32} or a list of positional ones like [3, 2], not ${text}`);
  }
  if (Array.isArray(parsed)) return { positionalArgs: parsed };
  if (typeof parsed === 'object' && parsed !== null) return { args: parsed };
  throw new UsageError(`--args must be a JSON object ({"ngf": 32}) or list ([3, 2]), not ${text}`);
}

/** `shapes <file> --class <Name> [--args {"ngf": 32}] [--input 1,3,256,256] [--json]`. */
export async function shapes(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, values } = parseOptions(args, ['--class', '--input', '--args'], ['--json']);
  const path = onePath(positional, 'model file', 'shapes');
  const className = values.get('--class');
  if (className === undefined) throw new UsageError('shapes needs --class <Name>, the nn.Module class to follow');
  const given = values.get('--input');
  let inputShape: number[] | undefined;
  if (given !== undefined) {
    if (!/^\d+(,\d+)*$/.test(given.replace(/\s+/g, ''))) throw new UsageError(`--input must be whole numbers separated by commas (e.g. 1,3,256,256), not "${given}"`);
    inputShape = given.replace(/\s+/g, '').split(',').map(Number);
  }
  const { text, data } = await runTool<InspectModelData>('inspect_model', { path, className, ...constructorArgs(values.get('--args')), ...(inputShape ? { inputShape } : {}) });
  if (values.has('--json')) io.out(JSON.stringify(data, null, 2));
  else io.out(text);
  return data.error ? EXIT.errors : EXIT.clean;
}

/** `audit <checkpoint> [--source model.py] [--stride N] [--json] [--fail-on uneven]`. */
export async function audit(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, values } = parseOptions(args, ['--source', '--stride', '--fail-on'], ['--json']);
  const path = onePath(positional, 'checkpoint', 'audit');
  const source = values.get('--source');
  const strideText = values.get('--stride');
  if (strideText !== undefined && !/^\d+$/.test(strideText)) throw new UsageError(`--stride must be a whole number from 1 to 64, not "${strideText}"`);
  const failOn = values.get('--fail-on');
  if (failOn !== undefined && failOn !== 'uneven') throw new UsageError(`--fail-on takes uneven, not "${failOn}"`);
  const { text, data } = await runTool<AuditCheckpointData>('audit_checkpoint', { path, ...(source !== undefined ? { source } : {}), ...(strideText !== undefined ? { stride: Number(strideText) } : {}) });
  io.out(values.has('--json') ? JSON.stringify(data, null, 2) : text);
  return failOn === 'uneven' && data.verdict === 'uneven' ? EXIT.errors : EXIT.clean;
}
