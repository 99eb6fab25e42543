import { tf, SeededRandom, type Batch } from '@polyfuse/core';
import type { BatchSource } from '@polyfuse/trainer';
import type { DigitDataset } from './dataset.js';

/**
 * The rows of one split as trainer batches, shuffled per epoch (seeded, so a
 * rerun sees the same order) when `shuffleSeed` is given. Both modalities are
 * present in every row; the trainer's modality dropout masks them.
 */
export function memoryBatches(data: DigitDataset, split: number, batchSize: number, shuffleSeed?: number): BatchSource {
  const rows = Array.from({ length: data.count }, (_, i) => i).filter((i) => data.splits[i] === split);
  const pixels = data.images.length / data.count;
  const mels = data.logMels.length / data.count;
  return {
    batchCount: Math.ceil(rows.length / batchSize),
    async *batches(epoch, options = {}) {
      const order = rows.slice();
      if (shuffleSeed !== undefined) new SeededRandom(shuffleSeed + epoch).shuffle(order);
      for (let start = (options.skip ?? 0) * batchSize; start < order.length; start += batchSize) {
        const chosen = order.slice(start, start + batchSize);
        const image = new Float32Array(chosen.length * pixels);
        const audio = new Float32Array(chosen.length * mels);
        chosen.forEach((row, i) => {
          image.set(data.images.subarray(row * pixels, (row + 1) * pixels), i * pixels);
          audio.set(data.logMels.subarray(row * mels, (row + 1) * mels), i * mels);
        });
        const batch: Batch = {
          inputs: { image: tf.tensor4d(image, [chosen.length, 28, 28, 1]), audio: tf.tensor4d(audio, [chosen.length, 40, 32, 1]) },
          mask: { image: tf.ones([chosen.length]), audio: tf.ones([chosen.length]) },
          targets: { label: tf.tensor1d(chosen.map((row) => data.labels[row]!), 'int32') },
          ids: chosen.map(String),
        };
        yield batch;
      }
    },
  };
}
