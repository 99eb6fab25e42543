/** Node-only parts of @polyfuse/text (file system). Browsers import '@polyfuse/text'. */
export * from './index.js';
export { NodeTextPreprocessor } from './node/nodeTextPreprocessor.js';
export { loadWordVectors } from './node/loadWordVectors.js';
