import { registry, type ComponentSpec, type ConfigSchema } from '@polyfuse/core';
import type { Optimizer } from './optimizer.js';
import { Sgd } from './sgd.js';
import { Adam, AdamW } from './adam.js';
import { Rmsprop } from './rmsprop.js';

const learningRate = { type: 'number', min: 0, description: 'Learning rate.' } as const;
const weightDecay = { type: 'number', min: 0, default: 0, description: 'L2 penalty added to the gradient (torch semantics).' } as const;

const optimizers: { name: string; description: string; schema: ConfigSchema; create: (c: any) => Optimizer }[] = [
  {
    name: 'sgd',
    description: 'SGD with optional momentum and Nesterov momentum (torch.optim.SGD).',
    schema: {
      learningRate: { ...learningRate, default: 0.01 },
      momentum: { type: 'number', min: 0, default: 0 },
      dampening: { type: 'number', min: 0, default: 0 },
      nesterov: { type: 'boolean', default: false },
      weightDecay,
    },
    create: (c) => new Sgd(c),
  },
  {
    name: 'adam',
    description: 'Adam (torch.optim.Adam); weightDecay is an L2 term in the gradient.',
    schema: {
      learningRate: { ...learningRate, default: 0.001 },
      beta1: { type: 'number', min: 0, max: 1, default: 0.9 },
      beta2: { type: 'number', min: 0, max: 1, default: 0.999 },
      epsilon: { type: 'number', min: 0, default: 1e-8 },
      weightDecay,
    },
    create: (c) => new Adam(c),
  },
  {
    name: 'adamw',
    description: 'AdamW: Adam with decoupled weight decay (torch.optim.AdamW).',
    schema: {
      learningRate: { ...learningRate, default: 0.001 },
      beta1: { type: 'number', min: 0, max: 1, default: 0.9 },
      beta2: { type: 'number', min: 0, max: 1, default: 0.999 },
      epsilon: { type: 'number', min: 0, default: 1e-8 },
      weightDecay: { type: 'number', min: 0, default: 0.01, description: 'Decoupled decay: p *= 1 - lr * weightDecay.' },
    },
    create: (c) => new AdamW(c),
  },
  {
    name: 'rmsprop',
    description: 'RMSprop with optional momentum and centering (torch.optim.RMSprop).',
    schema: {
      learningRate: { ...learningRate, default: 0.01 },
      alpha: { type: 'number', min: 0, max: 1, default: 0.99 },
      epsilon: { type: 'number', min: 0, default: 1e-8 },
      momentum: { type: 'number', min: 0, default: 0 },
      centered: { type: 'boolean', default: false },
      weightDecay,
    },
    create: (c) => new Rmsprop(c),
  },
];

for (const entry of optimizers) {
  if (!registry.has('optimizer', entry.name)) registry.register({ kind: 'optimizer', ...entry });
}

/** Builds an optimizer from its registry name and options (`{ name: 'adamw', config: { learningRate: 3e-4 } }`). */
export function createOptimizer(spec: ComponentSpec): Optimizer {
  return registry.create<Optimizer>('optimizer', spec.name, spec.config ?? {}, `optimizer`);
}
