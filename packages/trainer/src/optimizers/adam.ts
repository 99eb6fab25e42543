import { adamStepSimd, tf } from '@polyfuse/core';
import { Optimizer, withDefaults } from './optimizer.js';

export interface AdamOptions {
  learningRate: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay `p *= 1 - lr*wd`. Default 0 (Adam), 0.01 (AdamW). */
  weightDecay?: number;
}

/**
 * Adam, exactly torch.optim.Adam (1.13, amsgrad off): `g += wd*p`;
 * `m = b1*m + (1-b1)*g`; `v = b2*v + (1-b2)*g²`;
 * `p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)`.
 */
export class Adam extends Optimizer {
  readonly name: string = 'adam';
  readonly options: Required<AdamOptions>;
  /** AdamW's decoupled weight decay instead of an L2 term in the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(options: AdamOptions) {
    super(options.learningRate);
    this.options = withDefaults<Required<AdamOptions>>({ learningRate: options.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, options);
  }

  protected update(param: tf.Tensor, grad: tf.Tensor, slots: Record<string, tf.Tensor>, step: number, lr: number) {
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    // On wasm, the whole step is one compiled kernel with the same float32 values as the ops below.
    const compiled = adamStepSimd(param, grad, slots.m, slots.v, {
      beta1,
      beta2,
      epsilon,
      biasCorrection2: 1 - beta2 ** step,
      stepSize: lr / (1 - beta1 ** step),
      weightDecay: weightDecay === 0 ? 'none' : this.decoupled ? 'decoupled' : 'l2',
      decay: this.decoupled ? 1 - lr * weightDecay : weightDecay,
    });
    if (compiled) return { value: compiled.value, slots: { m: compiled.m, v: compiled.v } };
    let p = param;
    let g = grad;
    if (weightDecay !== 0) {
      if (this.decoupled) p = p.mul(1 - lr * weightDecay);
      else g = g.add(p.mul(weightDecay));
    }
    const m = (slots.m ?? tf.zerosLike(g)).mul(beta1).add(g.mul(1 - beta1));
    const v = (slots.v ?? tf.zerosLike(g)).mul(beta2).add(g.square().mul(1 - beta2));
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const denominator = v.div(biasCorrection2).sqrt().add(epsilon);
    const value = p.sub(m.div(denominator).mul(lr / biasCorrection1));
    return { value, slots: { m, v } };
  }
}

/**
 * AdamW (Loshchilov & Hutter), exactly torch.optim.AdamW (1.13): the decay is
 * applied to the weights (`p *= 1 - lr*wd`) before the Adam step, not added to
 * the gradient. Default weightDecay 0.01, as in torch.
 */
export class AdamW extends Adam {
  override readonly name = 'adamw';
  protected override readonly decoupled = true;

  constructor(options: AdamOptions) {
    super(withDefaults<AdamOptions>({ learningRate: options.learningRate, weightDecay: 0.01 }, options));
  }
}
