/**
 * PyTorch's F.conv_transpose2d in float64 on one thread, in a Python process that times itself
 * (torch_server.py beside this file): timing across the process boundary would measure the pipe.
 * Inputs go over as raw float64 files, so both sides compute on exactly the same values.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Peer, PeerSource, PreparedCase } from './peer';

/** Where a python3 with torch may be: the pyenv `python3` on PATH may lack it, Debian's /usr/bin/python3 may have it. */
const pythonCandidates = ['python3', '/usr/bin/python3'];
const serverScript = join(__dirname, '../../../../scripts/bench/peers/torch_server.py');

function pythonWithTorch(): string | undefined {
  return pythonCandidates.find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

/** One request line out, one answer line back; the benchmark awaits each before the next. */
class TorchServer {
  private readonly answers: AsyncIterator<string>;

  constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    this.answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  async next(): Promise<Record<string, unknown>> {
    const line = await this.answers.next();
    if (line.done) throw new Error(`the PyTorch server stopped (exit code ${this.child.exitCode ?? 'none yet'})`);
    const answer = JSON.parse(line.value) as Record<string, unknown>;
    if (typeof answer.error === 'string') throw new Error(`PyTorch: ${answer.error.trim().split('\n').pop() ?? ''}`);
    return answer;
  }

  async request(op: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.child.stdin.write(JSON.stringify({ op, ...fields }) + '\n');
    return this.next();
  }

  close(): void {
    this.child.stdin.end();
  }
}

function writeFloat64(path: string, values: Float64Array): void {
  writeFileSync(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

function readFloat64(path: string): Float64Array {
  const bytes = readFileSync(path);
  // Sliced into its own buffer: a Node Buffer may start at an offset that is no multiple of 8.
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export const torch: PeerSource = {
  name: 'PyTorch',
  async load(): Promise<Peer> {
    const python = pythonWithTorch();
    if (!python) throw new Error(`no python3 with torch (tried ${pythonCandidates.join(', ')}); Debian's python3-torch provides one`);
    const child = spawn(python, [serverScript], { stdio: ['pipe', 'pipe', 'inherit'] });
    // A failure to start closes stdout, which `next` reports; the listener only keeps Node from
    // treating the 'error' event as an uncaught exception.
    child.on('error', () => {});
    const server = new TorchServer(child);
    const hello = await server.next().catch((error: unknown) => {
      child.kill();
      throw error;
    });
    const files = mkdtempSync(join(tmpdir(), 'layer-lens-bench-'));
    let cases = 0;
    return {
      name: this.name,
      dtype: 'float64',
      detail: `PyTorch ${String(hello.torch)} (${python}), float64, ${String(hello.threads)} thread`,
      async prepare(c, data): Promise<PreparedCase> {
        const id = `case${++cases}`;
        const inputPath = join(files, `${id}.input`);
        const weightPath = join(files, `${id}.weight`);
        writeFloat64(inputPath, data.input);
        writeFloat64(weightPath, data.weight);
        await server.request('prepare', {
          id, inputPath, inputShape: c.inputShape, weightPath, weightShape: c.weightShape, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding,
        });
        return {
          async time(budgetMs) {
            return Number((await server.request('time', { id, budgetMs })).ms);
          },
          async output() {
            const path = join(files, `${id}.output`);
            const { shape } = await server.request('output', { id, path });
            return { shape: shape as number[], data: readFloat64(path) };
          },
          async release() {
            await server.request('release', { id });
            for (const suffix of ['input', 'weight', 'output']) rmSync(join(files, `${id}.${suffix}`), { force: true });
          },
        };
      },
      async close() {
        server.close();
        rmSync(files, { recursive: true, force: true });
      },
    };
  },
};
