import { ConfigError, registry, type DecoderHead, type HeadContext, type TargetInfo } from '@polyfuse/core';
import { LstmDecoder } from '../decoders/lstmDecoder.js';
import { TransformerDecoder } from '../decoders/transformerDecoder.js';
import type { TextDecoder } from '../decoders/textDecoder.js';

/** Options of `head/text-decoder`; sizes and special ids come from the `sequence` target. */
export interface TextDecoderHeadConfig {
  /** `transformer` (default) or `lstm`. */
  decoder: 'transformer' | 'lstm';
  embeddingDim: number;
  dropout: number;
  /** Transformer blocks. */
  depth: number;
  numHeads: number;
  ffUnits?: number;
  /** LSTM units. */
  units: number;
}

/**
 * A sequence head: an LSTM or transformer decoder from this package, sized by
 * the fitted `sequence` target (vocabulary, longest sequence, special ids) and
 * conditioned on the head's input — the fused embedding, or a modality's
 * `[T, D]` encoder output with its padding mask (cross-attention).
 */
export function createTextDecoderHead(config: TextDecoderHeadConfig & HeadContext): DecoderHead {
  const target = config.target;
  if (!target || target.type !== 'sequence') {
    throw new ConfigError(`head 'text-decoder' predicts a sequence target (data.labels.<name>.type: sequence), got ${target ? `a '${target.type}' target` : 'no target'}.`);
  }
  const info = target as Required<Pick<TargetInfo, 'vocabSize' | 'maxLength' | 'padId' | 'bosId' | 'eosId'>>;
  const common = {
    vocabSize: info.vocabSize,
    maxLength: info.maxLength,
    padId: info.padId,
    bosId: info.bosId,
    eosId: info.eosId,
    contextShape: config.inputShape,
    embeddingDim: config.embeddingDim,
    dropout: config.dropout,
    name: config.namePrefix ?? 'decoder',
  };
  const decoder: TextDecoder =
    config.decoder === 'lstm'
      ? new LstmDecoder({ ...common, units: config.units }, config.existingLayer)
      : new TransformerDecoder({ ...common, depth: config.depth, numHeads: config.numHeads, ...(config.ffUnits ? { ffUnits: config.ffUnits } : {}) }, config.existingLayer);
  const saved = { decoder: config.decoder, embeddingDim: config.embeddingDim, dropout: config.dropout, depth: config.depth, numHeads: config.numHeads, units: config.units, ...(config.ffUnits ? { ffUnits: config.ffUnits } : {}) };
  return {
    kind: 'decoder',
    config: saved,
    padId: info.padId,
    bosId: info.bosId,
    eosId: info.eosId,
    maxLength: info.maxLength,
    applyDecoder: (context, contextMask, tokens) => decoder.applyDecoder(context, contextMask, tokens),
    greedy: (context, options) => decoder.greedy(context, options),
    beamSearch: (context, options) => decoder.beamSearch(context, options),
  };
}

registry.register(
  {
    kind: 'head',
    name: 'text-decoder',
    description: 'Text decoder head (transformer or LSTM) for sequence targets: captions, answers. Teacher-forced in training; greedy or beam search at prediction.',
    traits: { produces: 'tokens' },
    schema: {
      decoder: { type: 'string', enum: ['transformer', 'lstm'], default: 'transformer', description: 'Decoder architecture.' },
      embeddingDim: { type: 'integer', min: 1, default: 64, description: 'Token embedding (and transformer) width.' },
      dropout: { type: 'number', min: 0, max: 0.99, default: 0.1 },
      depth: { type: 'integer', min: 1, default: 2, description: 'Transformer blocks.' },
      numHeads: { type: 'integer', min: 1, default: 4, description: 'Transformer attention heads (embeddingDim must be divisible by it).' },
      ffUnits: { type: 'integer', min: 1, description: 'Transformer feed-forward units (default 2 × embeddingDim).' },
      units: { type: 'integer', min: 1, default: 64, description: 'LSTM units.' },
    },
    create: (config: TextDecoderHeadConfig & HeadContext) => createTextDecoderHead(config),
  },
  { override: true },
);
