// Compiles the WebAssembly kernels (src/core/engine/wasm/assembly/) with the pinned AssemblyScript and
// the Binaryen it pins. The output depends only on the sources and these options (no paths, dates
// or randomness), so every machine builds the same bytes; a unit test checks that.
import asc from 'assemblyscript/asc';
import { join } from 'node:path';

/** The AssemblyScript sources: not TypeScript for tsc, eslint or esbuild (see their configs). */
export const kernelsSource = 'src/core/engine/wasm/assembly';

/** The kernels' bytes, compiled from the repository at `root`. */
export async function compileKernels(root) {
  const outputs = new Map();
  const { error, stderr } = await asc.main(
    [`${kernelsSource}/convTranspose.ts`, '--outFile', 'kernels.wasm', '-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd', '--baseDir', root],
    { writeFile: (name, contents) => outputs.set(name, contents) },
  );
  if (error) throw new Error(`AssemblyScript failed to compile ${join(root, kernelsSource)}:\n${stderr.toString()}`);
  return Uint8Array.from(outputs.get('kernels.wasm'));
}
