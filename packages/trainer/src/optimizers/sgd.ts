import { tf, ConfigError } from '@polyfuse/core';
import { Optimizer, withDefaults } from './optimizer.js';

export interface SgdOptions {
  learningRate: number;
  /** Momentum factor. Default 0. */
  momentum?: number;
  /** Dampening for momentum. Default 0. */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov?: boolean;
  /** L2 penalty added to the gradient (`g += weightDecay * p`). Default 0. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, exactly
 * torch.optim.SGD (1.13): `g += wd*p`; `buf = g` on the first step, then
 * `buf = momentum*buf + (1-dampening)*g`; Nesterov uses `g + momentum*buf`,
 * plain momentum uses `buf`; `p -= lr * that`.
 */
export class Sgd extends Optimizer {
  readonly name = 'sgd';
  readonly options: Required<SgdOptions>;

  constructor(options: SgdOptions) {
    super(options.learningRate);
    this.options = withDefaults<Required<SgdOptions>>({ learningRate: options.learningRate, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 }, options);
    if (this.options.nesterov && (this.options.momentum <= 0 || this.options.dampening !== 0)) {
      throw new ConfigError('optimizer sgd: nesterov needs momentum > 0 and dampening 0 (as in torch.optim.SGD).');
    }
  }

  protected update(param: tf.Tensor, grad: tf.Tensor, slots: Record<string, tf.Tensor>, step: number, lr: number) {
    const { momentum, dampening, nesterov, weightDecay } = this.options;
    let g = weightDecay !== 0 ? grad.add(param.mul(weightDecay)) : grad;
    const out: Record<string, tf.Tensor> = {};
    if (momentum !== 0) {
      const buf = step === 1 || !slots.momentum ? g : slots.momentum.mul(momentum).add(g.mul(1 - dampening));
      out.momentum = buf;
      g = nesterov ? g.add(buf.mul(momentum)) : buf;
    }
    return { value: param.sub(g.mul(lr)), slots: out };
  }
}
