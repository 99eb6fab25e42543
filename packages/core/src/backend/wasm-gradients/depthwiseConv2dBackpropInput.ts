import { tf } from '../../tf.js';
import { asTensor } from './kernelTensors.js';
import { spreadByStrides, zeroFilledWindow } from './zeroFilledWindow.js';

type Attrs = {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
};

/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm, the sum TensorFlow and the
 * tfjs cpu kernel compute:
 * dx[n, h, w, c] = Σ_{i, j, m : h + top = y·sh + i·dh, w + left = x·sw + j·dw} dy[n, y, x, c·M + m] · W[i, j, c, m].
 *
 * The output gradient is first spread onto the input pixel grid (zeros
 * between strided positions); then each filter tap adds its weighted copy,
 * shifted by the tap's offset, to a canvas the size of the padded input,
 * which is finally cropped to the unpadded input.
 */
export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) => {
    const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as Attrs;
    return tf.tidy(() => {
      const dy = asTensor<tf.Rank.R4>(inputs.dy);
      const filter = asTensor<tf.Rank.R4>(inputs.filter);
      const [fh, fw, channels, multiplier] = filter.shape;
      const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, true);
      const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
      const spread = spreadByStrides(dy, strideHeight, strideWidth);
      const [n, spreadH, spreadW] = spread.shape;
      const canvasH = spreadH + (fh - 1) * dilationHeight;
      const canvasW = spreadW + (fw - 1) * dilationWidth;
      const perMultiplier = tf.reshape(spread, [n, spreadH, spreadW, channels, multiplier]);
      const contributions: tf.Tensor4D[] = [];
      for (let i = 0; i < fh; i++) {
        for (let j = 0; j < fw; j++) {
          const weights = tf.reshape(tf.slice(filter, [i, j, 0, 0], [1, 1, channels, multiplier]), [channels, multiplier]);
          const weighted =
            multiplier === 1
              ? tf.mul(spread, tf.reshape(weights, [channels]))
              : tf.sum(tf.mul(perMultiplier, weights), 4);
          const rowOffset = i * dilationHeight;
          const colOffset = j * dilationWidth;
          contributions.push(zeroFilledWindow(weighted as tf.Tensor4D, -rowOffset, -colOffset, canvasH, canvasW));
        }
      }
      const canvas = contributions.length === 1 ? contributions[0]! : tf.addN(contributions);
      return zeroFilledWindow(canvas, info.padInfo.top, info.padInfo.left, inputShape[1], inputShape[2]);
    });
  },
};
