import path from 'node:path';
import { promises as fs } from 'node:fs';
import { InputError, tf } from '@polyfuse/core';
import { registerPretrainedModel } from '../encoders/pretrainedModels.js';

/**
 * Loads a TF.js LayersModel from local files (`model.json` and the weight
 * shards its manifest names, as `tfjs.converters` and `model.save('file://...')`
 * write them) and registers it for `encoder/pretrained` under `name`
 * (default: the path as given). `file` is the model.json or its folder.
 */
export async function loadPretrainedModel(file: string, options: { name?: string } = {}): Promise<tf.LayersModel> {
  const modelJsonPath = (await isDirectory(file)) ? path.join(file, 'model.json') : file;
  const dir = path.dirname(modelJsonPath);
  let json: { format?: string; modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(await fs.readFile(modelJsonPath, 'utf8'));
  } catch (error) {
    throw new InputError(`${modelJsonPath}: cannot read a TF.js model.json (${(error as Error).message}).`, { cause: error });
  }
  if (json.format === 'graph-model') {
    throw new InputError(`${modelJsonPath} is a TF.js graph model; encoder/pretrained needs a LayersModel (convert with --output_format=tfjs_layers_model, or use tf.loadGraphModel for frozen feature extraction).`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`${modelJsonPath}: not a TF.js LayersModel (no modelTopology or weightsManifest).`);
  }
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const shard of group.paths) {
      const shardPath = path.join(dir, shard);
      try {
        shards.push(new Uint8Array(await fs.readFile(shardPath)));
      } catch (error) {
        throw new InputError(`${shardPath}: weight shard named in ${modelJsonPath} cannot be read (${(error as Error).message}).`, { cause: error });
      }
    }
  }
  const weightData = tf.io.concatenateArrayBuffers(shards.map((s) => s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer));
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
  } catch (error) {
    throw new InputError(`${modelJsonPath}: the model could not be rebuilt (${(error as Error).message}).`, { cause: error });
  }
  registerPretrainedModel(options.name ?? file, model);
  return model;
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isDirectory();
  } catch {
    return false;
  }
}
