import { tf } from '../../tf.js';
import { heapOffset, wasmHeap } from './kernelTensors.js';
import { paddedInput } from './paddedInput.js';
import { simdKernelsFor } from './simdKernels.js';

type Attrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
};

/** Activations the compiled kernel applies itself (wasm/src/conv2d.c's `activation` argument). */
export const activationCodes: Readonly<Record<string, number>> = { linear: 0, relu: 1 };

/**
 * A faster `Conv2D` for wasm: the compiled SIMD kernel (wasm/src/conv2d.c)
 * instead of XNNPACK, for float32 NHWC convolutions without dilation whose
 * output channels are a multiple of 4 (1.5–2× on W1's layers, 5–8× with one
 * input channel; bench/README.md). The input gradient (conv2dBackpropInput.ts)
 * is a forward convolution, so it runs here too. Other cases go to the
 * backend's kernel.
 */
export function conv2dConfig(native: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'Conv2D',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
      return convolve(args, x, filter, undefined, 0) ?? native(args);
    },
  };
}

/**
 * The same for `FusedConv2D` (what a conv layer with a bias and a ReLU or no
 * activation runs outside training, as in `predict`): bias and ReLU are added
 * to the sums in registers. Other activations, PReLU weights and biases that
 * are not one value per output channel go to the backend's kernel.
 */
export function fusedConv2dConfig(native: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'FusedConv2D',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
      const activation = activationCodes[(args.attrs as unknown as Attrs).activation ?? 'linear'];
      const biasFits = bias === undefined || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === filter?.shape[3]);
      if (!x || !filter || preluActivationWeights || activation === undefined || !biasFits) return native(args);
      return convolve(args, x, filter, bias, activation) ?? native(args);
    },
  };
}

/** The convolution on the compiled kernel, or undefined when this case is the backend's. */
export function convolve(args: { attrs?: tf.NamedAttrMap; backend: unknown }, x: tf.TensorInfo, filter: tf.TensorInfo, bias: tf.TensorInfo | undefined, activation: number): tf.TensorInfo | undefined {
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Attrs;
  if (dataFormat === 'NCHW' || x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4) return undefined;
  if (!(dilations === undefined || dilations === 1 || (Array.isArray(dilations) && dilations[0] === 1 && dilations[1] === 1))) return undefined;
  const outChannels = filter.shape[3]!;
  if (outChannels % 4 !== 0) return undefined;
  const simd = simdKernelsFor(args.backend, 'Conv2D');
  if (!simd) return undefined;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const heap = wasmHeap(args.backend);
  const y = heap.makeOutput([info.batchSize, info.outHeight, info.outWidth, outChannels], 'float32');
  if (info.outHeight * info.outWidth * info.batchSize === 0) return y;
  const padded = paddedInput(heap, simd, x, info);
  simd.conv2d_forward(
    padded.offset, heapOffset(heap, filter), bias ? heapOffset(heap, bias) : 0, heapOffset(heap, y),
    info.batchSize, padded.height, padded.width, info.inChannels, info.outHeight, info.outWidth, outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, activation,
  );
  if (padded.scratch) heap.disposeData(padded.scratch.dataId);
  return y;
}
