// Which packages run in a browser, as docs/browser.md's table says; the bundle
// check (check-bundles.mjs) bundles each for the browser.

/** Packages whose main entry must bundle for a web page (data and cli are Node-only). */
export const browserPackages = ['core', 'image', 'text', 'audio', 'signal', 'fusion', 'losses', 'metrics', 'trainer', 'hmm'];

/** npm packages that need Node (native addons or Node built-ins); a page bundle must not contain them. */
export const nodeOnlyPackages = ['pngjs', 'sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@polyfuse/data', '@polyfuse/cli'];
