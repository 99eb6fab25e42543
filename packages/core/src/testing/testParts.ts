import { tf } from '../tf.js';
import { MaskedMeanPooling } from '../layers/maskedMeanPooling.js';
import { registry } from '../registry/registry.js';
import type { Fusion } from '../contracts/fusion.js';
import type { Head } from '../contracts/head.js';

/**
 * The simplest fusion that carries any single encoder to a head: a vector
 * embedding `[D]` passes through, a sequence `[T, D]` is averaged over time
 * (over its real steps when `apply` is given the modality's padding mask),
 * anything of higher rank (feature maps) is flattened.
 */
export function passThroughFusion(modality: string, embeddingShape: readonly number[]): Fusion {
  const reduce =
    embeddingShape.length === 1
      ? undefined
      : embeddingShape.length === 2
        ? new MaskedMeanPooling({ name: 'test_fusion_mean' })
        : tf.layers.flatten({ name: 'test_fusion_flatten' });
  const outputShape = embeddingShape.length === 2 ? [embeddingShape[1]!] : [embeddingShape.reduce((a, b) => a * b, 1)];
  const apply = (embeddings: Record<string, tf.Tensor>, _masks: Record<string, tf.Tensor>, paddingMasks: Record<string, tf.Tensor> = {}): tf.Tensor => {
    const x = embeddings[modality]!;
    if (!reduce) return x;
    const padding = embeddingShape.length === 2 ? paddingMasks[modality] : undefined;
    return reduce.apply(padding ? [x, padding] : x) as tf.Tensor;
  };
  return { modalities: [modality], outputShape, config: {}, apply: apply as Fusion['apply'] };
}

/** A dense layer to `classes` logits. */
export function linearHead(classes: number): Head {
  const dense = tf.layers.dense({ units: classes, name: 'test_head' });
  return { outputShape: [classes], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Head['apply'] };
}

/**
 * Registers `fusion/test-pass` (`passThroughFusion` of the only modality) and
 * `head/test-dense` (`linearHead` with `units` classes), so encoder packages
 * can test registry-built models without depending on @polyfuse/fusion.
 */
export function registerTestParts(): void {
  registry.register(
    {
      kind: 'fusion',
      name: 'test-pass',
      create: (config: { inputShapes: Record<string, number[]> }): Fusion => {
        const [modality, shape] = Object.entries(config.inputShapes)[0]!;
        return passThroughFusion(modality, shape);
      },
    },
    { override: true },
  );
  registry.register({ kind: 'head', name: 'test-dense', create: (config: { units: number }): Head => linearHead(config.units) }, { override: true });
}
