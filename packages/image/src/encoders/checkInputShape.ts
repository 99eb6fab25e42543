import { ConfigError } from '@polyfuse/core';

/** Checks an encoder's `inputShape` is `[height, width, channels]` of positive integers. */
export function checkImageInputShape(shape: unknown, path: string): [number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`${path}.inputShape must be [height, width, channels] of positive integers, got ${JSON.stringify(shape)}.`);
  }
  return shape as [number, number, number];
}
