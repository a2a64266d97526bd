/** The package's version, written into the bundles by scripts/build.mjs from package.json. */
declare const __LAYER_LENS_VERSION__: string;
