import { tf, ConfigError, type RegistryEntry } from '@polyfuse/core';
import { FusionLayer, type FusionLayerArgs, type SampleShape } from '../layers/fusionLayer.js';
import { activate, nonNegativeRatio, layerNorm, linear, maskEmbedding, maskSteps } from '../layers/tensorOps.js';
import { sinusoidalPositions } from '../layers/positionalEncoding.js';
import { LayerFusion, modalitiesField, resolveModalities, userConfig } from './layerFusion.js';

export interface CrossModalTransformerArgs extends FusionLayerArgs {
  /** Model width every modality is projected to. Default 32. */
  dModel?: number;
  /** Attention heads; must divide dModel. Default 4. */
  numHeads?: number;
  /** Cross-modal blocks per (target, source) pair. Default 1. */
  numLayers?: number;
  /** Feed-forward width. Default 2 * dModel. */
  ffnUnits?: number;
  /**
   * For a sequence embedding that comes without a padding mask, treat its
   * all-zero time steps as padding (a fallback guess). Default true.
   */
  paddingFromZeros?: boolean;
}

interface BlockWeights {
  lnQuery: [tf.LayerVariable, tf.LayerVariable];
  lnSource: [tf.LayerVariable, tf.LayerVariable];
  query: [tf.LayerVariable, tf.LayerVariable];
  key: [tf.LayerVariable, tf.LayerVariable];
  value: [tf.LayerVariable, tf.LayerVariable];
  output: [tf.LayerVariable, tf.LayerVariable];
  lnFeedForward: [tf.LayerVariable, tf.LayerVariable];
  feedForward1: [tf.LayerVariable, tf.LayerVariable];
  feedForward2: [tf.LayerVariable, tf.LayerVariable];
}

interface PairWeights {
  target: number;
  source: number;
  blocks: BlockWeights[];
  lnOut: [tf.LayerVariable, tf.LayerVariable];
}

/**
 * MulT-style cross-modal transformer (Tsai et al., 2019, "Multimodal
 * Transformer for Unaligned Multimodal Language Sequences"). Each modality's
 * `[B, T_i, D_i]` sequence (a pooled `[B, D_i]` embedding is a length-1
 * sequence) is projected to `dModel`, scaled by `sqrt(dModel)`, and given
 * sinusoidal positions plus a learned modality embedding. For every ordered
 * pair (target i, source j ≠ i), pre-LayerNorm cross-modal blocks let i's
 * time steps attend to j's: `x ← x + MHA(LN(x), LN(h_j))`,
 * `x ← x + FFN(LN(x))`, then a final LayerNorm. Each pair's sequence is
 * mean-pooled over i's valid time steps; the pooled vectors are concatenated
 * in (target, source) order: output size `n (n - 1) dModel`.
 *
 * Masks: keys of an absent modality, and padding steps, are excluded from
 * attention, and padding steps are left out of the mean pooling; a query
 * with no valid key gets a zero attention output. An absent target gives a
 * zero vector for its pairs. Padding steps are those the modality's padding
 * mask (`Fusion.apply`'s `paddingMasks`, from the encoder's `paddingMask`)
 * marks 0; their values are zeroed first, so the output does not depend on
 * them. Only a sequence that comes without a padding mask falls back to the
 * old guess: all-zero embedding vectors are padding, when `paddingFromZeros`
 * (a real step that happens to be all zeros is then dropped too). Dropout is
 * not applied.
 */
export class CrossModalTransformerLayer extends FusionLayer {
  static className = 'PolyfuseCrossModalTransformer';
  readonly dModel: number;
  readonly numHeads: number;
  readonly numLayers: number;
  readonly ffnUnits: number;
  readonly paddingFromZeros: boolean;
  private projections: [tf.LayerVariable, tf.LayerVariable][] = [];
  private modalityEmbedding?: tf.LayerVariable;
  private pairs: PairWeights[] = [];

  constructor(args: CrossModalTransformerArgs) {
    super(args);
    this.dModel = args.dModel ?? 32;
    this.numHeads = args.numHeads ?? 4;
    this.numLayers = args.numLayers ?? 1;
    this.ffnUnits = args.ffnUnits && args.ffnUnits > 0 ? args.ffnUnits : 2 * this.dModel;
    this.paddingFromZeros = args.paddingFromZeros ?? true;
    if (args.numModalities < 2) throw new ConfigError('The cross-modal transformer needs at least two modalities.');
    if (this.dModel % this.numHeads !== 0) throw new ConfigError(`modelDim (${this.dModel}) must be divisible by numHeads (${this.numHeads}).`);
  }

  fusedShape(shapes: SampleShape[]): SampleShape {
    for (const s of shapes) {
      if (s.length !== 1 && s.length !== 2) throw new ConfigError(`The cross-modal transformer fuses [B, D] or [B, T, D] embeddings; got a per-sample shape of [${s.join(', ')}].`);
    }
    return [shapes.length * (shapes.length - 1) * this.dModel];
  }

  protected createWeights(shapes: SampleShape[]): void {
    const d = this.dModel;
    shapes.forEach((s, i) => {
      this.projections.push([this.weight(`projection_kernel_${i}`, [s[s.length - 1], d]), this.weight(`projection_bias_${i}`, [d], 'zeros')]);
    });
    this.modalityEmbedding = this.weight('modality_embedding', [shapes.length, d], tf.initializers.randomNormal({ stddev: 0.02 }));
    const dense = (name: string, input: number, output: number): [tf.LayerVariable, tf.LayerVariable] => [
      this.weight(`${name}_kernel`, [input, output]),
      this.weight(`${name}_bias`, [output], 'zeros'),
    ];
    const norm = (name: string): [tf.LayerVariable, tf.LayerVariable] => [this.weight(`${name}_gamma`, [d], 'ones'), this.weight(`${name}_beta`, [d], 'zeros')];
    for (let target = 0; target < shapes.length; target++) {
      for (let source = 0; source < shapes.length; source++) {
        if (source === target) continue;
        const prefix = `pair_${target}_${source}`;
        const blocks: BlockWeights[] = [];
        for (let l = 0; l < this.numLayers; l++) {
          const p = `${prefix}_block_${l}`;
          blocks.push({
            lnQuery: norm(`${p}_ln_query`),
            lnSource: norm(`${p}_ln_source`),
            query: dense(`${p}_query`, d, d),
            key: dense(`${p}_key`, d, d),
            value: dense(`${p}_value`, d, d),
            output: dense(`${p}_output`, d, d),
            lnFeedForward: norm(`${p}_ln_ffn`),
            feedForward1: dense(`${p}_ffn_1`, d, this.ffnUnits),
            feedForward2: dense(`${p}_ffn_2`, this.ffnUnits, d),
          });
        }
        this.pairs.push({ target, source, blocks, lnOut: norm(`${prefix}_ln_out`) });
      }
    }
  }

  protected fuse(embeddings: tf.Tensor[], present: tf.Tensor2D[], _training: boolean, padding?: (tf.Tensor2D | undefined)[]): tf.Tensor {
    return this.run(embeddings, present, padding).output;
  }

  /**
   * Head-averaged attention of the last block of each (target, source) pair,
   * keyed `<target>-><source>` by input index: `[B, T_target, T_source]`.
   */
  attentionMaps(inputs: tf.Tensor[]): Record<string, tf.Tensor3D> {
    return tf.tidy(() => {
      const { embeddings, present, padding } = this.splitInputs(inputs);
      return this.run(embeddings, present, padding).maps;
    });
  }

  private run(embeddings: tf.Tensor[], present: tf.Tensor2D[], padding: (tf.Tensor2D | undefined)[] = []): { output: tf.Tensor; maps: Record<string, tf.Tensor3D> } {
    const d = this.dModel;
    const sequences: tf.Tensor3D[] = [];
    const valid: tf.Tensor2D[] = [];
    embeddings.forEach((e, i) => {
      const realSteps = padding[i];
      let x = maskEmbedding(e, present[i]);
      if (realSteps) x = maskSteps(x, realSteps);
      const x3 = (x.rank === 2 ? tf.expandDims(x, 1) : x) as tf.Tensor3D;
      let v = tf.mul(tf.ones([x3.shape[0], x3.shape[1]]), present[i]) as tf.Tensor2D;
      if (realSteps) {
        v = tf.mul(v, tf.cast(tf.greater(realSteps, 0.5), 'float32')) as tf.Tensor2D;
      } else if (x.rank === 3 && this.paddingFromZeros) {
        // The fallback guess. greaterEqual (not greater): tfjs has a (zero) gradient for it, so training can differentiate through.
        v = tf.mul(v, tf.sub(1, tf.cast(tf.greaterEqual(0, tf.sum(tf.square(x3), 2)), 'float32'))) as tf.Tensor2D;
      }
      const [kernel, bias] = this.projections[i];
      const projected = tf.mul(linear(x3, kernel.read(), bias.read()), Math.sqrt(d));
      const modality = tf.reshape(tf.slice(this.modalityEmbedding!.read(), [i, 0], [1, d]), [1, 1, d]);
      sequences.push(tf.add(tf.add(projected, tf.expandDims(sinusoidalPositions(x3.shape[1], d), 0)), modality) as tf.Tensor3D);
      valid.push(v);
    });
    const pooled: tf.Tensor[] = [];
    const maps: Record<string, tf.Tensor3D> = {};
    for (const pair of this.pairs) {
      let x: tf.Tensor = sequences[pair.target];
      let probs: tf.Tensor | undefined;
      for (const block of pair.blocks) {
        const attended = this.attend(layerNorm(x, block.lnQuery[0].read(), block.lnQuery[1].read()), layerNorm(sequences[pair.source], block.lnSource[0].read(), block.lnSource[1].read()), valid[pair.source], block);
        probs = attended.probs;
        x = tf.add(x, attended.output);
        const hidden = activate(linear(layerNorm(x, block.lnFeedForward[0].read(), block.lnFeedForward[1].read()), block.feedForward1[0].read(), block.feedForward1[1].read()), 'relu');
        x = tf.add(x, linear(hidden, block.feedForward2[0].read(), block.feedForward2[1].read()));
      }
      x = layerNorm(x, pair.lnOut[0].read(), pair.lnOut[1].read());
      const weights = tf.expandDims(valid[pair.target], 2);
      pooled.push(nonNegativeRatio(tf.sum(tf.mul(x, weights), 1), tf.sum(weights, 1)));
      maps[`${pair.target}->${pair.source}`] = tf.mean(probs!, 1) as tf.Tensor3D;
    }
    return { output: tf.concat(pooled, 1), maps };
  }

  /** Multi-head attention of `query` `[B, Tq, d]` over `source` `[B, Tk, d]`, keys masked by `keyValid` `[B, Tk]`. */
  private attend(query: tf.Tensor, source: tf.Tensor, keyValid: tf.Tensor2D, block: BlockWeights): { output: tf.Tensor; probs: tf.Tensor } {
    const batch = query.shape[0];
    const tq = query.shape[1]!;
    const tk = source.shape[1]!;
    const h = this.numHeads;
    const dk = this.dModel / h;
    const heads = (x: tf.Tensor, steps: number) => tf.transpose(tf.reshape(x, [batch, steps, h, dk]), [0, 2, 1, 3]) as tf.Tensor4D;
    const q = heads(linear(query, block.query[0].read(), block.query[1].read()), tq);
    const k = heads(linear(source, block.key[0].read(), block.key[1].read()), tk);
    const v = heads(linear(source, block.value[0].read(), block.value[1].read()), tk);
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(dk));
    // greaterEqual: the only comparison with a (zero) gradient, and keyValid depends on the inputs.
    const keyMask = tf.broadcastTo(tf.greaterEqual(tf.reshape(keyValid, [batch, 1, 1, tk]), 0.5), scores.shape);
    const anyKey = tf.reshape(tf.cast(tf.greaterEqual(tf.sum(keyValid, 1), 0.5), 'float32'), [batch, 1, 1, 1]);
    const probs = tf.mul(tf.softmax(tf.where(keyMask, scores, tf.fill(scores.shape, -1e9))), anyKey);
    const context = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [batch, tq, this.dModel]);
    return { output: linear(context, block.output[0].read(), block.output[1].read()), probs };
  }

  protected fusionConfig(): tf.serialization.ConfigDict {
    return { dModel: this.dModel, numHeads: this.numHeads, numLayers: this.numLayers, ffnUnits: this.ffnUnits, paddingFromZeros: this.paddingFromZeros };
  }
}
tf.serialization.registerClass(CrossModalTransformerLayer);

export const crossModalTransformerEntry: RegistryEntry<Record<string, unknown>, LayerFusion<CrossModalTransformerLayer>> = {
  kind: 'fusion',
  name: 'cross-modal-transformer',
  description: 'MulT-style pairwise cross-modal attention over [B, T, D] (or pooled [B, D]) embeddings.',
  schema: {
    ...modalitiesField,
    modelDim: { type: 'integer', min: 1, default: 32, description: 'Width each modality is projected to.', deprecated: { names: ['dModel'] } },
    numHeads: { type: 'integer', min: 1, default: 4, description: 'Attention heads (must divide modelDim).' },
    depth: { type: 'integer', min: 1, default: 1, description: 'Cross-modal blocks per modality pair.', deprecated: { names: ['numLayers'] } },
    ffUnits: { type: 'integer', min: 0, default: 0, description: 'Feed-forward width; 0 = 2 * modelDim.', deprecated: { names: ['ffnUnits'] } },
    paddingFromZeros: { type: 'boolean', default: true, description: 'For a sequence without a padding mask, treat its all-zero time steps as padding.' },
  },
  create(config) {
    const { modalities, inputShapes } = resolveModalities('cross-modal-transformer', config, 2);
    const layer = new CrossModalTransformerLayer({
      numModalities: modalities.length,
      // The layer keeps its original argument names: they are stored in saved models.
      dModel: config.modelDim as number,
      numHeads: config.numHeads as number,
      numLayers: config.depth as number,
      ffnUnits: config.ffUnits as number,
      paddingFromZeros: config.paddingFromZeros as boolean,
    });
    return new LayerFusion(layer, modalities, inputShapes, userConfig('cross-modal-transformer', config));
  },
};
