import { tf } from '../tf.js';
import { modelFromFiles, modelToFiles } from '../model/modelFiles.js';
import type { MultimodalModel } from '../model/multimodalModel.js';
import { singleModality } from './training.js';

/**
 * Saves the model to its files (in memory, the same files `saveModel` writes)
 * and loads it back; returns both models' predictions on `x`.
 */
export async function roundTrip(model: MultimodalModel, x: tf.Tensor): Promise<{ before: number[]; after: number[] }> {
  const inputs = { [singleModality(model)]: x };
  const loaded = await modelFromFiles(await modelToFiles(model));
  const before = tf.tidy(() => Array.from(model.predict({ inputs }).dataSync()));
  const after = tf.tidy(() => Array.from(loaded.predict({ inputs }).dataSync()));
  loaded.dispose();
  return { before, after };
}
