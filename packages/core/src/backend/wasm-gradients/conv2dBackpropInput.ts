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
      const window = zeroFilledWindow(spread, info.padInfo.top - (fh - 1), info.padInfo.left - (fw - 1), shape[1] + fh - 1, shape[2] + fw - 1);
      const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
      const dx = tf.conv2d(window, rotated as tf.Tensor4D, 1, 'valid');
      return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
    });
  },
};
