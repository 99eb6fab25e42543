import { ConfigError, componentConfig, registry, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';
import { getPretrainedModel, isGraphModel, type PretrainedModel } from './pretrainedModels.js';
import { GraphModelLayer } from '../layers/graphModelLayer.js';

/** Options of `encoder/pretrained`. */
export interface PretrainedEncoderConfig {
  /** Name the model was loaded or registered under (a path for `loadPretrainedModel`). */
  model: string;
  /** Layer (LayersModel) or node (graph model) whose output is the embedding. Default: the model's output. */
  featureLayer?: string;
  /** Fine-tune (true) or freeze (false) the pretrained weights. Default false; graph models are always frozen. */
  trainable: boolean;
  /**
   * How a `[H, W, C]` feature map becomes a vector: `mean` (global average;
   * formerly `globalAverage`), `flatten`, or `none` (the feature layer's output
   * as it is). Default `mean`.
   */
  pooling: 'mean' | 'flatten' | 'none';
  modality?: string;
}

export const pretrainedEncoderSchema: ConfigSchema = {
  model: { type: 'string', required: true, description: 'Name or path of a loaded pretrained model.' },
  featureLayer: { type: 'string', description: 'Layer whose output is the embedding (default: last layer).' },
  trainable: { type: 'boolean', default: false, description: 'Fine-tune the pretrained weights.' },
  pooling: {
    type: 'string',
    enum: ['mean', 'flatten', 'none'],
    default: 'mean',
    description: 'mean (global average) or flatten a [H, W, C] feature map; none keeps it.',
    deprecated: { values: { globalAverage: 'mean' } },
  },
};

type T = tf.SymbolicTensor | tf.Tensor;

/**
 * A pretrained TF.js model as an encoder. A LayersModel is cut at
 * `featureLayer` and nested as one layer of the multimodal model, so its
 * weights save and load with it and it needs no re-download; with
 * `trainable: false` its weights are frozen (transfer learning), true
 * fine-tunes them. A graph model runs frozen through `GraphModelLayer`,
 * `featureLayer` naming the output node; saved models refer to it by name.
 * Note: batch-norm layers inside a frozen model still follow the `training`
 * flag, as in TF.js (unlike Keras 2, which runs frozen BN in inference mode).
 */
export class PretrainedEncoder implements Encoder {
  readonly inputShape: number[];
  readonly inputDtype: 'float32' | 'int32';
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  /** The pretrained model cut at the feature layer (a LayersModel), or the graph-model layer. */
  readonly features: tf.LayersModel | GraphModelLayer;
  private readonly pool?: tf.layers.Layer;

  constructor(model: PretrainedModel, options: Omit<Partial<PretrainedEncoderConfig>, 'model'> & { model?: string } = {}) {
    const { modality, ...rest } = options;
    const fallbackName = isGraphModel(model) ? 'graph_model' : model.name;
    const c = validateConfig<PretrainedEncoderConfig & Record<string, unknown>>(pretrainedEncoderSchema, { model: rest.model ?? fallbackName, ...rest }, 'encoder/pretrained');
    this.config = componentConfig('pretrained', c);
    const featuresName = `${modality ?? 'pretrained'}_pretrained_${c.featureLayer ?? 'output'}`.replace(/[^A-Za-z0-9_]/g, '_');
    let featureShape: number[];
    if (isGraphModel(model)) {
      if (c.trainable) throw new ConfigError(`encoder/pretrained: '${c.model}' is a graph model, whose weights are constants; it can only be used frozen (trainable: false).`);
      if (model.inputs.length !== 1) throw new ConfigError(`encoder/pretrained: '${c.model}' has ${model.inputs.length} inputs; an encoder needs exactly one.`);
      const input = model.inputs[0]!;
      const shape = (input.shape ?? []).slice(1);
      if (shape.some((d) => !(d > 0))) throw new ConfigError(`encoder/pretrained: '${c.model}' has an input of unknown size ${JSON.stringify(input.shape)}; encoders need fixed input shapes.`);
      this.inputShape = shape;
      this.inputDtype = input.dtype === 'int32' ? 'int32' : 'float32';
      const dtype = this.inputDtype;
      try {
        featureShape = tf.tidy(() => (model.execute(tf.zeros([1, ...shape], dtype), c.featureLayer) as tf.Tensor).shape.slice(1));
      } catch (error) {
        throw new ConfigError(
          `encoder/pretrained.featureLayer: graph model '${c.model}' cannot produce '${c.featureLayer ?? 'its output'}' (${(error as Error).message}). Its outputs: ${model.outputNodes.join(', ')}.`,
          { cause: error },
        );
      }
      this.features = new GraphModelLayer({ model: c.model, outputNode: c.featureLayer, featureShape, name: featuresName });
    } else {
      if (model.inputs.length !== 1) {
        throw new ConfigError(`encoder/pretrained: '${c.model}' has ${model.inputs.length} inputs; an encoder needs exactly one.`);
      }
      let output: tf.SymbolicTensor;
      if (c.featureLayer) {
        const names = model.layers.map((l) => l.name);
        if (!names.includes(c.featureLayer)) {
          throw new ConfigError(`encoder/pretrained.featureLayer: '${c.featureLayer}' is not a layer of '${c.model}'. Its layers end with: ${names.slice(-8).join(', ')}.`);
        }
        output = model.getLayer(c.featureLayer).output as tf.SymbolicTensor;
      } else {
        output = model.outputs[0]!;
      }
      const features = tf.model({ inputs: model.inputs, outputs: output, name: featuresName });
      features.trainable = c.trainable;
      this.features = features;
      const input = model.inputs[0]!;
      this.inputShape = input.shape.slice(1).map((d) => {
        if (d === null) throw new ConfigError(`encoder/pretrained: '${c.model}' has an input with unknown size ${JSON.stringify(input.shape)}; encoders need fixed input shapes.`);
        return d;
      });
      this.inputDtype = input.dtype === 'int32' ? 'int32' : 'float32';
      featureShape = output.shape.slice(1) as number[];
    }
    if (featureShape.length === 3 && c.pooling !== 'none') {
      this.pool = c.pooling === 'flatten' ? tf.layers.flatten({ name: `${featuresName}_flatten` }) : tf.layers.globalAveragePooling2d({ name: `${featuresName}_gap` });
      this.outputShape = c.pooling === 'flatten' ? [featureShape.reduce((a, b) => a * b, 1)] : [featureShape[2]!];
    } else {
      this.outputShape = featureShape;
    }
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: T): T {
    const features = this.features.apply(input as tf.Tensor) as T;
    return this.pool ? (this.pool.apply(features as tf.Tensor) as T) : features;
  }
}

registry.register(
  {
    kind: 'encoder',
    name: 'pretrained',
    description: 'A loaded pretrained TF.js LayersModel (cut at a feature layer; frozen or fine-tuned) or graph model (frozen).',
    schema: pretrainedEncoderSchema,
    create: (config: PretrainedEncoderConfig) => new PretrainedEncoder(getPretrainedModel(config.model), config),
  },
  { override: true },
);
