import { registry, type ConfigSchema } from '@polyfuse/core';
import { CAGrad, type CAGradRescale } from './weighting/caGrad.js';
import { DynamicWeightAverage } from './weighting/dynamicWeightAverage.js';
import { GradNorm } from './weighting/gradNorm.js';
import { Mgda, type MgdaNormalisation } from './weighting/mgda.js';
import { OgmGe } from './weighting/ogmGe.js';
import { PCGrad } from './weighting/pcGrad.js';
import { StaticWeighting } from './weighting/staticWeighting.js';
import { UncertaintyWeighting } from './weighting/uncertaintyWeighting.js';
import type { WeightingStrategy } from './weighting/weightingStrategy.js';

const weights: ConfigSchema[string] = {
  type: 'object',
  description: 'Weight per loss term name, e.g. { "image": 1, "text": 0.5 }; each >= 0.',
};
const terms: ConfigSchema[string] = {
  type: 'string[]',
  description: 'Loss term names, to create the learned variables before the first step.',
};

interface WeightingEntry {
  name: string;
  description: string;
  schema: ConfigSchema;
  create: (config: Record<string, any>) => WeightingStrategy;
}

const weightingEntries: WeightingEntry[] = [
  {
    name: 'static',
    description: 'Fixed weighted sum Σ w_i L_i.',
    schema: { weights, defaultWeight: { type: 'number', default: 1, min: 0 } },
    create: (c) => new StaticWeighting(c),
  },
  {
    name: 'uncertainty',
    description: 'Learned homoscedastic uncertainty weights (Kendall, Gal & Cipolla 2018).',
    schema: { terms, initialLogVariance: { type: 'number', default: 0 } },
    create: (c) => new UncertaintyWeighting(c),
  },
  {
    name: 'dwa',
    description: 'Dynamic Weight Average (Liu, Johns & Davison 2019).',
    schema: { temperature: { type: 'number', default: 2, min: 0 } },
    create: (c) => new DynamicWeightAverage(c),
  },
  {
    name: 'gradnorm',
    description: 'GradNorm: learned weights that balance gradient norms (Chen et al. 2018).',
    schema: { alpha: { type: 'number', default: 1.5, min: 0 }, terms },
    create: (c) => new GradNorm(c),
  },
  {
    name: 'pcgrad',
    description: 'PCGrad gradient surgery on the shared variables (Yu et al. 2020).',
    schema: { weights, seed: { type: 'integer', default: 0 } },
    create: (c) => new PCGrad(c),
  },
  {
    name: 'mgda',
    description: 'MGDA min-norm common descent direction (Sener & Koltun 2018).',
    schema: { normalisation: { type: 'string', enum: ['none', 'l2', 'loss', 'loss+'], default: 'none' } },
    create: (c) => new Mgda({ normalisation: c.normalisation as MgdaNormalisation }),
  },
  {
    name: 'cagrad',
    description: 'CAGrad conflict-averse update on the shared variables (Liu et al. 2021).',
    schema: {
      c: { type: 'number', default: 0.4, min: 0 },
      rescale: { type: 'integer', enum: [0, 1, 2], default: 1 },
    },
    create: (c) => new CAGrad({ c: c.c, rescale: c.rescale as CAGradRescale }),
  },
  {
    name: 'ogm-ge',
    description: 'OGM-GE modality balancing: damp the dominant encoder, add Gaussian enhancement (Peng et al. 2022).',
    schema: {
      alpha: { type: 'number', default: 0.1, min: 0 },
      gaussianEnhancement: { type: 'boolean', default: true },
      modulationStarts: { type: 'integer', default: 0, min: 0 },
      modulationEnds: { type: 'integer', default: 50, min: 0 },
      weights,
      seed: { type: 'integer', default: 0 },
    },
    create: (c) => new OgmGe(c),
  },
];

/** Registers every weighting strategy as `weighting/<name>`. Runs once on import of @polyfuse/losses. */
export function registerWeightings(): void {
  for (const entry of weightingEntries) {
    if (registry.has('weighting', entry.name)) continue;
    registry.register<Record<string, any>, WeightingStrategy>({
      kind: 'weighting',
      name: entry.name,
      description: entry.description,
      schema: entry.schema,
      create: (config) => entry.create(config),
    });
  }
}
