// The replica function of dataParallel.fixture.mjs: the tiny task trained by
// a Trainer that is one replica of `group` (or alone when group is undefined).
// A module of its own: a script that imports itself while its top-level await
// is pending would wait for itself forever.
import { initBackend, tf } from '@polyfuse/core';
import { crossEntropyLoss } from '@polyfuse/losses';
import { Trainer, Adam } from '../../dist/index.js';
import { memorySource, tinyModel, tinySamples, weightValues } from '../../dist/testing/tinyTask.js';

const crossEntropy = (prediction, target) => crossEntropyLoss(prediction, target);
const terms = [
  { name: 'main', loss: crossEntropy },
  { name: 'aux_a', loss: crossEntropy, output: 'logits_a' },
];

/** Trains 2 epochs of 70 samples in batches of 16 (the last batch has 6 rows); returns weights and logs. */
export async function replica(group, { mode } = {}) {
  await initBackend({ backend: 'wasm', log: null });
  const trainer = new Trainer({
    model: tinyModel(3, { dropout: 0 }),
    losses: terms,
    optimizer: new Adam({ learningRate: 0.02 }),
    seed: 11,
    replicas: group,
    callbacks: [
      {
        name: 'fail',
        onStepEnd: (log) => {
          if (mode === 'fail' && group?.rank === 1 && log.step === 3) throw new Error('replica 1 fails on purpose');
        },
      },
    ],
  });
  const result = await trainer.fit(memorySource(tinySamples(70, 1), 16, { shuffleSeed: 4 }), { epochs: 2, validation: memorySource(tinySamples(30, 2), 16) });
  return { weights: weightValues(trainer.model), history: result.history.map((h) => h.values), steps: result.steps, tensors: tf.memory().numTensors };
}

