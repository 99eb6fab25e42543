import { ConfigError, InputError, formatShape, tf, type ConfigSchema } from '@polyfuse/core';

/** Options every text decoder shares. */
export interface TextDecoderOptions {
  vocabSize: number;
  /**
   * Per-sample shape of what the decoder is conditioned on: `[D]` (a fused or
   * pooled embedding) or `[S, D]` (an encoder sequence, attended to).
   */
  contextShape: number[];
  /** Longest token sequence, bos and eos included. */
  maxLength: number;
  /** Special ids; the defaults match the word/char tokenizers (pad 0, bos 2, eos 3). */
  padId?: number;
  bosId?: number;
  eosId?: number;
  /** Token embedding width. Default 32. */
  embeddingDim?: number;
  dropout?: number;
  /** Layer-name prefix. Default `decoder`. */
  name?: string;
}

/** Options both decoders take from a config file. */
export const decoderSchema: ConfigSchema = {
  vocabSize: { type: 'integer', min: 2, required: true, description: 'Vocabulary size (tokenizer.vocabSize).' },
  contextShape: { type: 'number[]', required: true, description: '[D] for a fused embedding, [S, D] for an encoder sequence.' },
  maxLength: { type: 'integer', min: 2, required: true, description: 'Longest token sequence, bos and eos included.' },
  padId: { type: 'integer', min: 0, default: 0 },
  bosId: { type: 'integer', min: 0, default: 2 },
  eosId: { type: 'integer', min: 0, default: 3 },
  embeddingDim: { type: 'integer', min: 1, default: 32 },
  dropout: { type: 'number', min: 0, max: 0.99, default: 0 },
  name: { type: 'string', default: 'decoder', description: 'Layer-name prefix.' },
};

/** Result of beam search: per sample, the best ids (no bos/eos) and its length-normalised log-probability. */
export interface BeamResult {
  ids: number[][];
  scores: number[];
}

type S = tf.SymbolicTensor;

/**
 * Base of the autoregressive text decoders. Each is one tf.LayersModel with
 * inputs `context` (`[D]` or `[S, D]`), `context_mask` (`[S]`, only for
 * sequences: 1 real, 0 padding) and `tokens` (`[T]` int32, any T ≤ maxLength)
 * and output `logits` `[T, vocabSize]`, where position t predicts token t + 1.
 * Training uses teacher forcing (`loss`); generation uses `greedy` or
 * `beamSearch`, re-running the model on the growing prefix.
 */
export abstract class TextDecoder {
  readonly model: tf.LayersModel;
  readonly options: Required<TextDecoderOptions>;
  readonly sequenceContext: boolean;

  /** Layers by name: each is created once and applied again wherever the decoder is wired (its own model, a multimodal model). */
  private readonly layers = new Map<string, tf.layers.Layer>();
  private readonly existingLayer?: (name: string) => tf.layers.Layer | undefined;

  /**
   * `existingLayer` rebinds a decoder to layers that already exist (those of a
   * loaded multimodal model, by name) instead of creating new ones.
   */
  protected constructor(options: TextDecoderOptions, existingLayer?: (name: string) => tf.layers.Layer | undefined) {
    const o = { padId: 0, bosId: 2, eosId: 3, embeddingDim: 32, dropout: 0, name: 'decoder', ...options };
    if (!Number.isInteger(o.vocabSize) || o.vocabSize < 2) throw new ConfigError(`decoder.vocabSize must be an integer >= 2, got ${o.vocabSize}.`);
    if (!Number.isInteger(o.maxLength) || o.maxLength < 2) throw new ConfigError(`decoder.maxLength must be an integer >= 2 (bos + eos), got ${o.maxLength}.`);
    if (!Array.isArray(o.contextShape) || (o.contextShape.length !== 1 && o.contextShape.length !== 2) || o.contextShape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ConfigError(`decoder.contextShape must be [D] or [S, D] of positive integers, got ${JSON.stringify(o.contextShape)}.`);
    }
    for (const key of ['padId', 'bosId', 'eosId'] as const) {
      if (!Number.isInteger(o[key]) || o[key] < 0 || o[key] >= o.vocabSize) throw new ConfigError(`decoder.${key} must be an id in [0, ${o.vocabSize}), got ${o[key]}.`);
    }
    this.options = o;
    this.existingLayer = existingLayer;
    this.sequenceContext = o.contextShape.length === 2;
    const context = tf.input({ shape: o.contextShape, name: `${o.name}_context` });
    const contextMask = this.sequenceContext ? tf.input({ shape: [o.contextShape[0]!], name: `${o.name}_context_mask` }) : undefined;
    const tokens = tf.input({ shape: [null as unknown as number], dtype: 'int32', name: `${o.name}_tokens` });
    const logits = this.build(context, contextMask, tokens);
    this.model = tf.model({ inputs: contextMask ? [context, contextMask, tokens] : [context, tokens], outputs: logits, name: o.name });
  }

  /** Wires the decoder's layers (each obtained through `layer`): returns logits `[B, T, vocabSize]`. */
  protected abstract build(context: S, contextMask: S | undefined, tokens: S): S;

  /** The decoder's layer called `name`: made by `create` the first time, the same layer after (or the loaded one). */
  protected layer<L extends tf.layers.Layer>(name: string, create: () => L): L {
    let found = this.layers.get(name) ?? this.existingLayer?.(name);
    if (!found) found = create();
    this.layers.set(name, found);
    return found as L;
  }

  /**
   * Applies the decoder's layers to tensors of another graph (a multimodal
   * model's context and token inputs), sharing weights with `model`: training
   * that graph trains this decoder, and `greedy` / `beamSearch` decode with it.
   */
  applyDecoder(context: S, contextMask: S | undefined, tokens: S): S {
    if (this.sequenceContext !== (contextMask !== undefined)) {
      throw new InputError(`decoder ${this.options.name}: built for a ${this.sequenceContext ? 'sequence context with a padding mask' : 'pooled [D] context'} but wired to ${contextMask ? 'a sequence' : 'a pooled context'}.`);
    }
    return this.build(context, contextMask, tokens);
  }

  /** Logits `[B, T, vocabSize]` for token prefixes `[B, T]`. */
  logits(context: tf.Tensor, tokens: tf.Tensor, options: { contextMask?: tf.Tensor; training?: boolean } = {}): tf.Tensor {
    const batch = this.checkContext(context, options.contextMask);
    if (tokens.rank !== 2 || tokens.shape[0] !== batch || tokens.shape[1]! > this.options.maxLength) {
      throw new InputError(`decoder tokens must be [${batch}, T ≤ ${this.options.maxLength}], got ${formatShape(tokens.shape)}.`);
    }
    return tf.tidy(() => {
      const mask = this.sequenceContext ? options.contextMask ?? tf.ones(context.shape.slice(0, 2)) : undefined;
      const inputs = mask ? [context, mask, tf.cast(tokens, 'int32')] : [context, tf.cast(tokens, 'int32')];
      return this.model.apply(inputs, { training: options.training ?? false }) as tf.Tensor;
    });
  }

  /**
   * Teacher-forcing loss: `targets` `[B, L]` are full sequences (bos … eos,
   * then pad); the model reads `targets[:, :-1]` and is scored on predicting
   * `targets[:, 1:]` with cross-entropy averaged over non-pad targets.
   */
  loss(context: tf.Tensor, targets: tf.Tensor, options: { contextMask?: tf.Tensor; training?: boolean } = {}): tf.Scalar {
    if (targets.rank !== 2 || targets.shape[1]! < 2) throw new InputError(`decoder targets must be [batch, L ≥ 2] (bos … eos), got ${formatShape(targets.shape)}.`);
    return tf.tidy(() => {
      const length = targets.shape[1]!;
      const ids = tf.cast(targets, 'int32');
      const inputs = ids.slice([0, 0], [-1, length - 1]);
      const labels = ids.slice([0, 1], [-1, length - 1]);
      const logProbs = tf.logSoftmax(this.logits(context, inputs, { ...options, training: options.training ?? true }));
      const picked = tf.sum(tf.mul(logProbs, tf.cast(tf.oneHot(labels, this.options.vocabSize), 'float32')), -1);
      const weights = tf.cast(tf.notEqual(labels, tf.scalar(this.options.padId, 'int32')), 'float32');
      return tf.div(tf.neg(tf.sum(tf.mul(picked, weights))), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
    });
  }

  /** Greedy decoding: the most likely next token until eos or `maxLength`; returns ids without bos/eos. */
  greedy(context: tf.Tensor, options: { contextMask?: tf.Tensor; maxLength?: number } = {}): number[][] {
    const batch = this.checkContext(context, options.contextMask);
    const limit = Math.min(options.maxLength ?? this.options.maxLength, this.options.maxLength);
    const sequences = Array.from({ length: batch }, () => [this.options.bosId]);
    const done = new Array<boolean>(batch).fill(false);
    for (let step = 1; step < limit && done.includes(false); step++) {
      const next = tf.tidy(() => {
        const logits = this.logits(context, tf.tensor2d(sequences, undefined, 'int32'), { contextMask: options.contextMask });
        return Array.from(tf.argMax(logits.slice([0, step - 1, 0], [-1, 1, -1]).squeeze([1]), -1).dataSync());
      });
      next.forEach((id, i) => {
        sequences[i]!.push(done[i] ? this.options.padId : id);
        if (id === this.options.eosId) done[i] = true;
      });
    }
    return sequences.map((s) => this.strip(s));
  }

  /**
   * Beam search per sample: keeps the `beamWidth` best prefixes by summed
   * log-probability; a prefix ending in eos is finished. Finished hypotheses
   * are ranked by `logp / ((5 + length) / 6) ** lengthPenalty` (GNMT, Wu et
   * al. 2016; 0 = no normalisation). Ties go to the lower token id.
   */
  beamSearch(context: tf.Tensor, options: { contextMask?: tf.Tensor; beamWidth?: number; maxLength?: number; lengthPenalty?: number } = {}): BeamResult {
    const batch = this.checkContext(context, options.contextMask);
    const width = options.beamWidth ?? 4;
    if (!Number.isInteger(width) || width < 1) throw new ConfigError(`beamSearch.beamWidth must be a positive integer, got ${width}.`);
    const limit = Math.min(options.maxLength ?? this.options.maxLength, this.options.maxLength);
    const alpha = options.lengthPenalty ?? 0;
    const normalise = (logp: number, length: number) => logp / Math.pow((5 + length) / 6, alpha);
    const result: BeamResult = { ids: [], scores: [] };
    for (let i = 0; i < batch; i++) {
      const sampleContext = context.slice(i, 1);
      const sampleMask = options.contextMask?.slice(i, 1);
      let beams = [{ ids: [this.options.bosId], logp: 0 }];
      const finished: { ids: number[]; score: number }[] = [];
      for (let step = 1; step < limit && beams.length > 0; step++) {
        const logProbs = tf.tidy(() => {
          const repeat = (t: tf.Tensor) => tf.tile(t, [beams.length, ...t.shape.slice(1).map(() => 1)]);
          const logits = this.logits(repeat(sampleContext), tf.tensor2d(beams.map((b) => b.ids), undefined, 'int32'), { contextMask: sampleMask && repeat(sampleMask) });
          return tf.logSoftmax(logits.slice([0, step - 1, 0], [-1, 1, -1]).squeeze([1])).arraySync() as number[][];
        });
        const candidates: { ids: number[]; logp: number; token: number }[] = [];
        beams.forEach((beam, b) => logProbs[b]!.forEach((lp, token) => candidates.push({ ids: beam.ids, logp: beam.logp + lp, token })));
        candidates.sort((a, b) => b.logp - a.logp || a.token - b.token);
        const next: typeof beams = [];
        for (const c of candidates) {
          if (next.length >= width) break;
          const ids = [...c.ids, c.token];
          if (c.token === this.options.eosId) finished.push({ ids, score: normalise(c.logp, ids.length - 1) });
          else next.push({ ids, logp: c.logp });
        }
        beams = next;
        const bestOpen = beams.length > 0 ? Math.max(...beams.map((b) => normalise(b.logp, b.ids.length - 1))) : -Infinity;
        if (finished.length >= width && Math.max(...finished.map((f) => f.score)) >= bestOpen && alpha === 0) break;
      }
      for (const b of beams) finished.push({ ids: b.ids, score: normalise(b.logp, b.ids.length - 1) });
      finished.sort((a, b) => b.score - a.score);
      result.ids.push(this.strip(finished[0]!.ids));
      result.scores.push(finished[0]!.score);
      sampleContext.dispose();
      sampleMask?.dispose();
    }
    return result;
  }

  dispose(): void {
    this.model.dispose();
  }

  private strip(ids: number[]): number[] {
    const body = ids.slice(1);
    const end = body.indexOf(this.options.eosId);
    return (end >= 0 ? body.slice(0, end) : body).filter((id) => id !== this.options.padId);
  }

  private checkContext(context: tf.Tensor, mask?: tf.Tensor): number {
    const expected = this.options.contextShape;
    if (context.rank !== expected.length + 1 || context.shape.slice(1).some((d, i) => d !== expected[i])) {
      throw new InputError(`decoder context has shape ${formatShape(context.shape)}; expected ${formatShape([null, ...expected])}.`);
    }
    if (mask && (mask.rank !== 2 || mask.shape[0] !== context.shape[0] || mask.shape[1] !== expected[0])) {
      throw new InputError(`decoder contextMask has shape ${formatShape(mask.shape)}; expected [${context.shape[0]}, ${expected[0]}].`);
    }
    return context.shape[0]!;
  }
}
