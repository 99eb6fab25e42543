import { tf } from '../../tf.js';
import { wasmHeap } from './kernelTensors.js';
import { BackendError } from '../../errors/errors.js';
import { simdKernelsFor } from './simdKernels.js';

type Attrs = {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};


/**
 * A faster `MaxPoolGrad` for wasm. The backend's own kernel recomputes each
 * window's maximum once for every input pixel the window covers; this one
 * finds each window's maximum once and sends the window's gradient there
 * (bench/README.md: ~6x faster on W1's pooling layers). Same result as
 * TensorFlow's and tfjs-cpu's kernels: dx[argmax of window] += dy[window],
 * where the argmax is the first strictly largest value in row-major window
 * order (so ties go to the top-left, and a window of NaN or -Infinity only
 * passes no gradient). It reads and writes the wasm heap directly: for 2×2
 * windows over channels in fours, with the compiled SIMD kernel
 * (wasm/src/maxPoolGrad.c), else in JavaScript.
 */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as Attrs;
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    if (dy === undefined || input === undefined) throw new BackendError('MaxPoolGrad was called without its dy or input tensor.');
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const heap = wasmHeap(backend);
    // Allocate first: a heap that grows detaches views taken before.
    const dxInfo = heap.makeOutput(input.shape as number[], 'float32');
    const simd = isTiled2x2(info) && info.inChannels % 4 === 0 ? simdKernelsFor(backend, 'MaxPoolGrad') : undefined;
    if (simd) {
      const offset = (tensor: tf.TensorInfo) => heap.getMemoryOffset(tensor.dataId);
      simd.max_pool_grad_2x2(offset(input), offset(dy), offset(dxInfo), info.batchSize, info.outHeight, info.outWidth, info.inChannels);
      return dxInfo;
    }
    const dx = heap.typedArrayFromHeap(dxInfo);
    const x = heap.typedArrayFromHeap(input);
    const g = heap.typedArrayFromHeap(dy);
    if (isTiled2x2(info)) {
      tiled2x2Gradients(x, g, dx, info);
    } else {
      dx.fill(0);
      scatterWindowGradients(x, g, dx, info);
    }
    return dxInfo;
  },
};

/** dx[argmax of each window] += dy[window], one pass over the windows, channels innermost (NHWC). */
function scatterWindowGradients(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: filterHeight, effectiveFilterWidth: filterWidth } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    const imageStart = b * inHeight * inWidth * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inWidth, x0 + filterWidth);
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let iy = yStart; iy < yEnd; iy++) {
          for (let ix = xStart; ix < xEnd; ix++) {
            const pixel = imageStart + (iy * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[pixel + c]!;
              if (value > best[c]!) {
                best[c] = value;
                bestAt[c] = pixel + c;
              }
            }
          }
        }
        const gradient = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          const at = bestAt[c]!;
          if (at >= 0) dx[at] += dy[gradient + c]!;
        }
      }
    }
  }
}

/** 2×2 windows at stride 2 that tile the input without padding: the usual `maxPooling2d({ poolSize: 2 })`. */
function isTiled2x2(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    info.effectiveFilterHeight === 2 &&
    info.effectiveFilterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight * 2 === info.inHeight &&
    info.outWidth * 2 === info.inWidth
  );
}

/**
 * The same rule for non-overlapping 2×2 windows that cover every pixel: each
 * dx element is written exactly once (the gradient or 0), so dx needs no
 * zero fill and the four comparisons unroll (~1.5x faster than the general loop).
 */
function tiled2x2Gradients(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  for (let b = 0; b < batchSize; b++) {
    const imageStart = b * inHeight * rowStride;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const p0 = imageStart + (2 * oy * inWidth + 2 * ox) * channels;
        const p1 = p0 + channels;
        const p2 = p0 + rowStride;
        const p3 = p2 + channels;
        const gradient = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          let best = -Infinity;
          let at = -1;
          let value = x[p0 + c]!;
          if (value > best) (best = value), (at = p0 + c);
          value = x[p1 + c]!;
          if (value > best) (best = value), (at = p1 + c);
          value = x[p2 + c]!;
          if (value > best) (best = value), (at = p2 + c);
          value = x[p3 + c]!;
          if (value > best) (best = value), (at = p3 + c);
          dx[p0 + c] = 0;
          dx[p1 + c] = 0;
          dx[p2 + c] = 0;
          dx[p3 + c] = 0;
          if (at >= 0) dx[at] = dy[gradient + c]!;
        }
      }
    }
  }
}
