import type { Head, RegistryEntry } from '@polyfuse/core';
import { createMlpHead, type MlpHeadOptions } from './mlpHead.js';

/**
 * A projection head for contrastive matching (CLIP's image and text
 * projections): `[dense(h) → activation]* → dense(dim)`, one per modality,
 * each giving an `embedding_<modality>` output. The contrastive loss
 * L2-normalises the embeddings; `learnableTemperature` adds CLIP's learnable
 * logit scale as the model output `logit_scale`.
 */
export const projectionHeadEntry: RegistryEntry<Record<string, unknown>, Head> = {
  kind: 'head',
  name: 'projection',
  description: 'Projection to a shared embedding space, one per modality (contrastive matching; outputs embedding_<modality> and logit_scale).',
  traits: { produces: 'embedding' },
  schema: {
    dim: { type: 'integer', min: 1, default: 64, description: 'Width of the shared embedding space.' },
    hiddenUnits: { type: 'number[]', default: [], description: 'Hidden layer sizes before the projection.' },
    activation: { type: 'string', default: 'relu', description: 'Hidden activation.' },
    modalities: { type: 'string[]', description: 'Modalities to project (default: every modality).' },
    learnableTemperature: { type: 'boolean', default: true, description: 'Learn the contrastive temperature (CLIP); false uses the loss config\'s logitScale.' },
    initialTemperature: { type: 'number', min: 0.001, default: 0.07, description: 'Starting temperature (CLIP: 0.07).' },
    units: { type: 'integer', min: 1, description: 'Set from dim by the model; do not type it.' },
  },
  create: (config) => {
    const c = config as unknown as MlpHeadOptions & { dim: number };
    return createMlpHead({ inputShape: c.inputShape, units: c.units ?? c.dim, hiddenUnits: c.hiddenUnits ?? [], activation: c.activation ?? 'relu', ...(c.namePrefix ? { namePrefix: c.namePrefix } : {}) });
  },
};
