import { trainingRegistry } from '../trainingRegistry.js';
import type { Schedule } from '../contracts.js';

/** `schedule/constant`: the base learning rate throughout. */
trainingRegistry.register({
  kind: 'schedule',
  name: 'constant',
  description: 'The optimizer\'s learning rate, unchanged.',
  schema: {},
  create: (): Schedule => (_epoch, base) => base,
});

/** `schedule/step`: base * gamma^floor(epoch / stepSize) (torch.optim.lr_scheduler.StepLR). */
trainingRegistry.register({
  kind: 'schedule',
  name: 'step',
  description: 'Multiply by gamma every stepSize epochs (torch StepLR).',
  schema: {
    stepSize: { type: 'integer', default: 10, min: 1 },
    gamma: { type: 'number', default: 0.1, min: 0 },
  },
  create: (c: { stepSize: number; gamma: number }): Schedule => (epoch, base) => base * c.gamma ** Math.floor(epoch / c.stepSize),
});

/**
 * `schedule/cosine`: linear warm-up over `warmupEpochs` (base * (e + 1) /
 * (warmupEpochs + 1)), then torch's CosineAnnealingLR closed form with
 * T_max = epochs - warmupEpochs: min + (base - min) (1 + cos(pi t / T_max)) / 2
 * at t = epoch - warmupEpochs, so the rate reaches `minLearningRate` just
 * after the last epoch rather than wasting it at the minimum.
 */
trainingRegistry.register({
  kind: 'schedule',
  name: 'cosine',
  description: 'Linear warm-up, then cosine decay to minLearningRate (torch CosineAnnealingLR).',
  schema: {
    warmupEpochs: { type: 'integer', default: 0, min: 0 },
    minLearningRate: { type: 'number', default: 0, min: 0 },
  },
  create: (c: { warmupEpochs: number; minLearningRate: number; epochs: number }): Schedule => (epoch, base) => {
    if (epoch < c.warmupEpochs) return (base * (epoch + 1)) / (c.warmupEpochs + 1);
    const span = Math.max(1, c.epochs - c.warmupEpochs);
    const progress = Math.min(1, (epoch - c.warmupEpochs) / span);
    return c.minLearningRate + 0.5 * (base - c.minLearningRate) * (1 + Math.cos(Math.PI * progress));
  },
});
