/** Node-only parts of @polyfuse/image (file system, sharp). Browsers import '@polyfuse/image'. */
export * from './index.js';
export { NodeImagePreprocessor } from './node/nodeImagePreprocessor.js';
export { loadPretrainedModel } from './node/loadPretrainedModel.js';
export { loadSharp, decodeWithSharp } from './node/sharpDecoder.js';
export { readBinaryFile } from './node/readImageFile.js';
