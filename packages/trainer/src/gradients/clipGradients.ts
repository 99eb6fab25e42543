import { tf, ConfigError } from '@polyfuse/core';

/**
 * Clips every gradient element to [-value, value], as
 * torch.nn.utils.clip_grad_value_. Returns new tensors; disposes nothing.
 */
export function clipGradientsByValue(grads: Record<string, tf.Tensor>, value: number): Record<string, tf.Tensor> {
  if (!(value > 0)) throw new ConfigError(`clipGradients.value must be > 0, got ${value}.`);
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -value, value)]));
}

/**
 * Scales all gradients together so their global L2 norm is at most `maxNorm`,
 * as torch.nn.utils.clip_grad_norm_ (1.13): `coef = maxNorm / (norm + 1e-6)`,
 * applied only when `coef < 1`. Returns the new gradients and the norm before clipping.
 */
export function clipGradientsByNorm(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: number } {
  if (!(maxNorm > 0)) throw new ConfigError(`clipGradients.norm must be > 0, got ${maxNorm}.`);
  const entries = Object.entries(grads);
  if (entries.length === 0) return { grads: {}, norm: 0 };
  const norm = tf.tidy(() => tf.addN(entries.map(([, g]) => g.square().sum())).sqrt().dataSync()[0]);
  const coef = maxNorm / (norm + 1e-6);
  const scale = Math.min(coef, 1);
  return { grads: Object.fromEntries(entries.map(([k, g]) => [k, g.mul(scale)])), norm };
}
