/** Node-only parts of @polyfuse/audio (file system). Browsers import '@polyfuse/audio'. */
export * from './index.js';
export { readWavFile, readAudioBytes } from './node/readWavFile.js';
export { registerAudioFilePreprocessors } from './node/registerFilePreprocessors.js';
