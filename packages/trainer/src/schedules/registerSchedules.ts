import { registry, ConfigError, type ComponentSpec } from '@polyfuse/core';
import type { LearningRateSchedule } from './learningRateSchedule.js';
import { StepSchedule } from './stepSchedule.js';
import { CosineSchedule } from './cosineSchedule.js';
import { LinearWarmupSchedule } from './linearWarmup.js';
import { ReduceOnPlateauSchedule } from './reduceOnPlateau.js';

const unit = { type: 'string', enum: ['epoch', 'step'] } as const;

function register(entry: Parameters<typeof registry.register<any, LearningRateSchedule>>[0]): void {
  if (!registry.has('schedule', entry.name)) registry.register(entry);
}

register({
  kind: 'schedule',
  name: 'step',
  description: 'Multiply the rate by gamma every stepSize epochs (torch StepLR).',
  schema: { stepSize: { type: 'integer', min: 1, required: true }, gamma: { type: 'number', min: 0, default: 0.1 }, unit: { ...unit, default: 'epoch' } },
  create: (c) => new StepSchedule(c),
});
register({
  kind: 'schedule',
  name: 'cosine',
  description: 'Cosine annealing from the base rate to minLearningRate over period (torch CosineAnnealingLR).',
  schema: { period: { type: 'integer', min: 1, required: true }, minLearningRate: { type: 'number', min: 0, default: 0 }, unit: { ...unit, default: 'step' } },
  create: (c) => new CosineSchedule(c),
});
register({
  kind: 'schedule',
  name: 'linear-warmup',
  description: 'Linear warm-up over warmupSteps, then optionally another schedule (torch LinearLR + SequentialLR).',
  schema: {
    warmupSteps: { type: 'integer', min: 1, required: true },
    startFactor: { type: 'number', min: 0, max: 1, default: 0 },
    then: { type: 'object', description: 'A schedule spec { name, config } to continue with.' },
  },
  create: (c: { warmupSteps: number; startFactor: number; then?: ComponentSpec }) =>
    new LinearWarmupSchedule({ ...c, then: c.then ? createSchedule(c.then, 'schedule.then') : undefined }),
});
register({
  kind: 'schedule',
  name: 'reduce-on-plateau',
  description: 'Multiply the rate by factor when the monitored value stops improving (torch ReduceLROnPlateau).',
  schema: {
    monitor: { type: 'string', default: 'val.loss.total' },
    mode: { type: 'string', enum: ['min', 'max'], default: 'min' },
    factor: { type: 'number', min: 0, max: 1, default: 0.1 },
    patience: { type: 'integer', min: 0, default: 10 },
    threshold: { type: 'number', min: 0, default: 1e-4 },
    cooldown: { type: 'integer', min: 0, default: 0 },
    minLearningRate: { type: 'number', min: 0, default: 0 },
  },
  create: (c) => new ReduceOnPlateauSchedule(c),
});

/** Builds a schedule from its registry name and options. */
export function createSchedule(spec: ComponentSpec, path = 'schedule'): LearningRateSchedule {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string') {
    throw new ConfigError(`${path} must be { name, config? }, got ${JSON.stringify(spec)}.`);
  }
  return registry.create<LearningRateSchedule>('schedule', spec.name, spec.config ?? {}, path);
}
