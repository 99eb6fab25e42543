import { tf } from '../tf.js';
import { InputError } from '../errors/errors.js';
import type { ModelInputs, MultimodalModel } from '../model/multimodalModel.js';
import { contextMaskOutputName, contextOutputName } from './namedHead.js';

export interface GenerateOptions {
  /** 1 (default) decodes greedily; more runs beam search with that many beams. */
  beamWidth?: number;
  /** Stop after this many tokens (bos and eos included); default the target's maxLength. */
  maxLength?: number;
  /** GNMT length penalty for beam search (0 = none). */
  lengthPenalty?: number;
}

/**
 * Token ids a decoder head writes for each sample of a batch, without bos,
 * eos and padding: the model computes the head's context (fused embedding or
 * encoder sequence and its padding mask) once, then the decoder runs greedily
 * or with beam search. `scores` are beam search's length-normalised
 * log-probabilities.
 */
export function generateSequences(model: MultimodalModel, batch: ModelInputs, head: string, options: GenerateOptions = {}): { ids: number[][]; scores?: number[] } {
  const info = model.metadata.heads?.[head];
  if (!info || info.kind !== 'tokens') {
    const decoders = Object.entries(model.metadata.heads ?? {}).filter(([, i]) => i.kind === 'tokens').map(([h]) => h);
    throw new InputError(`'${head}' is not a decoder head of this model (decoder heads: ${decoders.join(', ') || 'none'}).`);
  }
  const decoder = model.decoders[head]!;
  const outputs = model.call({ inputs: batch.inputs, ...(batch.mask ? { mask: batch.mask } : {}) }, { training: false });
  const context = outputs[contextOutputName(head)]!;
  const contextMask = outputs[contextMaskOutputName(head)];
  tf.dispose(Object.entries(outputs).filter(([name]) => name !== contextOutputName(head) && name !== contextMaskOutputName(head)).map(([, t]) => t));
  try {
    const common = { ...(contextMask ? { contextMask } : {}), ...(options.maxLength ? { maxLength: options.maxLength } : {}) };
    const width = options.beamWidth ?? 1;
    if (width <= 1) return { ids: decoder.greedy(context, common) };
    return decoder.beamSearch(context, { ...common, beamWidth: width, ...(options.lengthPenalty !== undefined ? { lengthPenalty: options.lengthPenalty } : {}) });
  } finally {
    tf.dispose([context, ...(contextMask ? [contextMask] : [])]);
  }
}
