import { ConfigError, tf } from '@polyfuse/core';
import { getPretrainedModel, isGraphModel } from '../encoders/pretrainedModels.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Shape = (number | null)[];

export interface GraphModelLayerArgs extends LayerArgs {
  /** Name the graph model is registered under (`registerPretrainedModel` / `loadPretrainedModel`). */
  model: string;
  /** Graph node whose output is the feature; default the model's first output. */
  outputNode?: string;
  /** Per-sample feature shape (measured once when the encoder is built). */
  featureShape: number[];
}

/**
 * Runs a registered TF.js graph model (frozen: its weights are constants) as
 * a layer, so its features can feed trainable layers. The saved config holds
 * the model's registry name, not its weights: register the graph model again
 * before loading a model that contains this layer.
 */
export class GraphModelLayer extends tf.layers.Layer {
  static className = 'PolyfuseGraphModelLayer';
  readonly model: string;
  readonly outputNode?: string;
  readonly featureShape: number[];

  constructor(args: GraphModelLayerArgs) {
    super({ ...args, trainable: false });
    this.model = args.model;
    this.outputNode = args.outputNode;
    this.featureShape = args.featureShape;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [(inputShape as Shape)[0]!, ...this.featureShape];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const graph = getPretrainedModel(this.model);
    if (!isGraphModel(graph)) throw new ConfigError(`GraphModelLayer: '${this.model}' is a LayersModel, not a graph model.`);
    return tf.tidy(() => graph.execute(x, this.outputNode) as tf.Tensor);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), model: this.model, ...(this.outputNode ? { outputNode: this.outputNode } : {}), featureShape: this.featureShape };
  }
}
tf.serialization.registerClass(GraphModelLayer);
