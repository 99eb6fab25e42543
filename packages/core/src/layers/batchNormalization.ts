import { tf } from '../tf.js';
import { fusedBatchNormTraining } from './fusedBatchNorm.js';

/** The parts of tfjs-layers' BatchNormalization this subclass reads. */
interface BatchNormFields {
  axis: number;
  epsilon: number;
  momentum: number;
  gamma?: tf.LayerVariable;
  beta?: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

// tfjs-layers exports the factory, not the class: take the class from an instance.
const TfjsBatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as new (args?: BatchNormArgs) => tf.layers.Layer;

/**
 * tfjs-layers' BatchNormalization (same options, weights, inference and
 * serialised config) whose training pass over channels-last input runs as
 * one fused op (fusedBatchNorm.ts): the same batch mean and biased variance,
 * the same moving-average update (v ← v − (v − value)·(1 − momentum)), and a
 * closed-form gradient. On wasm this made av-digits' audio encoder train
 * about 1.2× faster (bench/README.md). Other axes, and layers without γ or β,
 * use tfjs-layers' own path.
 */
export class BatchNormalization extends TfjsBatchNormalization {
  static className = 'PolyfuseBatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const self = this as unknown as BatchNormFields;
    const axis = self.axis >= 0 ? self.axis : self.axis + input.rank;
    if (kwargs?.training !== true || axis !== input.rank - 1 || !self.gamma || !self.beta) return super.call(inputs, kwargs);
    const { y, mean, variance } = fusedBatchNormTraining(input, self.gamma.read(), self.beta.read(), self.epsilon);
    tf.tidy(() => {
      for (const [variable, value] of [
        [self.movingMean, mean],
        [self.movingVariance, variance],
      ] as const) {
        const current = variable.read();
        variable.write(tf.sub(current, tf.mul(tf.sub(current, tf.tensor1d(value)), 1 - self.momentum)));
      }
    });
    return y;
  }
}
tf.serialization.registerClass(BatchNormalization as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);

/** `new BatchNormalization(args)`, in the style of `tf.layers.batchNormalization`. */
export function batchNormalization(args: BatchNormArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
