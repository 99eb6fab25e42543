import { tf, ConfigError, InputError, SeededRandom, type Batch } from '@polyfuse/core';

/** Drop rate per modality (`{ image: 0.3, audio: 0.3 }`), or one rate for all. */
export type ModalityDropoutRates = number | Record<string, number>;

function rateOf(rates: ModalityDropoutRates, modality: string): number {
  const rate = typeof rates === 'number' ? rates : (rates[modality] ?? 0);
  if (!(rate >= 0 && rate <= 1)) throw new ConfigError(`modality dropout rate for '${modality}' must be in [0, 1], got ${rate}.`);
  return rate;
}

/**
 * The one implementation of modality dropout in polyfuse: `modalityDropout`,
 * `applyModalityDropout`, the `ModalityDropout` class and @polyfuse/cli's
 * trainer hook (`randomModalityDropout`) all sample through this function.
 *
 * Modality dropout on plain arrays (no tensors): for each sample and each
 * modality present in it, drop (set to 0) with that modality's rate. If this
 * would drop every present modality of a sample, one of them, chosen
 * uniformly, is kept: a sample never loses all its modalities (so the
 * realised rate of a modality is slightly below its nominal rate when rates
 * are high). Absent modalities stay absent. Draws come from `random`, in
 * sample-major then modality order, so the same generator state gives the
 * same masks.
 */
export function sampleModalityDropout(
  presence: Record<string, ArrayLike<number>>,
  rates: ModalityDropoutRates,
  random: SeededRandom,
): Record<string, Float32Array> {
  const modalities = Object.keys(presence);
  if (modalities.length === 0) throw new InputError('modalityDropout needs at least one modality mask.');
  const size = presence[modalities[0]].length;
  for (const m of modalities) {
    if (presence[m].length !== size) throw new InputError(`mask.${m} has ${presence[m].length} values but mask.${modalities[0]} has ${size}: masks must cover the same batch.`);
  }
  if (typeof rates === 'object') {
    for (const key of Object.keys(rates)) if (!modalities.includes(key)) throw new ConfigError(`modality dropout rates name '${key}', which is not in the batch (${modalities.join(', ')}).`);
  }
  const rateList = modalities.map((m) => rateOf(rates, m));
  const out = Object.fromEntries(modalities.map((m) => [m, Float32Array.from(presence[m], (v) => (v > 0.5 ? 1 : 0))]));
  for (let b = 0; b < size; b++) {
    const present = modalities.filter((m) => out[m][b] === 1);
    const dropped = present.filter((m) => random.next() < rateList[modalities.indexOf(m)]);
    if (dropped.length === present.length && present.length > 0) dropped.splice(random.int(dropped.length), 1);
    for (const m of dropped) out[m][b] = 0;
  }
  return out;
}

/** Options of `modalityDropout`. */
export interface ModalityDropoutOptions {
  /** Drop rate per modality, or one rate for all. */
  rates: ModalityDropoutRates;
  /** Generator to draw from (its state advances: use one per training run). */
  random: SeededRandom;
}

/**
 * Modality dropout on a batch's `[B]` presence masks: returns new masks (the
 * inputs are not disposed). Same semantics as `sampleModalityDropout`. Use it
 * in a training step before calling the model: the fusions then see the
 * dropped modalities as absent, exactly as at test time.
 */
export function modalityDropout(masks: Record<string, tf.Tensor>, options: ModalityDropoutOptions): Record<string, tf.Tensor1D> {
  const presence: Record<string, Float32Array> = {};
  for (const [m, mask] of Object.entries(masks)) {
    if (mask.rank !== 1) throw new InputError(`mask.${m} has rank ${mask.rank}; expected a [batch] 0/1 mask.`);
    presence[m] = mask.dataSync() as Float32Array;
  }
  const dropped = sampleModalityDropout(presence, options.rates, options.random);
  return Object.fromEntries(Object.entries(dropped).map(([m, values]) => [m, tf.tensor1d(values)]));
}

/**
 * A batch with modality dropout applied to its masks. Inputs, targets and ids
 * are shared with `batch`; only the masks are new tensors (dispose them, or
 * the whole returned batch's `mask`, after the step).
 */
export function applyModalityDropout(batch: Batch, options: ModalityDropoutOptions): Batch {
  const mask = { ...batch.mask };
  for (const m of Object.keys(batch.inputs)) {
    if (!mask[m]) mask[m] = tf.ones([batch.inputs[m].shape[0]]);
  }
  return { ...batch, mask: modalityDropout(mask, options) };
}

/**
 * A stateful modality dropout for a training loop: holds its generator, so a
 * trainer can checkpoint and restore it (`getState` / `setState`).
 */
export class ModalityDropout {
  readonly rates: ModalityDropoutRates;
  private readonly random: SeededRandom;

  constructor(options: { rates: ModalityDropoutRates; seed?: number }) {
    this.rates = options.rates;
    this.random = new SeededRandom(options.seed ?? 0);
    if (typeof options.rates === 'number') rateOf(options.rates, 'every modality');
  }

  /** New masks for one batch. */
  apply(masks: Record<string, tf.Tensor>): Record<string, tf.Tensor1D> {
    return modalityDropout(masks, { rates: this.rates, random: this.random });
  }

  /** The batch with dropped masks. */
  applyToBatch(batch: Batch): Batch {
    return applyModalityDropout(batch, { rates: this.rates, random: this.random });
  }

  getState(): number {
    return this.random.getState();
  }

  setState(state: number): void {
    this.random.setState(state);
  }
}
