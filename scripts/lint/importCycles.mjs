// An ESLint rule of Layer Lens's own: no import circles in src/ and webview/.
//
// Circles make the layout lie (a module "below" another also depends on it), force module
// evaluation order to matter, and grow: each was once one convenient import. The rule reads the
// relative imports of every TypeScript file under src/ and webview/ (type-only ones too: a circle
// of types is still two modules that cannot be understood apart), finds the strongly connected
// components once per lint run, and reports every import that stays inside one, with the circle.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOTS = ['src', 'webview'];
const IMPORT = /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function listTs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  return undefined;
}

/** The import graph of the project at `root`, and the component (a set of files) of every file on a circle. */
export function importCircles(root) {
  const files = ROOTS.flatMap((r) => listTs(join(root, r))).filter((f) => !f.includes(`${join('engine', 'wasm', 'assembly')}`));
  const edges = new Map(files.map((f) => [f, []]));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const target = resolveImport(file, match[1] ?? match[2]);
      if (target && edges.has(target)) edges.get(file).push(target);
    }
  }
  // Tarjan's strongly connected components, iterative (no recursion limit on long chains).
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const componentOf = new Map();
  for (const start of files) {
    if (indices.has(start)) continue;
    const work = [[start, 0]];
    indices.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, next] = frame;
      const targets = edges.get(node);
      if (next < targets.length) {
        frame[1]++;
        const target = targets[next];
        if (!indices.has(target)) {
          indices.set(target, index);
          low.set(target, index++);
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), indices.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === indices.get(node)) {
        const component = new Set();
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.add(member);
        } while (member !== node);
        const selfLoop = edges.get(node).includes(node);
        if (component.size > 1 || selfLoop) for (const m of component) componentOf.set(m, component);
      }
    }
  }
  return { edges, componentOf };
}

/** A shortest path of imports from `from` to `to`, inside one component. */
function pathWithin(edges, component, from, to) {
  const previous = new Map([[from, undefined]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift();
    if (node === to) break;
    for (const next of edges.get(node)) {
      if (component.has(next) && !previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  const path = [];
  for (let node = to; node !== undefined; node = previous.get(node)) path.unshift(node);
  return path;
}

let cached;

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'No import circles in src/ and webview/.' },
    schema: [],
    messages: { circle: 'Import circle: {{circle}}. Move what both sides need to where it belongs (a module that imports neither).' },
  },
  create(context) {
    const root = context.cwd;
    cached ??= importCircles(root);
    const file = resolve(context.filename);
    const component = cached.componentOf.get(file);
    if (!component) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = resolveImport(file, spec);
      if (!target || !component.has(target)) return;
      const back = pathWithin(cached.edges, component, target, file);
      const circle = [file, ...back].map((f) => relative(root, f)).join(' → ');
      context.report({ node, messageId: 'circle', data: { circle } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
