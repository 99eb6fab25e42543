// Each compiled SIMD kernel against its JavaScript version, in one process,
// alternating the two in every round (POLYFUSE_WASM_JS_KERNELS is read at each
// call), on W1/W2/W3's shapes. Prints every round's ms per call and the medians.
//   node bench/train/simdKernels.mjs [--rounds 7] [--calls 10] [--only FusedGru|FusedLstm|...]
// For instruction counts, which do not drift with the machine's load: one side,
// a fixed number of calls, no timing; the difference of two runs is the cost of the extra calls.
//   valgrind --tool=callgrind node bench/train/simdKernels.mjs --only FusedGru --side js --calls 2   (then --calls 4)
import { loadavg } from 'node:os';
import { tf, initBackend } from '../../packages/core/dist/index.js';
import { fusedGruOp } from '../../packages/core/dist/layers/fusedGru.js';
import { fusedLstmOp } from '../../packages/core/dist/layers/fusedLstm.js';
import { fusedBatchNormTraining } from '../../packages/core/dist/layers/fusedBatchNorm.js';
import { Adam } from '../../packages/trainer/dist/index.js';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const rounds = Number(args.rounds ?? 7);
const calls = Number(args.calls ?? 10);
await initBackend({ backend: 'wasm', log: null });

const cases = [
  {
    name: 'MaxPoolGrad [64,40,32,16] (W1 audio, W3)',
    kernel: 'MaxPoolGrad',
    setup: () => {
      const input = tf.randomNormal([64, 40, 32, 16]);
      const output = tf.maxPool(input, 2, 2, 'valid');
      const dy = tf.randomNormal(output.shape);
      return () => tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: 2, strides: 2, pad: 'valid' });
    },
  },
  {
    name: 'Sum over [64,40,32,16] but the channels (W1 audio bias gradient)',
    kernel: 'Sum',
    setup: () => {
      const x = tf.randomNormal([64, 40, 32, 16]);
      return () => tf.sum(x, [0, 1, 2]);
    },
  },
  {
    name: 'Add of a bias [64,40,32,16] + [16] (W1 audio first layer, forward)',
    kernel: 'Add',
    setup: () => {
      const x = tf.randomNormal([64, 40, 32, 16]);
      const bias = tf.randomNormal([16]);
      return () => tf.add(x, bias);
    },
  },
  ...[
    ['[64,40,32,1] → 16 (W1 audio, first layer)', [64, 40, 32, 1], 16],
    ['[64,20,16,16] → 32 (W1 audio, second layer)', [64, 20, 16, 16], 32],
    ['[64,14,14,16] → 32 (W1/W2 image, second layer)', [64, 14, 14, 16], 32],
  ].map(([shapes, xShape, outChannels]) => ({
    name: `Conv2DBackpropFilter 3×3 'same' ${shapes}`,
    kernel: 'Conv2DBackpropFilter',
    setup: () => {
      const x = tf.randomNormal(xShape);
      const dy = tf.randomNormal([...xShape.slice(0, 3), outChannels]);
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, xShape[3], outChannels] };
      return () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs);
    },
  })),
  ...[
    ['[64,40,32,1] → 16 (W1 audio, first layer)', [64, 40, 32, 1], 16],
    ['[64,20,16,16] → 32 (W1 audio, second layer)', [64, 20, 16, 16], 32],
    ['[64,20,16,32] → 16 (W1 audio, second layer\'s input gradient)', [64, 20, 16, 32], 16],
    ['[64,14,14,16] → 32 (W1/W2 image, second layer)', [64, 14, 14, 16], 32],
  ].map(([shapes, xShape, outChannels]) => ({
    name: `Conv2D 3×3 'same' ${shapes}, against XNNPACK`,
    kernel: 'Conv2D',
    setup: () => {
      const x = tf.randomNormal(xShape);
      const filter = tf.randomNormal([3, 3, xShape[3], outChannels]);
      return () => tf.conv2d(x, filter, 1, 'same');
    },
  })),
  ...[
    ['A·B [64,2560] × [2560,64] (W1 dense forward)', [64, 2560], [2560, 64], false],
    ['Aᵀ·B [64,2560]ᵀ × [64,64] (W1 dense weight gradient)', [64, 2560], [64, 64], true],
    ['Aᵀ·B [2048,64]ᵀ × [2048,192] (W2 GRU weight gradient)', [2048, 64], [2048, 192], true],
  ].map(([shapes, aShape, bShape, transposeA]) => ({
    name: `BatchMatMul ${shapes}, against XNNPACK`,
    kernel: 'BatchMatMul',
    setup: () => {
      const a = tf.randomNormal(aShape);
      const b = tf.randomNormal(bShape);
      return () => tf.matMul(a, b, transposeA, false);
    },
  })),
  {
    name: "ReLU's gradient [64,40,32,16], against tfjs-core's Step, Cast and Multiply",
    kernel: 'Relu',
    setup: () => {
      const x = tf.randomNormal([64, 40, 32, 16]);
      const dy = tf.randomNormal([64, 40, 32, 16]);
      return () => tf.grad((t) => tf.relu(t))(x, dy);
    },
  },
  {
    name: "Adam step over W1's 16 variables (282,826 weights), against the tensor ops",
    kernel: 'Adam',
    setup: () => {
      const shapes = [[3, 3, 1, 16], [16], [3, 3, 16, 32], [32], [3, 3, 1, 16], [16], [3, 3, 16, 32], [32], [2560, 64], [64], [1568, 64], [64], [128, 64], [64], [64, 10], [10]];
      const updates = shapes.map((shape, i) => ({ key: `v${i}`, variable: tf.variable(tf.randomNormal(shape)), gradient: tf.randomNormal(shape) }));
      const optimizer = new Adam({ learningRate: 1e-3 });
      return () => {
        optimizer.apply(updates);
        return [];
      };
    },
  },
  {
    name: 'FusedGru forward + backward, B 64, T 32, D = H = 64 (W2)',
    kernel: 'FusedGru',
    setup: () => {
      const inputs = [tf.randomNormal([64, 32, 64]), tf.randomNormal([64, 192], 0, 0.1), tf.randomNormal([64, 192], 0, 0.1), tf.zeros([192]), tf.zeros([192])];
      const run = (...t) => fusedGruOp(...t, { returnSequences: false, goBackwards: false });
      const dy = tf.randomNormal([64, 64]);
      return () => tf.grads(run)(inputs, dy);
    },
  },
  {
    name: 'FusedLstm forward + backward, B 64, T 32, D = H = 64 (bench/train/lstm.mjs)',
    kernel: 'FusedLstm',
    setup: () => {
      const inputs = [tf.randomNormal([64, 32, 64]), tf.randomNormal([64, 256], 0, 0.1), tf.randomNormal([64, 256], 0, 0.1), tf.zeros([256]), tf.zeros([256])];
      const run = (...t) => fusedLstmOp(...t, { returnSequences: false, goBackwards: false });
      const dy = tf.randomNormal([64, 64]);
      return () => tf.grads(run)(inputs, dy);
    },
  },
  {
    name: 'batch norm training forward + backward [64,40,32,16] (W3)',
    kernel: 'BatchNormalization',
    setup: () => {
      const x = tf.randomNormal([64, 40, 32, 16]);
      const gamma = tf.ones([16]);
      const beta = tf.zeros([16]);
      const dy = tf.randomNormal(x.shape);
      return () => tf.grads((a, g, b) => fusedBatchNormTraining(a, g, b, 1e-3).y)([x, gamma, beta], dy);
    },
  },
];

const selected = cases.filter((c) => !args.only || c.kernel === args.only || c.name.includes(args.only));
if (args.side) {
  if (args.side === 'js') process.env.POLYFUSE_WASM_JS_KERNELS = 'all';
  for (const c of selected) {
    const call = c.setup();
    for (let i = 0; i < calls; i++) tf.dispose(call());
  }
  console.log(`${args.side}: ${calls} calls of ${selected.map((c) => c.name).join('; ')}`);
  process.exit(0);
}

console.log(`${rounds} rounds of ${calls} calls per side; load average at start ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const c of selected) {
  const call = c.setup();
  const time = (js) => {
    if (js) process.env.POLYFUSE_WASM_JS_KERNELS = c.kernel;
    else delete process.env.POLYFUSE_WASM_JS_KERNELS;
    // Warm-up: V8 compiles a wasm function with its baseline compiler first and optimizes it once it is hot.
    for (let i = 0; i < 5; i++) tf.dispose(call());
    const started = performance.now();
    for (let i = 0; i < calls; i++) tf.dispose(call());
    return (performance.now() - started) / calls;
  };
  const simd = [];
  const js = [];
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? ['simd', 'js'] : ['js', 'simd']) (side === 'simd' ? simd : js).push(time(side === 'js'));
  }
  delete process.env.POLYFUSE_WASM_JS_KERNELS;
  const format = (values) => values.map((v) => v.toFixed(2)).join(', ');
  console.log(`${c.name}: compiled ${median(simd).toFixed(2)} ms (${format(simd)}), JavaScript ${median(js).toFixed(2)} ms (${format(js)}), ${(median(js) / median(simd)).toFixed(1)}×`);
}
console.log(`load average at end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
