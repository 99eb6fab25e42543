// Trains one workload for the benchmark, as one replica of a data-parallel
// group: worker.mjs runs it through @polyfuse/trainer's runReplicas, in this
// thread alone (--replicas 1, plain training) or in N threads, each training
// the same model on its rows of every batch, with the gradients averaged
// through shared memory so that every replica applies the same Adam step.
import { tf, initBackend, withSeed } from '../../packages/core/dist/index.js';
import { Adam, allReduceGradients } from '../../packages/trainer/dist/index.js';
import { builders, makeBatches, BATCH } from './workloads.mjs';

export async function replica(group, { workload, backend, warmup, blocks, steps }) {
  const choice = await initBackend({ backend, log: null });
  const model = withSeed(1, builders[workload]);
  // @polyfuse/trainer's Adam (torch.optim.Adam's update, as PyTorch's side uses), what `polyfuse train` runs.
  const optimizer = new Adam({ learningRate: 1e-3 });
  const variables = model.trainableWeights.map((w) => w.val);
  const layout = { names: variables.map((v) => v.name), shapes: Object.fromEntries(variables.map((v) => [v.name, v.shape])) };
  const batches = makeBatches(workload, 4);
  const parallel = group.size > 1;
  const { start, end } = group.shard(BATCH);

  /** One training step: forward, softmax cross-entropy, backward, (all-reduce,) Adam update; no read-back. */
  function trainStep({ inputs, targets }) {
    tf.tidy(() => {
      const rows = (t) => (parallel ? t.slice(start, end - start) : t);
      const { grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(rows(targets), model.apply(inputs.map(rows), { training: true })),
        variables,
      );
      const averaged = parallel ? allReduceGradients(group, grads, layout, end - start).grads : grads;
      optimizer.apply(variables.map((variable) => ({ key: variable.name, variable, gradient: averaged[variable.name] })));
    });
  }

  let step = 0;
  const next = () => batches[step++ % batches.length];
  for (let i = 0; i < warmup; i++) trainStep(next());
  await tf.tensor1d([0]).data(); // drain
  const rates = [];
  const cpuRates = [];
  const tensorsPerBlock = [];
  const rssPerBlock = [];
  for (let b = 0; b < blocks; b++) {
    group.barrier();
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < steps; i++) trainStep(next());
    // Read one weight back so any deferred work is finished inside the timed block.
    await variables[0].data();
    group.barrier();
    rates.push((steps * BATCH) / ((performance.now() - started) / 1000));
    // Process CPU time (every thread's): steadier than wall time on a busy machine.
    const cpu = process.cpuUsage(cpuStart);
    cpuRates.push((steps * BATCH) / ((cpu.user + cpu.system) / 1e6));
    tensorsPerBlock.push(tf.memory().numTensors);
    rssPerBlock.push(Math.round(process.memoryUsage().rss / 2 ** 20)); // the whole process: every replica's memory
  }
  // Replicas must end with identical weights: a checksum of them, compared by worker.mjs.
  const checksum = variables.reduce((sum, v) => sum + v.dataSync().reduce((a, x, i) => a + x * ((i % 7) + 1), 0), 0);
  const result = { backend: choice.package === '@tensorflow/tfjs-node-gpu' ? 'node-gpu' : choice.name, rates, cpuRates, tensorsPerBlock, rssPerBlock, checksum, steps: warmup + blocks * steps };
  // The model stays in replica 0's thread (worker results are copied), for the prediction measurements.
  return group.rank === 0 ? { ...result, model } : result;
}
