import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, ConfigError, InputError } from '@polyfuse/core';
import { crossEntropyLoss, OgmGe, PCGrad } from '@polyfuse/losses';
import { Trainer, Adam, Sgd, createMetric, createSchedule, EarlyStopping, type LossTerm, type Callback, type TrainerOptions } from '../index.js';
import type { WeightingStrategy } from '@polyfuse/losses';
import { memorySource, tinyModel, tinySamples, weightValues } from '../testing/tinyTask.js';

const crossEntropy = (prediction: tf.Tensor, target: tf.Tensor) => crossEntropyLoss(prediction, target) as tf.Scalar;
const terms: LossTerm[] = [
  { name: 'main', loss: crossEntropy },
  { name: 'aux_a', loss: crossEntropy, output: 'logits_a' },
  { name: 'aux_b', loss: crossEntropy, output: 'logits_b' },
];
const train = tinySamples(96, 1);
const validation = tinySamples(60, 2);

function makeTrainer(overrides: Partial<TrainerOptions> = {}, modelSeed = 3): Trainer {
  return new Trainer({
    model: tinyModel(modelSeed),
    losses: terms,
    optimizer: new Adam({ learningRate: 0.02 }),
    metrics: [createMetric({ name: 'accuracy' }), createMetric({ name: 'f1', config: { average: 'macro' } })],
    seed: 11,
    ...overrides,
  });
}

describe('Trainer', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('learns a two-modality task and logs every term, weight and metric per step and epoch', async () => {
    const trainer = makeTrainer({ schedule: createSchedule({ name: 'cosine', config: { period: 6 * 6 } }) });
    const steps: Record<string, number>[] = [];
    trainer.callbacks.push({ name: 'spy', onStepEnd: (log) => void steps.push(log.values) });
    const result = await trainer.fit(memorySource(train, 16, { shuffleSeed: 4 }), { epochs: 6, validation: memorySource(validation, 32) });
    expect(result).toMatchObject({ epochs: 6, steps: 36, interrupted: false });
    expect(Object.keys(steps[0]).sort()).toEqual(['loss.aux_a', 'loss.aux_b', 'loss.main', 'loss.total', 'lr', 'weight.aux_a', 'weight.aux_b', 'weight.main']);
    const first = result.history[0].values;
    const last = result.history[5].values;
    for (const key of ['loss.main', 'val.loss.main', 'val.loss.aux_b', 'val.loss.total', 'val.accuracy', 'val.f1']) expect(first[key]).toBeTypeOf('number');
    expect(last['loss.total']).toBeLessThan(first['loss.total']);
    expect(last['val.accuracy']).toBeGreaterThan(0.8);
    expect(last['val.f1']).toBeGreaterThan(0.75);
    // the epoch value is the mean of its steps
    const epoch0 = steps.slice(0, 6).reduce((sum, s) => sum + s['loss.main'], 0) / 6;
    expect(first['loss.main']).toBeCloseTo(epoch0, 10);
    // cosine schedule: full rate at step 0, lower later
    expect(steps[0].lr).toBe(0.02);
    expect(steps[30].lr).toBeLessThan(0.002);
  });

  it('gives the same weights and metrics for the same seed, with dropout on', async () => {
    const run = async (seed: number) => {
      const trainer = makeTrainer({ seed });
      const result = await trainer.fit(memorySource(train, 16, { shuffleSeed: 4 }), { epochs: 2, validation: memorySource(validation, 32) });
      return { values: result.history.map((h) => h.values), weights: weightValues(trainer.model) };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b.values).toEqual(a.values);
    expect(b.weights).toEqual(a.weights);
    expect(c.weights).not.toEqual(a.weights);
  });

  it('does not leak tensors across steps and epochs', async () => {
    const trainer = makeTrainer({ clipGradients: { norm: 1, value: 5 }, modalityDropout: (masks) => ({ a: masks.a.clone(), b: masks.b.mul(0.5).round() }) });
    const counts: number[] = [];
    trainer.callbacks.push({ name: 'memory', onStepEnd: () => void counts.push(tf.memory().numTensors) });
    await trainer.fit(memorySource(train, 16), { epochs: 3, validation: memorySource(validation, 32) });
    // optimizer slots are created by the first step; from then on the count is flat
    expect(new Set(counts.slice(1))).toEqual(new Set([counts[1]]));
    const beforeEval = tf.memory().numTensors;
    await trainer.evaluate(memorySource(validation, 32));
    expect(tf.memory().numTensors).toBe(beforeEval);
  });

  it('resumes from a mid-epoch checkpoint to exactly the weights of an uninterrupted run', async () => {
    const schedule = () => createSchedule({ name: 'reduce-on-plateau', config: { monitor: 'val.loss.total', patience: 0, factor: 0.5 } });
    const options = () => ({ schedule: schedule(), callbacks: [new EarlyStopping({ patience: 10 })], clipGradients: { norm: 2 } });
    const source = () => memorySource(train, 16, { shuffleSeed: 4 });
    const uninterrupted = makeTrainer(options());
    const full = await uninterrupted.fit(source(), { epochs: 3, validation: memorySource(validation, 32) });

    const controller = new AbortController();
    const first = makeTrainer(options());
    first.callbacks.push({ name: 'ctrl-c', onStepEnd: (log) => void (log.step === 8 ? controller.abort() : undefined) });
    const stopped = await first.fit(source(), { epochs: 3, validation: memorySource(validation, 32), signal: controller.signal });
    expect(stopped).toMatchObject({ interrupted: true, epochs: 1, steps: 8 });
    const files = await first.checkpoint();

    // a new process would build the model afresh: a different initial seed must not matter
    const resumed = makeTrainer(options(), 99);
    await resumed.restore(files);
    expect(resumed.state).toMatchObject({ epoch: 1, step: 8, batchInEpoch: 2 });
    const rest = await resumed.fit(source(), { epochs: 3, validation: memorySource(validation, 32) });
    expect(weightValues(resumed.model)).toEqual(weightValues(uninterrupted.model));
    expect(rest.history.map((h) => h.values)).toEqual(full.history.map((h) => h.values));
  });

  it('freezes modules, scales learning rates per module and unfreezes from a callback', async () => {
    const trainer = makeTrainer({ frozen: ['encoder:a'], moduleLearningRates: { 'encoder:b': 0 } });
    const encA = () => trainer.model.trainableVariables(['encoder:a']).map((v) => Array.from(v.dataSync()));
    const encB = trainer.model.trainableVariables(['encoder:b']).map((v) => Array.from(v.dataSync()));
    trainer.model.setTrainable(['encoder:a'], true);
    const aBefore = encA();
    trainer.model.setTrainable(['encoder:a'], false);
    const head = trainer.model.trainableVariables(['head']).map((v) => Array.from(v.dataSync()));
    let aAfterEpoch0: number[][] = [];
    const unfreeze: Callback = {
      name: 'unfreeze',
      onEpochEnd: (log, t) => {
        if (log.epoch !== 0) return;
        t.unfreeze(['encoder:a']);
        aAfterEpoch0 = encA();
      },
    };
    trainer.callbacks.push(unfreeze);
    await trainer.fit(memorySource(train, 32), { epochs: 2 });
    expect(aAfterEpoch0).toEqual(aBefore);
    expect(encA()).not.toEqual(aBefore);
    expect(trainer.model.trainableVariables(['encoder:b']).map((v) => Array.from(v.dataSync()))).toEqual(encB);
    expect(trainer.model.trainableVariables(['head']).map((v) => Array.from(v.dataSync()))).not.toEqual(head);
  });

  it('applies the modality dropout hook and counts unimodal terms only where the modality is present', async () => {
    const seen: number[] = [];
    const trainer = makeTrainer({
      optimizer: new Sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
      modalityDropout: (masks, { rng }) => {
        seen.push(rng.next());
        return { a: masks.a.clone(), b: tf.zerosLike(masks.b) };
      },
    });
    const result = await trainer.fit(memorySource(train, 32), { epochs: 1, validation: memorySource(validation, 60) });
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    expect(result.history[0].values['loss.aux_b']).toBe(0);
    expect(result.history[0].values['loss.aux_a']).toBeGreaterThan(0);
    // validation masks are untouched: 48 of 60 samples have b
    expect(result.history[0].values['val.loss.aux_b']).toBeGreaterThan(0);
  });

  it('runs one forward pass per step when all terms share a gradient tape', async () => {
    const trainer = makeTrainer();
    let calls = 0;
    const call = trainer.model.call.bind(trainer.model);
    trainer.model.call = (...args) => {
      calls++;
      return call(...args);
    };
    await trainer.fit(memorySource(train, 32), { epochs: 1 });
    expect(calls).toBe(3); // three steps, three loss terms, one pass each step
  });

  it('moves batch-norm moving statistics once per step, however many forward passes the weighting strategy runs', async () => {
    // One step on all 96 samples. The default sum runs one forward pass; PCGrad differentiates each of the three
    // terms on its own tape (three passes) and OGM-GE adds a pass for its modality scores (two).
    const statisticsAfterOneStep = async (weighting?: WeightingStrategy) => {
      const trainer = makeTrainer({ model: tinyModel(3, { batchNorm: true }), ...(weighting ? { weighting } : {}) });
      await trainer.fit(memorySource(train, 96), { epochs: 1 });
      const moving = trainer.model.model.layers.flatMap((l) => l.nonTrainableWeights.map((w) => Array.from(w.read().dataSync())));
      trainer.model.dispose();
      return moving;
    };
    const once = await statisticsAfterOneStep();
    expect(once).toHaveLength(4); // moving mean and variance of each encoder's batch norm
    for (const weighting of [new PCGrad({ seed: 1 }), new OgmGe({ gaussianEnhancement: false })]) {
      const moved = await statisticsAfterOneStep(weighting as unknown as WeightingStrategy);
      moved.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(once[i][j], 6)));
    }
  });

  it('stops early when the monitored value stops improving', async () => {
    const trainer = makeTrainer({ callbacks: [new EarlyStopping({ monitor: 'lr', mode: 'min', patience: 2 })] });
    const result = await trainer.fit(memorySource(train, 48), { epochs: 10 });
    expect(result.epochs).toBe(3);
    expect(result.stoppedEarly).toMatch(/lr did not improve for 2 epochs/);
  });

  it('rejects bad settings and data with errors that say what to fix', async () => {
    expect(() => makeTrainer({ losses: [{ name: 'x', loss: crossEntropy, output: 'logits_c' }] })).toThrow(/losses\.x\.output 'logits_c' is not a model output. Outputs: logits, logits_a, logits_b/);
    expect(() => makeTrainer({ frozen: ['encoder:c'] })).toThrow(/Unknown module 'encoder:c'/);
    expect(() => makeTrainer({ losses: [] })).toThrow(ConfigError);
    await expect(makeTrainer().fit(memorySource([], 8), { epochs: 1 })).rejects.toThrow(/Epoch 0: the training data yielded no batches/);
    const wrongTarget = makeTrainer({ losses: [{ name: 'main', loss: crossEntropy, target: 'digit' }] });
    await expect(wrongTarget.fit(memorySource(train, 8), { epochs: 1 })).rejects.toThrow(/needs target 'digit', but the batch has: label/);
    const exploding = makeTrainer({ optimizer: new Sgd({ learningRate: 1e6 }) });
    await expect(exploding.fit(memorySource(train, 8), { epochs: 3 })).rejects.toThrow(InputError);
  });
});
