// One replica of W3 (w3.mjs runs it through runReplicas, in this thread alone
// or in N threads): the av-digits training exactly as `polyfuse train` builds
// it (the CLI's trainerOptions and training loader), minus the run folder's
// checkpoint/log/progress callbacks and validation, which are file I/O rather
// than training. Replica 0 times each epoch and a data-only pass.
import '../../packages/cli/dist/registerPackages.js';
import { loadConfig, toDatasetSpec, inputSpecs, trainerOptions } from '../../packages/cli/dist/index.js';
import { tf, initBackend, createMultimodalModel } from '../../packages/core/dist/index.js';
import { loadDataset } from '../../packages/data/dist/node.js';
import { Trainer } from '../../packages/trainer/dist/index.js';

export async function replica(group, { configFile, manifest, backend, epochs }) {
  const config = await loadConfig(configFile);
  const choice = await initBackend({ backend, log: null });
  const full = toDatasetSpec(config.data, config.baseDir, config.training.seed);
  // The subset has no validation rows; without this the split would carve 10% of them out of train.
  const spec = { ...full, manifest, split: { ...full.split, fractions: { ...full.split.fractions, validation: 0, test: 0 } } };
  const dataset = await loadDataset(spec);
  const model = createMultimodalModel(config.model);
  inputSpecs(model, dataset);
  const train = dataset.loader('train', { batchSize: config.training.batchSize, shuffle: true, augment: true });
  const epochSeconds = [];
  const epochCpuSeconds = [];
  let epochStart = 0;
  let cpuStart;
  const timer = {
    name: 'w3-timer',
    onEpochBegin() {
      epochStart = performance.now();
      cpuStart = process.cpuUsage();
    },
    onEpochEnd() {
      epochSeconds.push((performance.now() - epochStart) / 1000);
      const cpu = process.cpuUsage(cpuStart);
      epochCpuSeconds.push((cpu.user + cpu.system) / 1e6);
    },
  };
  const trainer = new Trainer({ ...trainerOptions(config, model, group), callbacks: group.rank === 0 ? [timer] : [] });
  const result = await trainer.fit(train, { epochs });
  trainer.dispose();
  model.dispose();
  if (group.rank !== 0) return { rank: group.rank };
  // Data loading alone, one more pass of the same loader: how much of an epoch is loading.
  const dataStart = performance.now();
  for await (const batch of train.batches(epochs)) tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
  const dataSeconds = (performance.now() - dataStart) / 1000;
  return { backend: choice.package === '@tensorflow/tfjs-node-gpu' ? 'node-gpu' : choice.name, samples: dataset.splits.train.length, epochSeconds, epochCpuSeconds, dataSeconds, finalLoss: result.history.at(-1).values['loss.total'] };
}
