/**
 * The MCP server as an agent outside VS Code meets it: the bundled bin (dist/mcp.js) started over
 * stdio by the official SDK's own Client. It lists the core's tools with their input and output
 * schemas, answers each (the client checks each structured result against the output schema),
 * refuses a layer as PyTorch does (an error result with the reason), answers bad arguments with an
 * MCP error in words, and keeps serving after every one of them (and after a line that is not JSON).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TOOLS, toolNamed } from '../../../src/core/tools/index';
import { nodeFiles } from '../../../src/cli/nodeFiles';
import { writeGoldenCheckpoints } from '../tools/goldenCheckpoints';

const root = resolve(__dirname, '../../../..');
const server = join(root, 'dist', 'mcp.js');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

const text = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

describe('layer-lens-mcp (the MCP server over stdio, through the SDK client)', function () {
  this.timeout(60_000);
  let client: Client;
  let transport: StdioClientTransport;

  before(async () => {
    transport = new StdioClientTransport({ command: process.execPath, args: [server], cwd: root, stderr: 'pipe' });
    client = new Client({ name: 'layer-lens-test', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client.close();
  });

  async function alive(): Promise<void> {
    const result = (await client.callTool({ name: 'layer_output_shape', arguments: { layer: 'nn.Conv2d(3, 8, 3)', inputShape: [1, 3, 10, 10] } })) as CallToolResult;
    assert.deepEqual(result.structuredContent, { outputShape: [1, 8, 8, 8], formula: 'H_out = ⌊(10 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 8; W_out = ⌊(10 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 8' });
    assert.ok(transport.pid !== null);
  }

  it('introduces itself with the package version', () => {
    assert.deepEqual(client.getServerVersion(), { name: 'layer-lens', title: 'Layer Lens', version });
    assert.match(client.getInstructions() ?? '', /Exact PyTorch\/Keras layer arithmetic/);
  });

  it('lists the core tools with their descriptions and schemas', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema })),
      TOOLS.map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: JSON.parse(JSON.stringify(t.inputSchema)) as unknown, outputSchema: JSON.parse(JSON.stringify(t.outputSchema)) as unknown })),
    );
  });

  it('layer_output_shape: the issue example as structured content and text', async () => {
    const result = (await client.callTool({ name: 'layer_output_shape', arguments: { layer: 'nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)', inputShape: [1, 16, 32, 32] } })) as CallToolResult;
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.structuredContent, { outputShape: [1, 8, 64, 64], formula: 'H_out = (32 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 64; W_out = (32 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 64' });
    assert.match(text(result), /^nn\.ConvTranspose2d\(16, 8, 4, stride=2, padding=1\) on an input of shape \[1, 16, 32, 32\] gives \[1, 8, 64, 64\]\./);
  });

  it('solve_layer_size, check_checkerboard and compute_layer answer as the core does', async () => {
    const solved = (await client.callTool({ name: 'solve_layer_size', arguments: { layer: 'nn.ConvTranspose2d(64, 32, 4, stride=2)', inputSize: 16, outputSize: 32 } })) as CallToolResult;
    assert.deepEqual(solved.structuredContent, {
      solutions: [
        { padding: 1, outputPadding: 0, kernelSize: 4 },
        { padding: 0, outputPadding: 0, kernelSize: 2 },
        { padding: 2, outputPadding: 0, kernelSize: 6 },
        { padding: 3, outputPadding: 0, kernelSize: 8 },
      ],
    });
    const checked = (await client.callTool({ name: 'check_checkerboard', arguments: { code: 'nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1)' } })) as CallToolResult;
    const layers = (checked.structuredContent as { layers: { label: string; fixes: unknown[] }[] }).layers;
    assert.equal(layers[0]?.label, 'uneven 1:2');
    assert.ok((layers[0]?.fixes.length ?? 0) >= 2);
    const computed = (await client.callTool({ name: 'compute_layer', arguments: { op: 'convTranspose2d', input: [[1, 2], [3, 4]], weight: [[1, 1], [1, 1]], options: { stride: 2 } } })) as CallToolResult;
    assert.deepEqual(computed.structuredContent, { shape: [4, 4], data: [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4] });
  });

  it('inspect_model and audit_checkpoint read the files named (relative to the server\'s directory) and answer as the tools do in-process', async function () {
    this.timeout(120_000);
    const model = { path: 'test/golden/models/unet_model.py', className: 'UNet', inputShape: [1, 3, 64, 64] };
    const inspected = (await client.callTool({ name: 'inspect_model', arguments: model })) as CallToolResult;
    // The server runs in this process's directory, the checkout: the relative path and the import beside it resolve there.
    const inProcess = await toolNamed('inspect_model')?.call({ ...model, path: join(root, model.path) }, nodeFiles);
    assert.equal(inProcess?.kind, 'ok');
    const data = inspected.structuredContent as { files: string[]; outputShape: number[]; layers: unknown[]; totals: unknown };
    assert.deepEqual(data.files, ['test/golden/models/unet_model.py', 'test/golden/models/unet_parts.py']);
    assert.deepEqual(data.outputShape, [1, 2, 64, 64]);
    const expected = (inProcess as { data: { layers: { file: string }[]; totals: unknown } }).data;
    assert.deepEqual(data.totals, expected.totals);
    assert.equal(data.layers.length, expected.layers.length);
    assert.match(text(inspected), /^UNet \(test\/golden\/models\/unet_model\.py\) on input \[1, 3, 64, 64\]:\nlayer +op +input +output +params +MACs\n/);
    const { dir, remove } = writeGoldenCheckpoints();
    try {
      const args = { path: join(dir, 'dcgan.pt'), source: join(dir, 'dcgan.py') };
      const audited = (await client.callTool({ name: 'audit_checkpoint', arguments: args })) as CallToolResult;
      const direct = await toolNamed('audit_checkpoint')?.call(args, nodeFiles);
      assert.deepEqual(audited.structuredContent, JSON.parse(JSON.stringify((direct as { data: unknown }).data)));
      assert.equal((audited.structuredContent as { verdict: string }).verdict, 'uneven');
      assert.equal(text(audited), (direct as { text: string }).text);
    } finally {
      remove();
    }
    await assert.rejects(client.callTool({ name: 'audit_checkpoint', arguments: { path: 'no/such/checkpoint.pt' } }), (error: unknown) => {
      assert.ok(error instanceof McpError, String(error));
      assert.equal(error.code, ErrorCode.InvalidParams);
      assert.match(error.message, /no\/such\/checkpoint\.pt does not exist\.$/);
      return true;
    });
    await alive();
  });

  it("a layer PyTorch refuses is an error result carrying PyTorch's reason", async () => {
    const result = (await client.callTool({ name: 'layer_output_shape', arguments: { layer: 'nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)', inputShape: [1, 3, 32, 32] } })) as CallToolResult;
    assert.equal(result.isError, true);
    assert.match(text(result), /16 input channels but the input has 3/);
    assert.equal(result.structuredContent, undefined);
    await alive();
  });

  it('bad arguments and unknown tools are MCP errors (invalid params) that say what is wrong; the server keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['layer_output_shape', { layer: 'nn.Conv2d(3, 8, 3)' }, /"inputShape" is missing/],
      ['layer_output_shape', { layer: 'nn.Conv2d(3, 8, 3)', inputShape: [1, 3, -4, 4] }, /"inputShape\[2\]" must be at least 1, not -4\./],
      ['solve_layer_size', { layer: 'nn.Conv2d(3, 8, 3)', inputSize: '16', outputSize: 8 }, /"inputSize" must be a whole number, not "16"\./],
      ['compute_layer', { op: 'conv2d', input: [[1, 2], [3]] , weight: [[1]] }, /"input" is not rectangular/],
      ['check_checkerboard', { code: 'x = 1' }, /No transposed convolution or stack of layers was found/],
      ['no_such_tool', {}, /Unknown tool "no_such_tool": Layer Lens has layer_output_shape, solve_layer_size, check_checkerboard, inspect_model, audit_checkpoint, compute_layer\./],
    ];
    for (const [name, args, message] of cases) {
      await assert.rejects(client.callTool({ name, arguments: args }), (error: unknown) => {
        assert.ok(error instanceof McpError, String(error));
        assert.equal(error.code, ErrorCode.InvalidParams);
        assert.match(error.message, message);
        return true;
      });
      await alive();
    }
  });

  it('survives a line that is not JSON and a request it does not know, then still answers', async () => {
    const child = spawn(process.execPath, [server], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const replies: unknown[] = [];
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
          replies.push(JSON.parse(buffer.slice(0, end)));
          buffer = buffer.slice(end + 1);
        }
      });
      const send = (value: string) => child.stdin.write(`${value}\n`);
      send('this is not JSON');
      send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'no/such/method', params: {} }));
      send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
      send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'compute_layer', arguments: { op: 'pixelShuffle', input: [[[1]], [[2]], [[3]], [[4]]], options: { upscaleFactor: 2 } } } }));
      const deadline = Date.now() + 20_000;
      while (replies.filter((r) => (r as { id?: number }).id === 3).length === 0) {
        assert.equal(child.exitCode, null, 'the server exited');
        assert.ok(Date.now() < deadline, `no answer to the tool call; replies: ${JSON.stringify(replies)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const byId = (id: number) => replies.find((r) => (r as { id?: number }).id === id) as { error?: { code: number }; result?: { structuredContent?: unknown } };
      assert.equal(byId(1).error?.code, ErrorCode.MethodNotFound);
      assert.deepEqual(byId(3).result?.structuredContent, { shape: [1, 2, 2], data: [1, 2, 3, 4] });
      assert.equal(child.exitCode, null);
    } finally {
      child.kill();
    }
  });
});
