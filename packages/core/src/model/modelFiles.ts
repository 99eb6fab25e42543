import { tf } from '../tf.js';
import { InputError } from '../errors/errors.js';
import { MultimodalModel, type MultimodalMetadata } from './multimodalModel.js';
import { columnMaskInputs, rankOneMaskInputs } from '../interop/columnMaskInputs.js';
import { explainUnknownLayer } from '../interop/unknownLayer.js';

/**
 * A saved model's files. `model.json` + `weights.bin` are a standard TF.js
 * LayersModel artefact (`tf.loadLayersModel` opens them); `polyfuse.json`
 * adds what polyfuse needs on top (modalities, modules, the build spec).
 */
export interface ModelFiles {
  'model.json': string;
  'weights.bin': Uint8Array;
  'polyfuse.json': string;
}

export const modelFileNames = ['model.json', 'weights.bin', 'polyfuse.json'] as const;

/**
 * Serialises a model to its three files (in memory). Mask inputs are saved as
 * `[B, 1]` so that plain TF.js `predict` can feed them (see
 * `interop/columnMaskInputs.ts`); everything else is what `model.save` writes.
 */
export async function modelToFiles(model: MultimodalModel): Promise<ModelFiles> {
  let files: ModelFiles | undefined;
  await model.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData
        ? new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]))
        : new Uint8Array(0);
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology && columnMaskInputs(artifacts.modelTopology, model.modalities),
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      files = {
        'model.json': JSON.stringify(modelJson),
        'weights.bin': weightData,
        'polyfuse.json': JSON.stringify(model.metadata, null, 2),
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files!;
}

/**
 * Rebuilds a model from its files, with `[B]` mask inputs as built (files
 * saved before masks were saved as `[B, 1]` load the same way). Custom layers
 * (fusions) must be registered first: import the packages that define them;
 * an unregistered one is an `InputError` that names its package.
 */
export async function modelFromFiles(files: ModelFiles, source = 'model'): Promise<MultimodalModel> {
  const modelJson = parseJson(files['model.json'], `${source}/model.json`) as {
    modelTopology?: unknown;
    weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const metadata = parseJson(files['polyfuse.json'], `${source}/polyfuse.json`) as MultimodalMetadata;
  if (metadata.format !== 'polyfuse-model') {
    throw new InputError(`${source}/polyfuse.json is not a polyfuse model description (format is ${JSON.stringify(metadata.format)}).`);
  }
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new InputError(`${source}/model.json is not a TF.js LayersModel artefact (no modelTopology or weightsManifest).`);
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const expectedBytes = weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (files['weights.bin'].byteLength !== expectedBytes) {
    throw new InputError(
      `${source}/weights.bin has ${files['weights.bin'].byteLength} bytes but model.json describes ${expectedBytes}: the file is truncated or belongs to another model.`,
    );
  }
  const bytes = files['weights.bin'];
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let layersModel: tf.LayersModel;
  try {
    layersModel = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: rankOneMaskInputs(modelJson.modelTopology as object, metadata.modalities ?? []), weightSpecs, weightData }),
    );
  } catch (error) {
    const explained = explainUnknownLayer(error, modelJson.modelTopology);
    if (explained !== error) throw new InputError(`Could not rebuild ${source}: ${(explained as Error).message}`, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(
      `Could not rebuild ${source}: ${message}. If it names an unknown class, import the polyfuse package that defines it (e.g. @polyfuse/fusion) before loading.`,
      { cause: error },
    );
  }
  return new MultimodalModel(layersModel, metadata);
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${name} is not valid JSON (${(error as Error).message}). The saved model is corrupt; save it again.`);
  }
}
