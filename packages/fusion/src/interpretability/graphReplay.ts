import { tf, InputError } from '@polyfuse/core';

interface NodeLike {
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
}

/**
 * Evaluates symbolic tensors of a built LayersModel from concrete values fed
 * at any symbolic tensors (not only the model's inputs), by applying each
 * layer of the graph in turn (inference mode). This is what lets us
 * differentiate the fused prediction with respect to the embeddings, which
 * are internal tensors of the model.
 */
export function replayGraph(outputs: tf.SymbolicTensor[], feeds: Map<number, tf.Tensor>): tf.Tensor[] {
  const values = new Map(feeds);
  const evaluate = (t: tf.SymbolicTensor): tf.Tensor => {
    const known = values.get(t.id);
    if (known) return known;
    const layer = t.sourceLayer as tf.layers.Layer & { inboundNodes: NodeLike[] };
    if (layer.getClassName() === 'InputLayer') {
      throw new InputError(`replayGraph: no value was fed for input '${layer.name}'.`);
    }
    const node = layer.inboundNodes[t.nodeIndex];
    const inputs = node.inputTensors.map(evaluate);
    const result = layer.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false }) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(result) ? result : [result];
    node.outputTensors.forEach((o, i) => values.set(o.id, list[i]));
    return values.get(t.id)!;
  };
  return outputs.map(evaluate);
}
