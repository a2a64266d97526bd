/**
 * The WebAssembly kernels' module: compiled by scripts/build.mjs from ./assembly/ and embedded in
 * every bundle as base64 (esbuild's `define` replaces {@link __LAYER_LENS_KERNELS_WASM__}), so no
 * bundle looks for a file. Instantiated synchronously on first use; where WebAssembly is missing or
 * refused (the webview's content security policy), or the bytes were not embedded (code run
 * without scripts/build.mjs), {@link kernelInstance} returns undefined and the engine stays in
 * TypeScript.
 */

/** The base64 of the compiled kernels, or undefined where the build did not embed them. */
declare const __LAYER_LENS_KERNELS_WASM__: string | undefined;

/** The pointer-and-size functions ./assembly/convTranspose.ts exports (pointers are byte offsets). */
export interface KernelExports {
  readonly memory: WasmMemory;
  readonly scatter: (...args: number[]) => void;
  readonly gemm: (...args: number[]) => void;
  readonly gatherRows: (...args: number[]) => void;
}

/** The part of WebAssembly.Memory used here (the core's type library has no WebAssembly). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

/** Bytes per WebAssembly page. */
export const WASM_PAGE_BYTES = 65536;

/** WebAssembly where the host has it (the core's type library does not declare it). */
function webAssemblyApi(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

let compiled: object | null | undefined;
let instance: KernelExports | undefined;

/** The module, compiled once; null when it cannot be. */
function compiledModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = webAssemblyApi();
  const encoded = typeof __LAYER_LENS_KERNELS_WASM__ === 'string' ? __LAYER_LENS_KERNELS_WASM__ : undefined;
  if (api === undefined || encoded === undefined) return compiled;
  try {
    compiled = new api.Module(decodeBase64(encoded));
  } catch {
    // No SIMD, or a policy that forbids compiling WebAssembly: the TypeScript kernels serve.
  }
  return compiled;
}

/** The live instance (created on first use), or undefined where WebAssembly cannot run. */
export function kernelInstance(): KernelExports | undefined {
  if (instance !== undefined) return instance;
  const module = compiledModule();
  const api = webAssemblyApi();
  if (module === null || api === undefined) return undefined;
  try {
    instance = new api.Instance(module, {}).exports as KernelExports;
  } catch {
    return undefined;
  }
  return instance;
}

/**
 * Drops the instance, so that its memory (which WebAssembly cannot shrink) is freed once nothing
 * uses it; the next call instantiates the compiled module afresh.
 */
export function releaseKernelInstance(): void {
  instance = undefined;
}

/** Grows the instance's memory to at least `bytes`; false when it cannot grow that far. */
export function ensureMemory(kernels: KernelExports, bytes: number): boolean {
  const have = kernels.memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    kernels.memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
    return true;
  } catch {
    return false;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with `=` padding) to bytes; neither `atob` nor `Buffer` is in every host the core runs in. */
export function decodeBase64(text: string): Uint8Array {
  const values = new Uint8Array(128);
  for (let i = 0; i < BASE64.length; i++) values[BASE64.charCodeAt(i)] = i;
  const body = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    bits = (bits << 6) | (values[body.charCodeAt(i)] as number);
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[at++] = (bits >> count) & 0xff;
    }
  }
  return bytes;
}
