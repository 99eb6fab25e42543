import { ConfigError, tf } from '@polyfuse/core';

const globalKey = Symbol.for('polyfuse.pretrainedModels');

/**
 * Loaded pretrained LayersModels by name. Loading is asynchronous but registry
 * factories are synchronous, so a config's `encoder/pretrained` names a model
 * that was loaded (and registered here) before the model is built:
 * `await loadPretrainedModel('models/mobilenet')` (from `@polyfuse/image/node`),
 * or `registerPretrainedModel(name, await tf.loadLayersModel(url))` in a browser.
 */
const models: Map<string, tf.LayersModel> = ((globalThis as Record<symbol, unknown>)[globalKey] ??= new Map()) as Map<string, tf.LayersModel>;

export function registerPretrainedModel(name: string, model: tf.LayersModel): void {
  if (typeof name !== 'string' || name.length === 0) throw new ConfigError('registerPretrainedModel: name must be a non-empty string.');
  models.set(name, model);
}

export function getPretrainedModel(name: string): tf.LayersModel {
  const model = models.get(name);
  if (!model) {
    const known = [...models.keys()];
    throw new ConfigError(
      `No pretrained model named '${name}' is loaded (loaded: ${known.join(', ') || 'none'}). ` +
        `Call await loadPretrainedModel('${name}') from '@polyfuse/image/node' (or registerPretrainedModel) before building the model.`,
    );
  }
  return model;
}
