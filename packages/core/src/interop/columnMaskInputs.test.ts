import { describe, expect, it, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { tf, initBackend, MultimodalModel, withSeed, modelToFiles, modelFromFiles, type Encoder, type Fusion, type Head, type ModelFiles } from '../index.js';
import { saveModel, loadModel, writeDirectoryAtomic } from '../node.js';
import { columnMaskInputs, rankOneMaskInputs } from './columnMaskInputs.js';

/**
 * Zeroes absent samples' embeddings, and insists on a `[B]` mask as
 * polyfuse's fusion layers do (they tell presence from padding masks by rank).
 */
class PresenceGate extends tf.layers.Layer {
  static className = 'TestPresenceGate';
  override computeOutputShape(shapes: tf.Shape | tf.Shape[]): tf.Shape {
    return (shapes as tf.Shape[])[0];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [embedding, mask] = inputs as tf.Tensor[];
    if (mask.rank !== 1) throw new Error(`PresenceGate takes a [B] mask, got rank ${mask.rank}.`);
    return tf.mul(embedding, tf.reshape(mask, [-1, 1]));
  }
}
tf.serialization.registerClass(PresenceGate);

function denseEncoder(inputSize: number, units: number): Encoder {
  const dense = tf.layers.dense({ units, activation: 'tanh' });
  return { inputShape: [inputSize], inputDtype: 'float32', outputShape: [units], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Encoder['apply'] };
}

function gatedConcat(modalities: string[], size: number): Fusion {
  const gates = Object.fromEntries(modalities.map((m) => [m, new PresenceGate({ name: `gate_${m}` })]));
  const concat = tf.layers.concatenate();
  return {
    modalities,
    outputShape: [size],
    config: {},
    apply: ((embeddings: Record<string, tf.SymbolicTensor>, masks: Record<string, tf.SymbolicTensor>) =>
      concat.apply(modalities.map((m) => gates[m].apply([embeddings[m], masks[m]]) as tf.SymbolicTensor))) as Fusion['apply'],
  };
}

function linearHead(classes: number): Head {
  const dense = tf.layers.dense({ units: classes });
  return { outputShape: [classes], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Head['apply'] };
}

function build(): MultimodalModel {
  return withSeed(4, () =>
    MultimodalModel.fromParts({ encoders: { image: denseEncoder(6, 4), audio: denseEncoder(3, 5) }, fusion: gatedConcat(['image', 'audio'], 9), head: linearHead(3) }),
  );
}

type Layers = { name: string; class_name: string; config: { batch_input_shape?: unknown }; inbound_nodes: [string, number, number, unknown][][] }[];
const layersOf = (files: ModelFiles): Layers => JSON.parse(files['model.json']).modelTopology.config.layers;

/** What `tf.loadLayersModel('…/model.json')` does with the saved files, without polyfuse's loader. */
async function openWithPlainTfjs(files: ModelFiles): Promise<tf.LayersModel> {
  const json = JSON.parse(files['model.json']);
  const bytes = files['weights.bin'];
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }),
  );
}

/** The files `modelToFiles` wrote before masks were saved as `[B, 1]`. */
async function filesSavedTheOldWay(model: MultimodalModel): Promise<ModelFiles> {
  const files = await modelToFiles(model);
  const json = JSON.parse(files['model.json']);
  json.modelTopology = rankOneMaskInputs(json.modelTopology, model.modalities);
  return { ...files, 'model.json': JSON.stringify(json) };
}

describe('mask inputs of saved models', () => {
  let batch: { image: tf.Tensor; audio: tf.Tensor };
  const audioMask = [1, 0, 1];

  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
    batch = { image: tf.randomNormal([3, 6], 0, 1, 'float32', 1), audio: tf.randomNormal([3, 3], 0, 1, 'float32', 2) };
  });

  it('are declared [batch, 1] in model.json, each squeezed back to [batch] for the layers that read it', async () => {
    const layers = layersOf(await modelToFiles(build()));
    const mask = layers.find((l) => l.name === 'mask_audio')!;
    expect(mask.config.batch_input_shape).toEqual([null, 1]);
    const squeeze = layers.find((l) => l.name === 'mask_audio_squeeze')!;
    expect(squeeze.class_name).toBe('Reshape');
    expect(layers.find((l) => l.name === 'gate_audio')!.inbound_nodes[0].map((ref) => ref[0])).toContain('mask_audio_squeeze');
  });

  it('are fed [batch] or [batch, 1] by plain TF.js predict, with the polyfuse model\'s outputs', async () => {
    const model = build();
    const expected = Array.from(model.predict({ inputs: batch, mask: { audio: tf.tensor1d(audioMask) } }).dataSync());
    const plain = await openWithPlainTfjs(await modelToFiles(model));
    expect(plain.inputNames).toEqual(['image', 'audio', 'mask_image', 'mask_audio']);
    const rankOne = plain.predict([batch.image, batch.audio, tf.ones([3]), tf.tensor1d(audioMask)]) as tf.Tensor;
    const column = plain.predict([batch.image, batch.audio, tf.ones([3, 1]), tf.tensor2d(audioMask, [3, 1])]) as tf.Tensor;
    expect(Array.from(rankOne.dataSync())).toEqual(expected);
    expect(Array.from(column.dataSync())).toEqual(expected);
    // A MultimodalModel around the plain graph still takes [batch] masks.
    const wrapped = new MultimodalModel(plain, model.metadata);
    expect(Array.from(wrapped.predict({ inputs: batch, mask: { audio: tf.tensor1d(audioMask) } }).dataSync())).toEqual(expected);
  });

  it('come back [batch] through loadModel, in the same graph as the built model', async () => {
    const model = build();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-masks-'));
    await saveModel(path.join(dir, 'model'), model);
    const loaded = await loadModel(path.join(dir, 'model'));
    expect(loaded.model.inputs.map((t) => t.shape)).toEqual(model.model.inputs.map((t) => t.shape));
    expect(loaded.model.layers.map((l) => l.name)).toEqual(model.model.layers.map((l) => l.name));
    const mask = { audio: tf.tensor1d(audioMask) };
    expect(Array.from(loaded.predict({ inputs: batch, mask }).dataSync())).toEqual(Array.from(model.predict({ inputs: batch, mask }).dataSync()));
  });

  it('load from a model saved before masks were [batch, 1]', async () => {
    const model = build();
    const old = await filesSavedTheOldWay(model);
    expect(layersOf(old).find((l) => l.name === 'mask_audio')!.config.batch_input_shape).toEqual([null]);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-masks-old-'));
    await writeDirectoryAtomic(path.join(dir, 'model'), old as unknown as Record<string, string | Uint8Array>);
    const loaded = await loadModel(path.join(dir, 'model'));
    const mask = { audio: tf.tensor1d(audioMask) };
    expect(Array.from(loaded.predict({ inputs: batch, mask }).dataSync())).toEqual(Array.from(model.predict({ inputs: batch, mask }).dataSync()));
    expect((await modelFromFiles(old)).model.inputs.map((t) => t.shape)).toEqual(model.model.inputs.map((t) => t.shape));
  });

  it('rewrite exactly: rankOneMaskInputs undoes columnMaskInputs', async () => {
    const model = build();
    let topology: object | undefined;
    await model.model.save(tf.io.withSaveHandler(async (artifacts) => ((topology = artifacts.modelTopology as object), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const column = columnMaskInputs(topology!, model.modalities);
    expect(column).not.toEqual(topology);
    expect(rankOneMaskInputs(column, model.modalities)).toEqual(topology);
    expect(rankOneMaskInputs(topology!, model.modalities)).toEqual(topology);
    expect(columnMaskInputs(column, model.modalities)).toEqual(column);
  });

  it('are [batch, 1] also where no layer reads them', async () => {
    const dense = tf.layers.dense({ units: 2 });
    const ignoresMasks: Fusion = {
      modalities: ['image', 'audio'],
      outputShape: [2],
      config: {},
      apply: ((embeddings: Record<string, tf.SymbolicTensor>) => dense.apply(tf.layers.concatenate().apply([embeddings.image, embeddings.audio]) as tf.SymbolicTensor)) as Fusion['apply'],
    };
    const model = withSeed(5, () => MultimodalModel.fromParts({ encoders: { image: denseEncoder(6, 4), audio: denseEncoder(3, 5) }, fusion: ignoresMasks, head: linearHead(3) }));
    const plain = await openWithPlainTfjs(await modelToFiles(model));
    const fed = plain.inputNames.map((name) => (name.startsWith('mask_') ? tf.ones([3]) : batch[name as keyof typeof batch]));
    expect(Array.from((plain.predict(fed) as tf.Tensor).dataSync())).toEqual(Array.from(model.predict({ inputs: batch }).dataSync()));
  });
});
