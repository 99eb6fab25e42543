import { maskInputName } from '../model/names.js';

/**
 * Saved presence-mask inputs as `[B, 1]` columns.
 *
 * In memory a model's `mask_<modality>` inputs are `[B]`: fusion layers take
 * `[B]` masks and tell a presence mask from a `[B, T]` padding mask by rank.
 * TF.js's `LayersModel.predict` cannot feed a `[B]` input, though: it expands
 * every rank-1 tensor to `[B, 1]` before checking it against the declared
 * shape `[null]` (tfjs-layers 4.22, `ensureTensorsRank2OrHigher` then
 * `checkInputData`), so a plain `tf.loadLayersModel` + `predict` always failed.
 *
 * So `model.json` declares each mask input `[null, 1]`, followed by a
 * built-in `Reshape` layer (`targetShape: []`, named `mask_<m>_squeeze`) that
 * gives its consumers the `[B]` mask they were built with. `predict` then
 * takes `[B]` or `[B, 1]` masks, and the layer needs no extra import.
 * `rankOneMaskInputs` undoes this when polyfuse loads the model, so a loaded
 * model has the same graph as a freshly built one (and models saved before
 * this change, with `[null]` mask inputs, load unchanged).
 */

/** The Keras functional-model config inside a TF.js `modelTopology`. */
interface ModelConfig {
  layers: LayerConfig[];
  input_layers?: InboundRef[];
  output_layers?: InboundRef[];
}
interface LayerConfig {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: InboundRef[][];
}
/** `[layerName, nodeIndex, tensorIndex, kwargs?]` */
type InboundRef = [string, number, number, ...unknown[]];

/** Name of the layer that turns a saved `[B, 1]` mask input back into `[B]`. */
export const maskSqueezeName = (modality: string): string => `${maskInputName(modality)}_squeeze`;

/**
 * `topology` (a TF.js `modelTopology`) with the mask inputs of `modalities`
 * declared `[null, 1]`, each followed by a squeeze to `[B]`. Returns a copy;
 * masks already declared `[null, 1]` are left as they are.
 */
export function columnMaskInputs(topology: object, modalities: string[]): object {
  const copy = structuredClone(topology) as Record<string, unknown>;
  const model = modelConfigOf(copy);
  if (!model) return copy;
  for (const modality of modalities) {
    const maskName = maskInputName(modality);
    const index = model.layers.findIndex((l) => l.name === maskName && l.class_name === 'InputLayer');
    if (index < 0) continue;
    const input = model.layers[index];
    const shape = input.config.batch_input_shape as (number | null)[] | undefined;
    if (!Array.isArray(shape) || shape.length !== 1) continue;
    input.config.batch_input_shape = [shape[0], 1];
    const consumers = model.layers.filter((l) => l.inbound_nodes.some((node) => node.some((ref) => ref[0] === maskName)));
    if (consumers.length === 0) continue;
    const squeezeName = uniqueName(model, maskSqueezeName(modality));
    for (const layer of consumers) {
      for (const node of layer.inbound_nodes) for (const ref of node) if (ref[0] === maskName) ref[0] = squeezeName;
    }
    for (const ref of model.output_layers ?? []) if (ref[0] === maskName) ref[0] = squeezeName;
    model.layers.splice(index + 1, 0, {
      name: squeezeName,
      class_name: 'Reshape',
      config: { name: squeezeName, trainable: true, dtype: 'float32', target_shape: [] },
      inbound_nodes: [[[maskName, 0, 0, {}]]],
    });
  }
  return copy;
}

/**
 * The inverse of `columnMaskInputs`: `[null, 1]` mask inputs back to `[null]`
 * and their squeeze layers removed, consumers reading the input directly.
 * Returns a copy; a topology with `[null]` mask inputs comes back unchanged.
 */
export function rankOneMaskInputs(topology: object, modalities: string[]): object {
  const copy = structuredClone(topology) as Record<string, unknown>;
  const model = modelConfigOf(copy);
  if (!model) return copy;
  for (const modality of modalities) {
    const maskName = maskInputName(modality);
    const input = model.layers.find((l) => l.name === maskName && l.class_name === 'InputLayer');
    const shape = input?.config.batch_input_shape as (number | null)[] | undefined;
    if (!input || !Array.isArray(shape) || shape.length !== 2 || shape[1] !== 1) continue;
    input.config.batch_input_shape = [shape[0]];
    const squeezes = model.layers.filter((l) => isSqueezeOf(l, maskName));
    const names = new Set(squeezes.map((l) => l.name));
    model.layers = model.layers.filter((l) => !names.has(l.name));
    for (const layer of model.layers) {
      for (const node of layer.inbound_nodes) for (const ref of node) if (names.has(ref[0])) ref[0] = maskName;
    }
    for (const ref of model.output_layers ?? []) if (names.has(ref[0])) ref[0] = maskName;
  }
  return copy;
}

function isSqueezeOf(layer: LayerConfig, maskName: string): boolean {
  const target = layer.config.target_shape;
  return (
    layer.class_name === 'Reshape' &&
    Array.isArray(target) &&
    target.length === 0 &&
    layer.inbound_nodes.length === 1 &&
    layer.inbound_nodes[0].length === 1 &&
    layer.inbound_nodes[0][0][0] === maskName
  );
}

/** TF.js saves either the model config itself or `{ model_config, training_config }`. */
function modelConfigOf(topology: Record<string, unknown>): ModelConfig | undefined {
  const outer = (topology.model_config ?? topology) as { config?: ModelConfig };
  return Array.isArray(outer.config?.layers) ? outer.config : undefined;
}

function uniqueName(model: ModelConfig, wanted: string): string {
  const taken = new Set(model.layers.map((l) => l.name));
  let name = wanted;
  for (let i = 1; taken.has(name); i++) name = `${wanted}_${i}`;
  return name;
}
