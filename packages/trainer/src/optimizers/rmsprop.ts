import { tf } from '@polyfuse/core';
import { Optimizer, withDefaults } from './optimizer.js';

export interface RmspropOptions {
  learningRate: number;
  /** Smoothing constant. Default 0.99 (torch's default). */
  alpha?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Default 0. */
  momentum?: number;
  /** Normalise by the variance estimate instead of the second moment. Default false. */
  centered?: boolean;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
}

/**
 * RMSprop, exactly torch.optim.RMSprop (1.13): `g += wd*p`;
 * `sq = alpha*sq + (1-alpha)*g²`; centered: `avg = sqrt(sq - ga²) + eps` with
 * `ga = alpha*ga + (1-alpha)*g`, else `avg = sqrt(sq) + eps`; with momentum
 * `buf = momentum*buf + g/avg; p -= lr*buf`, else `p -= lr*g/avg`.
 */
export class Rmsprop extends Optimizer {
  readonly name = 'rmsprop';
  readonly options: Required<RmspropOptions>;

  constructor(options: RmspropOptions) {
    super(options.learningRate);
    this.options = withDefaults<Required<RmspropOptions>>({ learningRate: options.learningRate, alpha: 0.99, epsilon: 1e-8, momentum: 0, centered: false, weightDecay: 0 }, options);
  }

  protected update(param: tf.Tensor, grad: tf.Tensor, slots: Record<string, tf.Tensor>, _step: number, lr: number) {
    const { alpha, epsilon, momentum, centered, weightDecay } = this.options;
    const g = weightDecay !== 0 ? grad.add(param.mul(weightDecay)) : grad;
    const out: Record<string, tf.Tensor> = {};
    out.square = (slots.square ?? tf.zerosLike(g)).mul(alpha).add(g.square().mul(1 - alpha));
    let avg: tf.Tensor;
    if (centered) {
      out.gradAverage = (slots.gradAverage ?? tf.zerosLike(g)).mul(alpha).add(g.mul(1 - alpha));
      avg = out.square.sub(out.gradAverage.square()).sqrt().add(epsilon);
    } else {
      avg = out.square.sqrt().add(epsilon);
    }
    if (momentum > 0) {
      out.momentum = (slots.momentum ?? tf.zerosLike(g)).mul(momentum).add(g.div(avg));
      return { value: param.sub(out.momentum.mul(lr)), slots: out };
    }
    return { value: param.sub(g.div(avg).mul(lr)), slots: out };
  }
}
