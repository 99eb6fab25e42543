import { tf } from '../../tf.js';
import { asTensor } from './kernelTensors.js';
import { spreadByStrides, zeroFilledWindow } from './zeroFilledWindow.js';

type Attrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
};

/**
 * A faster `Conv2DBackpropInput` for wasm (replacing the backend's own,
 * which is a plain loop and measured ~5x slower than a forward convolution of
 * the same size; see bench/README.md). Same sum as TensorFlow's kernel:
 * dx[n, h, w, c] = Σ_{y, x, i, j, o : h + top = y·sh + i, w + left = x·sw + j} dy[n, y, x, o] · W[i, j, c, o].
 *
 * It is one forward convolution, which wasm runs through XNNPACK: the output
 * gradient spread onto the input grid (zeros between strided positions), cut
 * to the window each input pixel sees, convolved ('valid', stride 1) with the
 * filter rotated by 180° and with its channel axes swapped.
 */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) => {
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Attrs;
    return tf.tidy(() => {
      let dy = asTensor<tf.Rank.R4>(inputs.dy);
      const filter = asTensor<tf.Rank.R4>(inputs.filter);
      const nchw = dataFormat === 'NCHW';
      const shape: [number, number, number, number] = nchw
        ? [inputShape[0], inputShape[2], inputShape[3], inputShape[1]]
        : inputShape;
      if (nchw) dy = tf.transpose(dy, [0, 2, 3, 1]);
      const info = tf.backend_util.computeConv2DInfo(shape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
      const [fh, fw] = [info.filterHeight, info.filterWidth];
      const spread = spreadByStrides(dy, info.strideHeight, info.strideWidth);
      const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      // The zeros the window needs around the spread gradient on each side (negative: rows or columns to crop).
      const top = fh - 1 - info.padInfo.top;
      const left = fw - 1 - info.padInfo.left;
      const bottom = shape[1] + fh - 1 - top - spread.shape[1];
      const right = shape[2] + fw - 1 - left - spread.shape[2];
      // Only padding: the convolution pads as it reads (XNNPACK), without a padded copy of dy (PadV2, 1-2 ms a layer on W1).
      const dx =
        Math.min(top, left, bottom, right) >= 0
          ? tf.conv2d(spread, rotated, 1, [[0, 0], [top, bottom], [left, right], [0, 0]])
          : tf.conv2d(zeroFilledWindow(spread, -top, -left, shape[1] + fh - 1, shape[2] + fw - 1), rotated, 1, 'valid');
      return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
    });
  },
};
