import { tf } from '../../tf.js';
import { asTensor, heapOffset, wasmHeap } from './kernelTensors.js';
import { paddedInput } from './paddedInput.js';
import { simdKernelsFor } from './simdKernels.js';
import { zeroFilledWindow } from './zeroFilledWindow.js';
import { im2colFilterGradient, prefersIm2col } from './im2colFilterGradient.js';

type Attrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/**
 * `Conv2DBackpropFilter` for wasm: dW[i, j, c, o] = Σ_{n, y, x} xPad[n, y·sh + i, x·sw + j, c] · dy[n, y, x, o],
 * the same sum as TensorFlow's `Conv2DBackpropFilter` (and the tfjs cpu kernel).
 *
 * It is computed as a convolution in which the input channels play the batch
 * and the batch plays the channels: the padded input transposed to
 * [Cin, Hp, Wp, N] is convolved ('valid', dilation = stride) with the output
 * gradient transposed to [OH, OW, N, Cout], giving [Cin, ≥fh, ≥fw, Cout],
 * cropped and transposed back to [fh, fw, Cin, Cout]. All intermediates are
 * freed by `tf.tidy`. For few input channels that convolution is inefficient
 * (a huge filter, a tiny output), so those go through im2col and one matMul
 * instead (im2colFilterGradient.ts). With output channels in fours (NHWC),
 * the compiled SIMD kernel computes the sum directly instead
 * (wasm/src/conv2dFilterGradient.c), over a zero-padded copy of the input
 * (none for 'valid') and without transposed copies.
 */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
    return tf.tidy(() => {
      let x = asTensor<tf.Rank.R4>(inputs.x);
      let dy = asTensor<tf.Rank.R4>(inputs.dy);
      if (dataFormat === 'NCHW') {
        x = tf.transpose(x, [0, 2, 3, 1]);
        dy = tf.transpose(dy, [0, 2, 3, 1]);
      }
      const info = tf.backend_util.computeConv2DInfo(
        x.shape,
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const simd = dataFormat === 'NHWC' && info.outChannels % 4 === 0 ? simdKernelsFor(backend, 'Conv2DBackpropFilter') : undefined;
      if (simd) {
        const heap = wasmHeap(backend);
        const filter = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
        const dwInfo = heap.makeOutput(filter, 'float32');
        const padded = paddedInput(heap, simd, x, info);
        simd.conv2d_filter_gradient(
          padded.offset, heapOffset(heap, dy), heapOffset(heap, dwInfo),
          info.batchSize, padded.height, padded.width, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
          info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
        );
        if (padded.scratch) heap.disposeData(padded.scratch.dataId);
        return tf.engine().makeTensorFromTensorInfo(dwInfo);
      }
      if (prefersIm2col(info)) return im2colFilterGradient(x, dy, info, backend);
      const [fh, fw] = [info.filterHeight, info.filterWidth];
      const { top, left } = info.padInfo;
      // Rows/cols the sum reaches: (out - 1) * stride + filter, from the top/left padding on.
      const needH = (info.outHeight - 1) * info.strideHeight + fh;
      const needW = (info.outWidth - 1) * info.strideWidth + fw;
      const padded = zeroFilledWindow(x, -top, -left, needH, needW);
      const input = tf.transpose(padded, [3, 1, 2, 0]); // [Cin, needH, needW, N]
      const filter = tf.transpose(dy, [1, 2, 0, 3]); // [OH, OW, N, Cout]
      const conv = tf.conv2d(input, filter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
      // conv is exactly [Cin, fh, fw, Cout] because needH/needW were chosen to fit.
      return tf.transpose(conv, [1, 2, 0, 3]);
    });
  },
};
