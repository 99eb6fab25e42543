import { ConfigError, tf } from '@polyfuse/core';

/** A loaded pretrained model: a LayersModel (nestable, fine-tunable) or a GraphModel (frozen). */
export type PretrainedModel = tf.LayersModel | tf.GraphModel;

const globalKey = Symbol.for('polyfuse.pretrainedModels');

/**
 * Loaded pretrained models by name. Loading is asynchronous but registry
 * factories are synchronous, so a config's `encoder/pretrained` names a model
 * that was loaded (and registered here) before the model is built:
 * `await loadPretrainedModel('models/mobilenet')` (from `@polyfuse/image/node`),
 * or `registerPretrainedModel(name, await tf.loadLayersModel(url))` in a browser.
 * Graph models stay referenced by name in saved models, so they must be
 * registered again before such a model is loaded.
 */
const models: Map<string, PretrainedModel> = ((globalThis as Record<symbol, unknown>)[globalKey] ??= new Map()) as Map<string, PretrainedModel>;

export function registerPretrainedModel(name: string, model: PretrainedModel): void {
  if (typeof name !== 'string' || name.length === 0) throw new ConfigError('registerPretrainedModel: name must be a non-empty string.');
  models.set(name, model);
}

export function getPretrainedModel(name: string): PretrainedModel {
  const model = models.get(name);
  if (!model) {
    const known = [...models.keys()];
    throw new ConfigError(
      `No pretrained model named '${name}' is loaded (loaded: ${known.join(', ') || 'none'}). ` +
        `Call await loadPretrainedModel('${name}') from '@polyfuse/image/node' (or registerPretrainedModel) before building or loading the model.`,
    );
  }
  return model;
}

/** True for a tf.GraphModel (as opposed to a LayersModel). */
export function isGraphModel(model: PretrainedModel): model is tf.GraphModel {
  return typeof (model as tf.GraphModel).execute === 'function' && !(model instanceof tf.LayersModel);
}
