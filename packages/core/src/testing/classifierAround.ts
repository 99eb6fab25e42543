import { MultimodalModel } from '../model/multimodalModel.js';
import { withSeed } from '../random/withSeed.js';
import type { Encoder } from '../contracts/encoder.js';
import { linearHead, passThroughFusion } from './testParts.js';

export interface ClassifierAroundOptions {
  /** The model's modality name (its input). Default 'input'. */
  modality?: string;
  /** Seed for the head's initial weights. Default 0. */
  seed?: number;
}

/**
 * Wraps one encoder in a MultimodalModel with `passThroughFusion` and a
 * `linearHead` of `classes` logits: the smallest model that trains the encoder.
 */
export function classifierAround(encoder: Encoder, classes: number, options: ClassifierAroundOptions = {}): MultimodalModel {
  const { modality = 'input', seed = 0 } = options;
  return withSeed(seed, () =>
    MultimodalModel.fromParts({ encoders: { [modality]: encoder }, fusion: passThroughFusion(modality, encoder.outputShape), head: linearHead(classes) }),
  );
}
