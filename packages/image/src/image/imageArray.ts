import { InputError } from '@polyfuse/core';

/**
 * One decoded image in memory: `height × width × channels` values, row-major,
 * channels last (HWC, the layout of tf.browser.fromPixels and our tensors).
 * Pixel values are floats; decoders produce [0, 255], `toUnitRange` maps to [0, 1].
 */
export interface ImageArray {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** Checks an ImageArray's sizes agree with its data; `name` is used in the error. */
export function checkImage(image: ImageArray, name = 'image'): ImageArray {
  const { data, height, width, channels } = image;
  if (!(height > 0 && width > 0 && channels > 0) || !Number.isInteger(height) || !Number.isInteger(width) || !Number.isInteger(channels)) {
    throw new InputError(`${name} must have positive integer height, width and channels, got ${height}×${width}×${channels}.`);
  }
  if (data.length !== height * width * channels) {
    throw new InputError(`${name} has ${data.length} values but ${height}×${width}×${channels} = ${height * width * channels} were expected.`);
  }
  return image;
}

/** Divides by 255, so pixel values lie in [0, 1]. */
export function toUnitRange(image: ImageArray): ImageArray {
  const data = new Float32Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = image.data[i]! / 255;
  return { ...image, data };
}
