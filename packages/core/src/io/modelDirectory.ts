import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors/errors.js';
import type { MultimodalModel } from '../model/multimodalModel.js';
import { modelFromFiles, modelToFiles, type ModelFiles } from '../model/modelFiles.js';
import { writeDirectoryAtomic } from './atomicWrite.js';

/**
 * Saves a model as a folder: model.json + weights.bin (a TF.js LayersModel
 * artefact a browser opens with `tf.loadLayersModel('<url>/model.json')`) and
 * polyfuse.json. The folder is replaced atomically.
 */
export async function saveModel(dir: string, model: MultimodalModel): Promise<void> {
  const files = await modelToFiles(model);
  await writeDirectoryAtomic(dir, files as unknown as Record<string, string | Uint8Array>);
}

/** Loads a folder written by `saveModel`; outputs are identical to the saved model's. */
export async function loadModel(dir: string): Promise<MultimodalModel> {
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await fs.readFile(path.join(dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(
        code === 'ENOENT'
          ? `${path.join(dir, name)} does not exist. A polyfuse model folder holds model.json, weights.bin and polyfuse.json (written by saveModel or 'polyfuse train').`
          : `Could not read ${path.join(dir, name)}: ${(error as Error).message}`,
      );
    }
  };
  const [modelJson, weights, polyfuseJson] = await Promise.all([read('model.json'), read('weights.bin'), read('polyfuse.json')]);
  const files: ModelFiles = {
    'model.json': modelJson.toString('utf8'),
    'weights.bin': new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
    'polyfuse.json': polyfuseJson.toString('utf8'),
  };
  return modelFromFiles(files, dir);
}
