import { tf, type MultimodalModel } from '@polyfuse/core';

/** Class probabilities with both modalities, and with each one masked out. */
export interface Predictions {
  fused: number[];
  withoutImage: number[];
  withoutAudio: number[];
}

/**
 * Runs the model three times in one batch: as given, with the image's mask 0
 * and with the audio's mask 0. What the prediction becomes without a modality
 * is that modality's contribution. A missing input (nothing drawn, nothing
 * recorded) is zeros with mask 0 in every row.
 */
export function predictAllWays(model: MultimodalModel, image: Float32Array | undefined, audio: Float32Array | undefined): Predictions {
  return tf.tidy(() => {
    const imageRow = image ?? new Float32Array(28 * 28);
    const audioRow = audio ?? new Float32Array(40 * 32);
    const has = (input: unknown) => (input ? 1 : 0);
    const inputs = {
      image: tf.tensor4d(Float32Array.from({ length: 3 * imageRow.length }, (_, i) => imageRow[i % imageRow.length]!), [3, 28, 28, 1]),
      audio: tf.tensor4d(Float32Array.from({ length: 3 * audioRow.length }, (_, i) => audioRow[i % audioRow.length]!), [3, 40, 32, 1]),
    };
    const mask = { image: tf.tensor1d([has(image), 0, has(image)]), audio: tf.tensor1d([has(audio), has(audio), 0]) };
    const probabilities = tf.softmax(model.predict({ inputs, mask })).arraySync() as number[][];
    return { fused: probabilities[0]!, withoutImage: probabilities[1]!, withoutAudio: probabilities[2]! };
  });
}
