/**
 * The table of Layer Lens's webview pages, read by the host (view type, title, which bundle to
 * load) and by the build script (scripts/build.mjs bundles `webview/<id>/main.ts` and
 * `webview/<id>/<id>.css` into `dist/<id>.js` and `dist/<id>.css` for every id listed here). A new
 * panel is one row here, one protocol module beside this one, one host subclass of `WebviewHost`
 * (src/host/kit/webviewHost.ts) and one page folder. This module imports nothing.
 */
export const PAGES = {
  /** The transposed-convolution panel (Layer Lens: Transposed Convolution). */
  transposed: { viewType: 'layerLens.panel', title: 'Layer Lens: Transposed Convolution' },
  /** The layer panel (Convolution, Pool, Upsample, Pixel Shuffle). */
  layer: { viewType: 'layerLens.gather', title: 'Layer Lens: Layer' },
  /** The checkerboard lab (Compare Upsampling Methods). */
  lab: { viewType: 'layerLens.lab', title: 'Layer Lens: Checkerboard Lab' },
  /** The volume panel: 1-D layers as strips, 3-D layers as slices (Transposed Convolution / Inspect Layer with a 1-D or 3-D `op`). */
  volume: { viewType: 'layerLens.volume', title: 'Layer Lens: Sequence and Volume Layers' },
  /** The stack view (Inspect Stack). */
  stack: { viewType: 'layerLens.stack', title: 'Layer Lens: Stack' },
  /**
   * The checkpoint editor: a read-only custom editor on checkpoint files, not a panel. VS Code
   * restores it through its editor provider, so it has no panel serializer (src/host/contributed.ts).
   */
  checkpoint: { viewType: 'layerLens.checkpoint', title: 'Layer Lens: Checkpoint', customEditor: true },
  /** The model view (Inspect Model). */
  model: { viewType: 'layerLens.model', title: 'Layer Lens: Model' },
} as const;

export type PageId = keyof typeof PAGES;

export const PAGE_IDS = Object.keys(PAGES) as PageId[];
