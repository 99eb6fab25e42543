export { polyfusePackages } from './registerPackages.js';
export { runCli } from './program/runCli.js';
export { createProgram } from './program/createProgram.js';
export { exitCodes } from './program/exitCodes.js';
export type { CommandIo, GlobalOptions } from './program/commandIo.js';
export { createProgress, silentProgress, formatProgress, formatDuration } from './program/progress.js';
export type { Progress, ProgressOptions, ProgressState } from './program/progress.js';
export { listComponents } from './commands/listCommand.js';
export type { ListedComponent, ListedOption } from './commands/listCommand.js';

export { loadConfig, configFromObject, readConfigFile, resolvedConfig } from './config/loadConfig.js';
export { validateRunConfig, loggedMetricName } from './config/validateRunConfig.js';
export { loadPlugins } from './config/loadPlugins.js';
export type { RunConfig, DataConfig, ModalityConfig, LabelConfig, SplitConfig, LossConfig, LossTermConfig, TrainingConfig, EvaluationConfig } from './config/runConfig.js';

export { toDatasetSpec } from './config/toDatasetSpec.js';
export { preprocessingFileName, preprocessingState, restorePreprocessors, labelClasses } from './data/preprocessingState.js';
export type { PreprocessingState } from './data/preprocessingState.js';

export { trainRun, trainerOptions, evaluateDataset, extraPasses, inputSpecs, mainLabel } from './training/trainRun.js';
export { maskModalities, maskedLoader } from './training/maskModalities.js';
export { randomModalityDropout } from './training/modalityDropout.js';
export { progressCallback } from './training/progressCallback.js';
export type { TrainResult, TrainRunOptions } from './training/trainRun.js';
export { trainInFolder } from './training/trainInFolder.js';
export type { TrainInFolderOptions } from './training/trainInFolder.js';
export { scoreSource, predictSource, argmaxRows, modalityContribution, robustnessCurves, collectMaskedOutputs } from './training/evaluate.js';
export type { MaskedOutputs } from './training/evaluate.js';
export type { SplitScores, Dropped } from './training/evaluate.js';
export { confusionMatrix } from './training/confusionMatrix.js';

export { runPaths, readModelFolder, writeModelFolder } from './run/runFolder.js';
export { openRun } from './run/openRun.js';
export type { OpenedRun } from './run/openRun.js';

export { writeReport } from './report/writeReport.js';
export { renderChart } from './report/renderChart.js';
export type { RenderedChart } from './report/renderChart.js';
export { collectCharts } from './report/collectCharts.js';
export type { ReportChart } from './report/collectCharts.js';
export { predictionsToCsv, predictionsToJson } from './predict/formatPredictions.js';
export { predictSamples, predictManifest } from './predict/predictSamples.js';
export type { Prediction } from './predict/formatPredictions.js';

export { loadSweep, readRunStatuses, runIds, expandOverrides, writeSweepReport, combineMembers } from './sweep/index.js';
export type { SweepPlan, SweepRun, SweepExecutor, RunStatus, RunState, EnsembleMethod, EnsembleResult } from './sweep/index.js';
