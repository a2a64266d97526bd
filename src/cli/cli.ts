/**
 * `layer-lens`, the command line (bundled to dist/cli.js, the package's `layer-lens` bin). Exit
 * codes, as linters have them: 0 nothing wrong, 1 errors found, 2 a usage error or a file that
 * cannot be read (named in the message). Everything it reports comes from the pure core.
 */
import { checkFile, filesToCheck, formatGithub, formatText, UnreadableError, type CheckOptions, type FileDiagnostic } from './check';
import type { SeverityName } from '../core/insight/documentDiagnostics';
import { audit, CommandFailure, EXIT, shapes, UsageError, type CliIo } from './modelCommands';

export { EXIT, type CliIo };

const HELP = `Usage: layer-lens <command> [options]

Commands:
  check [files or folders...]   Report what Layer Lens shows in the editor: transposed convolutions
                                whose overlap is uneven (checkerboard artifacts), arguments PyTorch
                                refuses for their type, and layers where a stack of layers breaks
                                (channel mismatches, empty outputs). Folders are searched for
                                .py, .pyi, .ipynb, .md, .markdown and .qmd files (node_modules,
                                __pycache__ and hidden folders are skipped). Notebooks are read
                                cell by cell: path:cell N:line:column. - reads standard input.
                                Default: the current folder.
  shapes <file> --class <Name>  Follow an input through a PyTorch model class read from <file> (and
                                the files of its folder it imports, e.g. from .unet_parts import
                                Up), without running it: each layer's path, op, input and output
                                shape, parameters and multiply-adds, the totals, the output shape,
                                and the square input sizes that work. Where PyTorch would raise, the
                                line is printed as path:line:column: error: message [model-shape].
                                In a file that imports Keras, <Name> may be a builder function or a
                                model variable (--input channels-last: 1,256,256,3).
  audit <checkpoint>            Audit the transposed (and sub-pixel) convolutions of a checkpoint
                                (.pt/.pth/.bin/.ckpt, .safetensors, .npy/.npz…) for checkerboard
                                artifacts: verdict and periodic energy per layer, worst first.
                                Nothing in the file is run.

Options for check:
  --format <text|json|github>   text: path:line:column: severity: message [rule] (default)
                                json: an array of { file, line, column, endLine, endColumn,
                                      severity, message, rule }
                                github: GitHub Actions annotations (::error file=…,line=…::…)
  --json                        Same as --format json.
  --input-size <n>              Input height and width assumed for a layer whose code states none
                                (the layerLens.layers.inputSize setting; default 32).
  --model-input <shape>         Follow each nn.Module class's forward() for this input (1x3x78x78)
                                and report where two tensors do not line up (torch.cat, +), and
                                each Keras model's merge layers (Concatenate, Add: read
                                channels-last, N, H, W from the shape and the channels from the
                                model's Input): the layerLens.models.inputShape setting; not
                                checked when not given.
  --stdin-filename <path>       The name to report standard input (the path -) under; its extension
                                sets the language (default: Python, reported as -).
  --overlap-severity <level>    How uneven overlap is reported: error, warning, information (default)
                                or hint (the layerLens.diagnostics.severity setting).

Options for shapes:
  --class <Name>                The nn.Module class (built with its default arguments unless --args
                                is given). Required.
  --args <json>                 Constructor arguments as JSON: keywords {"ngf": 32} or positional
                                [3, 2] (numbers, strings, true/false, null or lists of them).
  --input <shape>               The input of forward(), e.g. 1,3,256,256. Default: [1, C, S, S],
                                C the first convolution's in_channels, S the smallest side that runs.
  --json                        Print the structured result (layers, totals, outputShape,
                                validInputSizes, error) as JSON.

Options for audit:
  --source <model.py>           The model source the checkpoint's keys come from (for the strides).
  --stride <n>                  The stride of layers neither the file nor the source describes.
  --fail-on uneven              Exit with 1 when a layer is uneven (by default an uneven verdict is
                                reported, and the exit code is 0).
  --json                        Print the structured result (verdict, layers, pairing) as JSON.

  -h, --help                    Show this help.
  -v, --version                 Show the version.

Exit codes: 0 no errors, 1 errors found, 2 usage error or unreadable file.
Errors found: check, an error diagnostic; shapes, the model raises for the input; audit, an
uneven layer with --fail-on uneven.
An agent can also call Layer Lens's tools through its MCP server: layer-lens-mcp (stdio).
`;

type Format = 'text' | 'json' | 'github';

interface CheckArguments {
  readonly paths: string[];
  readonly format: Format;
  readonly options: CheckOptions;
}

const SEVERITIES: readonly SeverityName[] = ['error', 'warning', 'information', 'hint'];

function parseCheck(args: readonly string[]): CheckArguments {
  const paths: string[] = [];
  let format: Format = 'text';
  let inputSize = 32;
  let overlapSeverity: SeverityName = 'information';
  let stdinName: string | undefined;
  let modelInput: number[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--json':
        format = 'json';
        break;
      case '--format': {
        const given = value();
        if (given !== 'text' && given !== 'json' && given !== 'github') throw new UsageError(`--format must be text, json or github, not "${given}"`);
        format = given;
        break;
      }
      case '--input-size': {
        const given = value();
        const n = Number(given);
        if (!/^\d+$/.test(given) || n < 1 || n > 65536) throw new UsageError(`--input-size must be a whole number from 1 to 65536, not "${given}"`);
        inputSize = n;
        break;
      }
      case '--model-input': {
        const given = value();
        const shape = given.split(/[x×,]/).map(Number);
        if (!/^\d+([x×,]\d+){0,7}$/.test(given) || shape.some((n) => n < 1 || n > 65536)) throw new UsageError(`--model-input must be a shape such as 1x3x78x78, not "${given}"`);
        modelInput = shape;
        break;
      }
      case '--stdin-filename':
        stdinName = value();
        break;
      case '--overlap-severity': {
        const given = value();
        if (!(SEVERITIES as readonly string[]).includes(given)) throw new UsageError(`--overlap-severity must be one of ${SEVERITIES.join(', ')}, not "${given}"`);
        overlapSeverity = given as SeverityName;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        paths.push(arg);
    }
  }
  return { paths: paths.length > 0 ? paths : ['.'], format, options: { inputSize, overlap: true, overlapSeverity, stacks: true, ...(stdinName === undefined ? {} : { stdinName }), ...(modelInput === undefined ? {} : { modelInput }) } };
}

export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    // Asked for, the help is the output; without a command it is the usage error's explanation.
    if (command === undefined) {
      io.err(HELP);
      return EXIT.usage;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      io.out(HELP);
      return EXIT.clean;
    }
    if (command === '-v' || command === '--version') {
      io.out(__LAYER_LENS_VERSION__);
      return EXIT.clean;
    }
    if (command !== 'check' && command !== 'shapes' && command !== 'audit') throw new UsageError(`unknown command "${command}" (the commands: check, shapes, audit)`);
    if (rest.includes('-h') || rest.includes('--help')) {
      io.out(HELP);
      return EXIT.clean;
    }
    if (command === 'shapes') return await shapes(rest, io);
    if (command === 'audit') return await audit(rest, io);
    return await check(parseCheck(rest), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`layer-lens: ${error.message}. See layer-lens --help.`);
      return EXIT.usage;
    }
    if (error instanceof UnreadableError || error instanceof CommandFailure) {
      io.err(`layer-lens: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}

async function check({ paths, format, options }: CheckArguments, io: CliIo): Promise<number> {
  const files = await filesToCheck(paths);
  const found: FileDiagnostic[] = [];
  const onSkip = (file: string, why: string) => io.err(`layer-lens: skipped ${file}: ${why}`);
  for (const file of files) found.push(...(await checkFile(file, { ...options, onSkip })));
  if (format === 'json') io.out(JSON.stringify(found, null, 2));
  else for (const d of found) io.out(format === 'github' ? formatGithub(d) : formatText(d));
  const errors = found.filter((d) => d.severity === 'error').length;
  if (format === 'text') {
    const others = found.length - errors;
    io.err(`layer-lens: ${files.length} file${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${others} other finding${others === 1 ? '' : 's'}`);
  }
  return errors > 0 ? EXIT.errors : EXIT.clean;
}

// Run when this file is the program (the bundle dist/cli.js, or out/src/cli/cli.js), not when a test imports it.
if (require.main === module) {
  // A reader that stops early (`layer-lens check | head`) closes the pipe: stop quietly, as other command-line tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.clean);
  });
  runCli(process.argv.slice(2), { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`layer-lens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
