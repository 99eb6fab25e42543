import path from 'node:path';
import { promises as fs } from 'node:fs';
import { InputError, tf } from '@polyfuse/core';
import { registerPretrainedModel, type PretrainedModel } from '../encoders/pretrainedModels.js';

/**
 * Loads a TF.js LayersModel or graph model from local files (`model.json`
 * and the weight shards its manifest names, as `tensorflowjs_converter` and
 * `model.save('file://...')` write them) and registers it for
 * `encoder/pretrained` under `name` (default: the path as given). `file` is
 * the model.json or its folder.
 */
export async function loadPretrainedModel(file: string, options: { name?: string } = {}): Promise<PretrainedModel> {
  const modelJsonPath = (await isDirectory(file)) ? path.join(file, 'model.json') : file;
  const dir = path.dirname(modelJsonPath);
  let json: { format?: string; modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(await fs.readFile(modelJsonPath, 'utf8'));
  } catch (error) {
    throw new InputError(`${modelJsonPath}: cannot read a TF.js model.json (${(error as Error).message}).`, { cause: error });
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`${modelJsonPath}: not a TF.js model (no modelTopology or weightsManifest).`);
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
  let model: PretrainedModel;
  try {
    const artifacts = { modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format };
    model = json.format === 'graph-model' ? await tf.loadGraphModel(tf.io.fromMemory(artifacts)) : await tf.loadLayersModel(tf.io.fromMemory(artifacts));
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
