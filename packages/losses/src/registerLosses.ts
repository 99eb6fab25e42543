import { registry, InputError, type ConfigSchema, type tf } from '@polyfuse/core';
import { bceWithLogitsLoss } from './losses/bceWithLogitsLoss.js';
import { clipContrastiveLoss } from './losses/clipContrastiveLoss.js';
import { cosineEmbeddingLoss } from './losses/cosineEmbeddingLoss.js';
import { crossEntropyLoss } from './losses/crossEntropyLoss.js';
import { huberLoss } from './losses/huberLoss.js';
import { klDivLoss } from './losses/klDivLoss.js';
import { l1Loss } from './losses/l1Loss.js';
import { mseLoss } from './losses/mseLoss.js';
import { nllLoss } from './losses/nllLoss.js';
import { sequenceCrossEntropy } from './losses/sequenceCrossEntropy.js';
import { sigmoidFocalLoss } from './losses/sigmoidFocalLoss.js';
import { smoothL1Loss } from './losses/smoothL1Loss.js';
import { tripletMarginLoss } from './losses/tripletMarginLoss.js';
import { checkWeights } from './weighting/termGradients.js';

/**
 * What `registry.create('loss', name, config)` returns: the loss with the
 * config's options bound. Two-argument losses take `(prediction, target)`;
 * `cosine-embedding` takes `(x1, x2, y)`, `triplet-margin` `(anchor,
 * positive, negative)` and `clip-contrastive` `(a, b, logitScale?, groups?)` (the
 * config's `logitScale` when omitted).
 */
export type LossFunction = (prediction: tf.Tensor, target: tf.Tensor, ...rest: tf.Tensor[]) => tf.Scalar;

const reduction: ConfigSchema[string] = {
  type: 'string',
  enum: ['mean', 'sum'],
  default: 'mean',
  description: "How per-element losses are combined ('none' is for direct calls only: a trainer needs a scalar).",
};
const classWeight: ConfigSchema[string] = { type: 'number[]', description: 'Weight per class, non-negative.' };

interface LossEntry {
  name: string;
  description: string;
  schema: ConfigSchema;
  build: (config: Record<string, any>) => LossFunction;
}

const lossEntries: LossEntry[] = [
  {
    name: 'mse',
    description: 'Mean squared error (torch mse_loss).',
    schema: { reduction },
    build: (c) => (p, t) => mseLoss(p, t, c),
  },
  {
    name: 'l1',
    description: 'Mean absolute error (torch l1_loss).',
    schema: { reduction },
    build: (c) => (p, t) => l1Loss(p, t, c),
  },
  {
    name: 'huber',
    description: 'Huber loss (torch huber_loss).',
    schema: { reduction, delta: { type: 'number', default: 1, min: 0, description: 'Quadratic-to-linear threshold, > 0.' } },
    build: (c) => (p, t) => huberLoss(p, t, c),
  },
  {
    name: 'smooth-l1',
    description: 'Smooth L1 loss (torch smooth_l1_loss).',
    schema: { reduction, beta: { type: 'number', default: 1, min: 0, description: 'Quadratic-to-linear threshold.' } },
    build: (c) => (p, t) => smoothL1Loss(p, t, c),
  },
  {
    name: 'bce-with-logits',
    description: 'Binary cross-entropy on logits, soft targets allowed (torch binary_cross_entropy_with_logits).',
    schema: {
      reduction,
      weight: { type: 'number[]', description: 'Per-element weight, broadcast along the last axis.' },
      posWeight: { type: 'number[]', description: 'Weight of positives per class.' },
    },
    build: (c) => (p, t) => bceWithLogitsLoss(p, t, c),
  },
  {
    name: 'cross-entropy',
    description: 'Cross-entropy of logits against class indices (torch cross_entropy).',
    schema: {
      reduction,
      weight: classWeight,
      ignoreIndex: { type: 'integer', default: -100, description: 'Target value to ignore.' },
      labelSmoothing: { type: 'number', default: 0, min: 0, max: 1, description: 'Label smoothing ε.' },
    },
    build: (c) => (p, t) => crossEntropyLoss(p, t, c),
  },
  {
    name: 'nll',
    description: 'Negative log-likelihood of log-probabilities (torch nll_loss).',
    schema: { reduction, weight: classWeight, ignoreIndex: { type: 'integer', default: -100 } },
    build: (c) => (p, t) => nllLoss(p, t, c),
  },
  {
    name: 'kl-div',
    description: 'KL divergence of log-probabilities from a target distribution (torch kl_div).',
    schema: {
      reduction: { type: 'string', enum: ['batchmean', 'mean', 'sum'], default: 'batchmean' },
      logTarget: { type: 'boolean', default: false },
    },
    build: (c) => (p, t) => klDivLoss(p, t, c as { reduction: 'batchmean' | 'mean' | 'sum' }),
  },
  {
    name: 'cosine-embedding',
    description: 'Cosine embedding loss; called as (x1, x2, y) with y = ±1 (torch cosine_embedding_loss).',
    schema: { reduction, margin: { type: 'number', default: 0, min: -1, max: 1 } },
    build: (c) => (x1, x2, y) => cosineEmbeddingLoss(x1, x2, requireTensor(y, 'cosine-embedding', 'y'), c),
  },
  {
    name: 'triplet-margin',
    description: 'Triplet margin loss; called as (anchor, positive, negative) (torch triplet_margin_loss).',
    schema: {
      reduction,
      margin: { type: 'number', default: 1, min: 0 },
      p: { type: 'number', default: 2, min: 0 },
      eps: { type: 'number', default: 1e-6, min: 0 },
      swap: { type: 'boolean', default: false },
    },
    build: (c) => (a, p, n) => tripletMarginLoss(a, p, requireTensor(n, 'triplet-margin', 'negative'), c),
  },
  {
    name: 'sigmoid-focal',
    description: 'Sigmoid focal loss (torchvision.ops.sigmoid_focal_loss), reduced to a scalar.',
    schema: { reduction, alpha: { type: 'number', default: 0.25, max: 1 }, gamma: { type: 'number', default: 2, min: 0 } },
    build: (c) => (p, t) => sigmoidFocalLoss(p, t, c as { reduction: 'mean' | 'sum'; alpha: number; gamma: number }),
  },
  {
    name: 'clip-contrastive',
    description: "CLIP's symmetric InfoNCE; called as (a, b, logitScale?) with [N, D] embeddings.",
    schema: { logitScale: { type: 'number', default: 1 / 0.07, min: 0, description: '1 / temperature when none is passed.' } },
    build: (c) => (a, b, scale, groups) => clipContrastiveLoss(a, b, scale ?? (c.logitScale as number), groups),
  },
  {
    name: 'sequence-cross-entropy',
    description: 'Token cross-entropy of [B, T, V] logits, averaged over non-padding tokens.',
    schema: {
      padId: { type: 'integer', default: 0, description: 'Padding token id, ignored.' },
      labelSmoothing: { type: 'number', default: 0, min: 0, max: 1 },
    },
    build: (c) => (p, t) => sequenceCrossEntropy(p, t, c),
  },
];

function requireTensor(x: tf.Tensor | undefined, loss: string, name: string): tf.Tensor {
  if (x === undefined) throw new InputError(`loss/${loss} needs a third tensor argument '${name}'.`);
  return x;
}

/** Registers every loss as `loss/<kebab-name>`. Runs once on import of @polyfuse/losses. */
export function registerLosses(): void {
  for (const entry of lossEntries) {
    if (registry.has('loss', entry.name)) continue;
    registry.register<Record<string, any>, LossFunction>({
      kind: 'loss',
      name: entry.name,
      description: entry.description,
      schema: entry.schema,
      create: (config) => {
        // Negative class or sample weights are a config mistake: report it now, not at the first step.
        for (const key of ['weight', 'posWeight']) {
          if (Array.isArray(config[key])) checkWeights({ ...config[key] }, `loss/${entry.name}.${key}`);
        }
        return entry.build(config);
      },
    });
  }
}
