import { tf } from '../../tf.js';
import { asTensor } from './kernelTensors.js';
import { zeroFilledWindow } from './zeroFilledWindow.js';

type Attrs = {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm, the sum TensorFlow and the
 * tfjs cpu kernel compute:
 * dW[i, j, c, m] = Σ_{n, y, x} xPad[n, y·sh + i·dh, x·sw + j·dw, c] · dy[n, y, x, c·M + m].
 *
 * One term per filter tap: a strided slice of the padded input (the pixels
 * that tap saw), multiplied with the output gradient and summed over
 * batch and space. The work is the true O(fh·fw·N·OH·OW·C·M).
 */
export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) => {
    const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
    return tf.tidy(() => {
      const x = asTensor<tf.Rank.R4>(inputs.x);
      const dy = asTensor<tf.Rank.R4>(inputs.dy);
      const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, true);
      const { outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
      const [fh, fw, channels, multiplier] = filterShape;
      const needH = (outHeight - 1) * strideHeight + (fh - 1) * dilationHeight + 1;
      const needW = (outWidth - 1) * strideWidth + (fw - 1) * dilationWidth + 1;
      const padded = zeroFilledWindow(x, -info.padInfo.top, -info.padInfo.left, needH, needW);
      const positions = x.shape[0] * outHeight * outWidth;
      const gradient = tf.reshape(dy, [positions, channels, multiplier]);
      const taps: tf.Tensor[] = [];
      for (let i = 0; i < fh; i++) {
        for (let j = 0; j < fw; j++) {
          const rowStart = i * dilationHeight;
          const colStart = j * dilationWidth;
          const seen = tf.stridedSlice(
            padded,
            [0, rowStart, colStart, 0],
            [x.shape[0], rowStart + (outHeight - 1) * strideHeight + 1, colStart + (outWidth - 1) * strideWidth + 1, channels],
            [1, strideHeight, strideWidth, 1],
          );
          taps.push(tf.sum(tf.mul(tf.reshape(seen, [positions, channels, 1]), gradient), 0));
        }
      }
      return tf.reshape(tf.stack(taps), filterShape);
    });
  },
};
