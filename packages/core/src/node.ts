/** Node-only parts of @polyfuse/core (file system). Browsers import '@polyfuse/core'. */
export * from './index.js';
export { saveModel, loadModel } from './io/modelDirectory.js';
export { writeFileAtomic, writeDirectoryAtomic } from './io/atomicWrite.js';
export { makeDirectory } from './io/makeDirectory.js';
