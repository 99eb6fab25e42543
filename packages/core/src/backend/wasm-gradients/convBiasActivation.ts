import { tf } from '../../tf.js';
import { convolve } from './conv2d.js';
import { heapOffset, heapTensor, wasmHeap } from './kernelTensors.js';
import { reluGradient } from './reluGradient.js';
import { currentWasmBackend, simdKernelsFor } from './simdKernels.js';

/** Kernel of `convBiasActivation`, registered for wasm only (the compiled kernel is its only implementation). */
export const convBiasActivationKernelName = 'PolyfuseConvBiasActivation';

type Attrs = {
  strides: [number, number];
  pad: 'valid' | 'same';
  activation: 'linear' | 'relu';
};

/**
 * y = act(conv2d(x, filter) + bias) in ONE pass on the wasm heap (the
 * compiled convolution adds the bias and applies ReLU in registers), with a
 * gradient of its own. Under a gradient tape tfjs runs a conv layer as three
 * ops, conv2d, add and relu, each writing and re-reading the whole
 * activation (5.2 MB for W1's first audio layer, a batch of 64), and then
 * Step, Cast, Multiply and a Sum backwards; here the backward pass is one
 * compiled pass for ReLU's gradient (taken from y: y > 0 exactly where the
 * pre-activation is) plus the sum for the bias. The gradient with respect to
 * x is only computed when something needs it (not for a model's input),
 * because the gradient is registered per input rather than as a customGrad.
 */
export function convBiasActivation(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined, attrs: Attrs): tf.Tensor4D {
  const inputs: tf.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  return tf.engine().runKernel(convBiasActivationKernelName, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** Whether `convBiasActivation` can run here: the wasm backend with the compiled convolution, float32, output channels in fours. */
export function canConvBiasActivation(x: tf.Tensor, filter: tf.Tensor): boolean {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || x.rank !== 4 || filter.rank !== 4 || (filter.shape[3] as number) % 4 !== 0) return false;
  return simdKernelsFor(currentWasmBackend(), 'Conv2D') !== undefined && tf.getKernel(convBiasActivationKernelName, 'wasm') !== undefined;
}

export const convBiasActivationConfig: tf.KernelConfig = {
  kernelName: convBiasActivationKernelName,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x, filter, bias } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
    const { strides, pad, activation } = args.attrs as unknown as Attrs;
    const y = convolve(
      { attrs: { strides, pad, dataFormat: 'NHWC', dilations: 1 } as unknown as tf.NamedAttrMap, backend: args.backend },
      x,
      filter,
      bias,
      activation === 'relu' ? 1 : 0,
    );
    if (!y) throw new Error(`${convBiasActivationKernelName} ran where the compiled convolution cannot (check canConvBiasActivation first).`);
    return y;
  },
};

export const convBiasActivationGradConfig: tf.GradConfig = {
  kernelName: convBiasActivationKernelName,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, activation } = attrs as unknown as Attrs;
    // dL/d(pre-activation) and the bias gradient, once for the three gradients below.
    const { dz, db } = activationAndBiasGradients(dy as tf.Tensor, y, activation === 'relu');
    const convAttrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    return {
      x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter }, { ...convAttrs, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
      filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dz }, { ...convAttrs, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
      bias: () => db,
    };
  },
};

/**
 * ReLU's gradient dz = dy · step(y) and the bias gradient Σ dz over all but
 * the channels, from one compiled pass over dy (relu_grad_column_sums);
 * the same values as `reluGradient` followed by `tf.sum` on the compiled
 * kernels. Those two run instead where the pass cannot.
 */
function activationAndBiasGradients(dy: tf.Tensor, y: tf.Tensor, relu: boolean): { dz: tf.Tensor; db: tf.Tensor } {
  const channels = y.shape[y.rank - 1] as number;
  const simd = dy.dtype === 'float32' && channels % 4 === 0 ? simdKernelsFor(currentWasmBackend(), 'Relu') : undefined;
  if (!simd) {
    const dz = relu ? reluGradient(dy, y) : dy;
    return { dz, db: tf.sum(dz, [0, 1, 2]) };
  }
  const heap = wasmHeap(tf.backend());
  const dz = relu ? heapTensor(heap, y.shape as number[]) : undefined;
  const db = heapTensor(heap, [channels]);
  const sums = heap.makeOutput([2 * channels], 'float32'); // doubles
  simd.relu_grad_column_sums(
    heapOffset(heap, y), heapOffset(heap, dy), dz ? dz.offset : 0, heap.getMemoryOffset(sums.dataId), db.offset,
    y.size / channels, channels, relu ? 1 : 0,
  );
  heap.disposeData(sums.dataId);
  return { dz: dz ? dz.tensor : dy, db: db.tensor };
}
