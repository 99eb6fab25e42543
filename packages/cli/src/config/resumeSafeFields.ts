// No imports: `polyfuse --help` lists these fields without loading TensorFlow.js.

/**
 * Config fields that may change between a run and its `--resume` (with
 * `--allow-config-change`): they change neither the data order, the model
 * nor the optimizer, so the resumed run continues the same training.
 * `training.epochs` trains longer or shorter (a schedule whose length is in
 * epochs stretches with it); the others change how long patience lasts,
 * how fast data is read, where training runs, or only the final evaluation.
 */
export const resumeSafeFields = [
  'name',
  'backend',
  'training.epochs',
  'training.earlyStoppingPatience',
  'training.replicas',
  'data.concurrency',
  'data.prefetch',
  'data.cacheDir',
  'data.cacheInMemory',
  'evaluation',
] as const;
