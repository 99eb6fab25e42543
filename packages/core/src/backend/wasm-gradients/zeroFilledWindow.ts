import { tf } from '../../tf.js';

/**
 * The window x[:, top : top + height, left : left + width, :] of an NHWC
 * tensor, reading zeros wherever the window leaves x (so a negative `top`
 * pads above, and a window past the end pads below). This is convolution
 * padding and its inverse, cropping, in one call.
 */
export function zeroFilledWindow(x: tf.Tensor4D, top: number, left: number, height: number, width: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const rowBegin = Math.max(top, 0);
  const colBegin = Math.max(left, 0);
  const rowEnd = Math.min(top + height, h);
  const colEnd = Math.min(left + width, w);
  let result = x;
  if (rowBegin > 0 || colBegin > 0 || rowEnd < h || colEnd < w) {
    result = tf.slice(result, [0, rowBegin, colBegin, 0], [-1, Math.max(rowEnd - rowBegin, 0), Math.max(colEnd - colBegin, 0), -1]);
  }
  const padTop = rowBegin - top;
  const padLeft = colBegin - left;
  const padBottom = height - padTop - result.shape[1];
  const padRight = width - padLeft - result.shape[2];
  if (padTop > 0 || padLeft > 0 || padBottom > 0 || padRight > 0) {
    result = tf.pad(result, [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ]);
  }
  return result;
}

/**
 * Spreads an NHWC tensor out by `strides`, putting (stride - 1) zeros between
 * neighbouring rows and columns: [N, H, W, C] → [N, (H-1)·sh + 1, (W-1)·sw + 1, C].
 * It turns a strided convolution's output gradient into one that lines up
 * with the input pixel grid.
 */
export function spreadByStrides(x: tf.Tensor4D, strideHeight: number, strideWidth: number): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return x;
  const [n, h, w, c] = x.shape;
  const spread = tf.pad(tf.reshape(x, [n, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  const grid = tf.reshape(spread, [n, h * strideHeight, w * strideWidth, c]) as tf.Tensor4D;
  return tf.slice(grid, 0, [n, (h - 1) * strideHeight + 1, (w - 1) * strideWidth + 1, c]);
}
