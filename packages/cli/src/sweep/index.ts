// The sweep API the executors, commands and tests use.
export { loadSweep, loadSweepWithBase } from './loadSweep.js';
export type { LoadSweepOptions } from './loadSweep.js';
export { sweepExecutors } from './sweepPlan.js';
export type { SweepPlan, SweepRun, SweepExecutor } from './sweepPlan.js';
export { readRunStatuses, readRunStatus, writeRunStatus, indicesToResume, statusFileName } from './status/runStatus.js';
export type { RunStatus, RunState, RunStateEntry } from './status/runStatus.js';
export { expandOverrides, foldPaths } from './expand/expandOverrides.js';
export { runIds } from './expand/runIds.js';
export { applyOverrides } from './expand/configPath.js';
export { runConfigOf } from './run/runConfigOf.js';
export { runSweepIndex } from './run/runSweepIndex.js';
export { polyfuseCommand } from './polyfuseCommand.js';
export { runLocalSweep } from './executors/local/localExecutor.js';
export { writeSweepReport } from './report/writeSweepReport.js';
export { combineMembers } from './ensemble/combineMembers.js';
export type { EnsembleMethod, EnsembleResult } from './ensemble/combineMembers.js';
