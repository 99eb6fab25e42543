import { tf } from '../../tf.js';
import { wasmHeap } from './kernelTensors.js';


/**
 * Rows of the im2col matrix (filterHeight · filterWidth · inChannels) up to
 * which im2col beats the convolution formulation. Measured on W1's layers
 * (bench/README.md): with 1 input channel (9 rows) im2col is ~4x faster,
 * with 16 (144 rows) the convolution is.
 */
const maxIm2colRows = 36;

export function prefersIm2col(info: tf.backend_util.Conv2DInfo): boolean {
  return info.filterHeight * info.filterWidth * info.inChannels <= maxIm2colRows && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/**
 * dW = colsᵀ·dy for NHWC x and dy: the input patches are written straight into
 * the wasm heap as cols [fh·fw·Cin, N·OH·OW] (zero where the window reaches
 * into padding), then one untransposed matMul with dy [N·OH·OW, Cout] gives
 * [fh·fw·Cin, Cout] = [fh, fw, Cin, Cout]. The sum is the same as
 * TensorFlow's Conv2DBackpropFilter.
 */
export function im2colFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, backend: unknown): tf.Tensor4D {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const positions = batchSize * outHeight * outWidth;
  const rows = filterHeight * filterWidth * inChannels;
  const heap = wasmHeap(backend);
  // Allocate first: a heap that grows detaches views taken before.
  const colsInfo = heap.makeOutput([rows, positions], 'float32');
  const cols = heap.typedArrayFromHeap(colsInfo);
  const source = heap.typedArrayFromHeap(x);
  for (let i = 0; i < filterHeight; i++) {
    for (let j = 0; j < filterWidth; j++) {
      for (let c = 0; c < inChannels; c++) {
        let at = ((i * filterWidth + j) * inChannels + c) * positions;
        for (let n = 0; n < batchSize; n++) {
          const image = n * inHeight * inWidth * inChannels + c;
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * strideHeight + i - top;
            if (iy < 0 || iy >= inHeight) {
              cols.fill(0, at, at + outWidth);
              at += outWidth;
              continue;
            }
            const row = image + iy * inWidth * inChannels;
            for (let ox = 0; ox < outWidth; ox++) {
              const ix = ox * strideWidth + j - left;
              cols[at++] = ix >= 0 && ix < inWidth ? source[row + ix * inChannels]! : 0;
            }
          }
        }
      }
    }
  }
  const colsTensor = tf.engine().makeTensorFromTensorInfo(colsInfo) as tf.Tensor2D;
  return tf.matMul(colsTensor, dy.reshape([positions, outChannels])).reshape([filterHeight, filterWidth, inChannels, outChannels]);
}
