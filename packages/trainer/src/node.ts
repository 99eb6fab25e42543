/** Node-only parts of @polyfuse/trainer: checkpoint folders, file logs, terminal progress, signals. */
export * from './index.js';
export { saveCheckpoint, readCheckpoint } from './checkpoint/checkpointDirectory.js';
export { CheckpointCallback } from './callbacks/checkpointCallback.js';
export type { CheckpointOptions } from './callbacks/checkpointCallback.js';
export { JsonlLogger } from './callbacks/jsonlLogger.js';
export { ProgressBar } from './callbacks/progressBar.js';
export { abortOnSignal } from './loop/abortOnSignal.js';
export { registerNodeCallbacks } from './callbacks/registerNodeCallbacks.js';
export { runReplicas } from './parallel/runReplicas.js';
export type { RunReplicasOptions, ReplicaFunction } from './parallel/runReplicas.js';
