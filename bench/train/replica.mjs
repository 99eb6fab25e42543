// One replica of a data-parallel measurement (bench/train/worker.mjs --replicas N
// runs it in N threads through @polyfuse/trainer's runReplicas): each thread
// trains the same model on its rows of every batch, the gradients are averaged
// through shared memory, and every replica applies the same Adam step.
import { tf, initBackend, withSeed } from '../../packages/core/dist/index.js';
import { allReduceGradients } from '../../packages/trainer/dist/index.js';
import { builders, makeBatches, BATCH } from './workloads.mjs';

export async function replica(group, { workload, backend, warmup, blocks, steps }) {
  const choice = await initBackend({ backend, log: null });
  const model = withSeed(1, builders[workload]);
  const optimizer = tf.train.adam(1e-3);
  const variables = model.trainableWeights.map((w) => w.val);
  const layout = { names: variables.map((v) => v.name), shapes: Object.fromEntries(variables.map((v) => [v.name, v.shape])) };
  const batches = makeBatches(workload, 4);
  const { start, end } = group.shard(BATCH);

  function trainStep({ inputs, targets }) {
    tf.tidy(() => {
      const rows = (t) => t.slice(start, end - start);
      const { grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(rows(targets), model.apply(inputs.map(rows), { training: true })),
        variables,
      );
      const reduced = allReduceGradients(group, grads, layout, end - start);
      optimizer.applyGradients(reduced.grads);
    });
  }

  let step = 0;
  const next = () => batches[step++ % batches.length];
  for (let i = 0; i < warmup; i++) trainStep(next());
  group.barrier();
  const rates = [];
  const cpuRates = [];
  for (let b = 0; b < blocks; b++) {
    group.barrier();
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < steps; i++) trainStep(next());
    await variables[0].data();
    group.barrier();
    rates.push((steps * BATCH) / ((performance.now() - started) / 1000));
    const cpu = process.cpuUsage(cpuStart);
    cpuRates.push((steps * BATCH) / ((cpu.user + cpu.system) / 1e6));
  }
  // Replicas must end with identical weights: return a checksum of each.
  const checksum = variables.reduce((sum, v) => sum + v.dataSync().reduce((a, x, i) => a + x * ((i % 7) + 1), 0), 0);
  return { backend: choice.name, rates, cpuRates, checksum, numTensors: tf.memory().numTensors };
}
