/**
 * What a tool is, for every place that offers it (VS Code's language-model tools, the MCP server,
 * tests): its name, a description written for a language model to read, the JSON schema of its
 * input, and `run`, which checks the input against that schema (VS Code does not) and answers with
 * text for the model plus structured JSON. Pure: no file is read here; a tool that needs a file
 * gets its text from the host, which reads it through the host's own API.
 */
import { asSentence, LayerError } from '../engine/errors';
import { findLayerCalls, type LayerCall } from '../parse/index';
import { schemaProblem, type ObjectSchema } from './jsonSchema';
import { CheckpointError } from '../checkpoint/types';
import { FileProblem, type ToolFiles } from './toolFiles';

/**
 * - `ok`: the answer, as text for the model and as structured data.
 * - `refused`: the layer (or computation) is one PyTorch refuses, and `text` says why, in its words.
 * - `invalid`: the input does not match the schema or cannot be read; `text` says what is wrong.
 */
export type ToolResult<Data> =
  | { readonly kind: 'ok'; readonly text: string; readonly data: Data }
  | { readonly kind: 'refused'; readonly text: string }
  | { readonly kind: 'invalid'; readonly text: string };

export interface ToolDefinition<Input = never, Data = unknown> {
  /** The name a model calls it by (snake_case, as MCP and VS Code tools are named). */
  readonly name: string;
  /** A short title for people (VS Code's `displayName`, MCP's `title`). */
  readonly title: string;
  /** What it does and when to use it, written for a model. */
  readonly description: string;
  readonly inputSchema: ObjectSchema;
  /** The JSON schema of the structured result (MCP's `outputSchema`; a unit test checks every answer against it). */
  readonly outputSchema: ObjectSchema;
  /** What the host says it is about to do (VS Code's `prepareInvocation`): what will be read. */
  readonly invocationMessage: (input: Input) => string;
  /** Runs on input that matched the schema. */
  readonly execute: (input: Input) => ToolResult<Data>;
}

/** A tool as the hosts list it, its input type forgotten. */
export interface AnyTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: ObjectSchema;
  readonly outputSchema: ObjectSchema;
  invocationMessage(input: unknown): string;
  /** Whether it reads files (through the host's {@link ToolFiles}); such a tool answers through `call` only. */
  readonly readsFiles: boolean;
  /** A tool that reads no file: checks the input and answers at once. */
  run(input: unknown): ToolResult<unknown>;
  /** Every tool, as the hosts call it: files are read through `files`. */
  call(input: unknown, files: ToolFiles): Promise<ToolResult<unknown>>;
}

/** A tool that reads files the input names, through the host: `execute` is given them. */
export interface FileToolDefinition<Input, Data> extends Omit<ToolDefinition<Input, Data>, 'execute'> {
  readonly execute: (input: Input, files: ToolFiles) => Promise<ToolResult<Data>>;
}

/** What every tool has, whatever it reads: its description, and the schema check of its input (an invalid answer, or undefined). */
function toolParts<Input>(definition: Omit<ToolDefinition<Input, unknown>, 'execute'>) {
  const check = (input: unknown): ToolResult<never> | undefined => {
    const problem = schemaProblem(input, definition.inputSchema);
    return problem ? invalid(`Invalid input to ${definition.name}: ${problem}`) : undefined;
  };
  const described = {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    inputSchema: definition.inputSchema,
    outputSchema: definition.outputSchema,
    invocationMessage: (input: unknown) => (check(input) === undefined ? definition.invocationMessage(input as Input) : `Layer Lens: ${definition.title}`),
  };
  return { check, described };
}

/** Checks the input against the schema, then runs; a LayerError thrown inside is PyTorch refusing. */
export function defineTool<Input, Data>(definition: ToolDefinition<Input, Data>): AnyTool {
  const { check, described } = toolParts(definition);
  const run = (input: unknown): ToolResult<unknown> => {
    const problem = check(input);
    if (problem) return problem;
    try {
      return definition.execute(input as Input);
    } catch (error) {
      return answerOf(error);
    }
  };
  return { ...described, readsFiles: false, run, call: (input) => Promise.resolve(run(input)) };
}

/** A tool that reads files: the same schema check, then `execute` with the host's files; a file it cannot read is invalid input, named. */
export function defineFileTool<Input, Data>(definition: FileToolDefinition<Input, Data>): AnyTool {
  const { check, described } = toolParts(definition);
  return {
    ...described,
    readsFiles: true,
    run: (input) => check(input) ?? invalid(`${definition.name} reads files: it is answered through a host that reads them (VS Code, the MCP server, the command line).`),
    async call(input, files) {
      const problem = check(input);
      if (problem) return problem;
      try {
        return await definition.execute(input as Input, files);
      } catch (error) {
        return answerOf(error);
      }
    },
  };
}

/** What a tool's thrown error answers: PyTorch refusing, or input (a file, a layer) that cannot be read. */
function answerOf(error: unknown): ToolResult<never> {
  if (error instanceof LayerError) return refused(asSentence(error.message));
  if (error instanceof ToolInputError) return invalid(error.message);
  // These start with the file's name, which keeps its case.
  if (error instanceof FileProblem || error instanceof CheckpointError) return invalid(/[.!?]$/.test(error.message) ? error.message : `${error.message}.`);
  throw error;
}

/** Input the schema allowed but the tool cannot read (no layer call in the text…): its message is the answer. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}

export function ok<Data>(text: string, data: Data): ToolResult<Data> {
  return { kind: 'ok', text, data };
}

export function refused(text: string): ToolResult<never> {
  return { kind: 'refused', text };
}

export function invalid(text: string): ToolResult<never> {
  return { kind: 'invalid', text };
}

/** The longest layer or stack text a tool reads (a layer call is a line; a model file's stack a few hundred). */
export const MAX_CODE_LENGTH = 200_000;

/** `nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)` cut to a line, for messages. */
export function callText(text: string, call: LayerCall): string {
  const written = text.slice(call.start, call.end).replace(/\s+/g, ' ');
  return written.length > 120 ? `${written.slice(0, 119)}…` : written;
}

/** The one layer call a tool is asked about: the first complete call in `text` (read as Python). */
export function readLayerCall(text: string): LayerCall {
  const calls = findLayerCalls(text, 'python').filter((call) => call.complete);
  const call = calls[0];
  if (!call) {
    throw new ToolInputError(
      `No layer call Layer Lens reads was found in ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}. ` +
        'Write it as in code, e.g. "nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)" (PyTorch) or "layers.Conv2DTranspose(64, 3, strides=2, padding=\'same\')" (Keras).',
    );
  }
  return call;
}
