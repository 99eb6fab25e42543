/** Node-only parts of @polyfuse/data: reading manifests and files, the feature cache. */
export * from './index.js';
export { Dataset } from './dataset/dataset.js';
export type { DatasetState, DatasetSummary, SavedTarget } from './dataset/dataset.js';
export { loadDataset, datasetFromSamples } from './dataset/loadDataset.js';
export type { LoadDatasetOptions } from './dataset/loadDataset.js';
export { FeatureCache } from './cache/featureCache.js';
