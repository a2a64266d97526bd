/**
 * The pure Layer Lens library (bundled as `dist/core.js`): the layer engine and the parsers, with
 * no dependency on VS Code, Node or the DOM. Benchmarks and other tools call it directly.
 */
export * from './engine/index';
export * from './parse/index';
