import { ConfigError, componentConfig, layerNamer, registry, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';
import { checkImageInputShape } from './checkInputShape.js';

/** Options of `encoder/image-resnet`. */
export interface ImageResnetConfig {
  inputShape: number[];
  /** Filters per stage; stages after the first halve the resolution. Default [16, 32, 64]. */
  filters: number[];
  /** Basic residual blocks per stage. Default 1. */
  blocksPerStage: number;
  /** Dense layer after global average pooling (0 = none). Default 0. */
  units: number;
  dropout: number;
  modality?: string;
}

export const imageResnetSchema: ConfigSchema = {
  inputShape: { type: 'number[]', required: true, description: '[height, width, channels] of one image.' },
  filters: { type: 'number[]', default: [16, 32, 64], description: 'Filters per stage.' },
  blocksPerStage: { type: 'integer', min: 1, default: 1 },
  units: { type: 'integer', min: 0, default: 0, description: 'Embedding size (a final dense ReLU layer); 0 = the pooled features.' },
  dropout: { type: 'number', min: 0, max: 0.99, default: 0 },
};

type T = tf.SymbolicTensor | tf.Tensor;

/**
 * A small ResNet (He et al. 2016, the CIFAR-style "basic block" variant):
 * a 3×3 conv stem, then per stage `blocksPerStage` blocks of
 * conv3×3-BN-ReLU-conv3×3-BN plus a shortcut (identity, or 1×1 conv + BN
 * when the shape changes), added and ReLU'd; stages after the first use
 * stride 2. Global average pooling gives `[filters.at(-1)]` (or `[units]`).
 */
export class ImageResnetEncoder implements Encoder {
  readonly inputShape: number[];
  readonly inputDtype = 'float32' as const;
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  private readonly run: (x: T) => T;

  constructor(config: Partial<ImageResnetConfig> & { inputShape: number[] }) {
    const { modality, ...options } = config;
    const checked = validateConfig<ImageResnetConfig & Record<string, unknown>>(imageResnetSchema, options, 'encoder/image-resnet');
    this.inputShape = checkImageInputShape(checked.inputShape, 'encoder/image-resnet');
    if (checked.filters.length === 0 || checked.filters.some((f) => !Number.isInteger(f) || f < 1)) {
      throw new ConfigError(`encoder/image-resnet.filters must be positive integers, got ${JSON.stringify(checked.filters)}.`);
    }
    this.config = componentConfig('image-resnet', checked);
    const name = layerNamer(modality, 'resnet');
    const conv = (filters: number, kernelSize: number, strides: number, part: string) =>
      tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal', ...name(part) });
    const bn = (part: string) => tf.layers.batchNormalization({ ...name(part) });
    const relu = (part: string) => tf.layers.reLU({ ...name(part) });
    type Step = (x: T) => T;
    const layer = (l: tf.layers.Layer): Step => (x) => l.apply(x as tf.Tensor) as T;
    const steps: Step[] = [layer(conv(checked.filters[0]!, 3, 1, 'stem_conv')), layer(bn('stem_bn')), layer(relu('stem_relu'))];
    let channels = checked.filters[0]!;
    checked.filters.forEach((filters, stage) => {
      for (let block = 0; block < checked.blocksPerStage; block++) {
        const stride = stage > 0 && block === 0 ? 2 : 1;
        const id = `s${stage + 1}b${block + 1}`;
        const main = [conv(filters, 3, stride, `${id}_conv1`), bn(`${id}_bn1`), relu(`${id}_relu1`), conv(filters, 3, 1, `${id}_conv2`), bn(`${id}_bn2`)];
        const shortcut = stride !== 1 || channels !== filters ? [conv(filters, 1, stride, `${id}_proj`), bn(`${id}_proj_bn`)] : [];
        const add = tf.layers.add({ ...name(`${id}_add`) });
        const out = relu(`${id}_relu2`);
        steps.push((x) => {
          const y = main.reduce((h, l) => l.apply(h as tf.Tensor) as T, x);
          const s = shortcut.reduce((h, l) => l.apply(h as tf.Tensor) as T, x);
          return out.apply(add.apply([y, s] as tf.Tensor[]) as tf.Tensor) as T;
        });
        channels = filters;
      }
    });
    steps.push(layer(tf.layers.globalAveragePooling2d({ ...name('gap') })));
    if (checked.dropout > 0) steps.push(layer(tf.layers.dropout({ rate: checked.dropout, ...name('dropout') })));
    if (checked.units > 0) steps.push(layer(tf.layers.dense({ units: checked.units, activation: 'relu', ...name('dense') })));
    this.run = (x) => steps.reduce((h, step) => step(h), x);
    this.outputShape = [checked.units > 0 ? checked.units : channels];
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: T): T {
    return this.run(input);
  }
}

registry.register(
  {
    kind: 'encoder',
    name: 'image-resnet',
    description: 'Small ResNet (basic blocks, stride-2 stages, global average pooling). [H, W, C] → [D].',
    schema: imageResnetSchema,
    create: (config: ImageResnetConfig) => new ImageResnetEncoder(config),
  },
  { override: true },
);
