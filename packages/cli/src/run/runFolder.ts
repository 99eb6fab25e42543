import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, modelFromFiles, modelToFiles, type ModelFiles, type MultimodalModel } from '@polyfuse/core';
import { writeDirectoryAtomic } from '@polyfuse/core/node';
import { checkPreprocessingState, preprocessingFileName, type PreprocessingState } from '../data/preprocessingState.js';

/**
 * The layout of a run folder (`polyfuse train --out <dir>`):
 *
 * - `model/`: the best model (model.json, weights.bin, polyfuse.json) and
 *   preprocessing.json, everything `predict` needs;
 * - `config.json`: the resolved config; `logs/train.jsonl`: per-step and
 *   per-epoch records; `evaluation.json`: test scores, confusion matrix,
 *   modality contribution and robustness;
 * - `checkpoints/last/` and `checkpoints/best/`: model + preprocessing +
 *   trainer-state.json (epoch, optimizer slots, RNG, weighting state);
 * - `skipped.jsonl`: every sample left out as unusable, one JSON object per
 *   line: `{ manifest, line, id?, field?, reason }` (empty when none was);
 * - `report/`: index.html with its SVG and PNG charts.
 */
export const runPaths = (dir: string) => ({
  root: dir,
  model: path.join(dir, 'model'),
  config: path.join(dir, 'config.json'),
  logs: path.join(dir, 'logs', 'train.jsonl'),
  evaluation: path.join(dir, 'evaluation.json'),
  skipped: path.join(dir, 'skipped.jsonl'),
  report: path.join(dir, 'report'),
});

/** Writes a model with its preprocessing state (and optional extra files) as one atomic folder. */
export async function writeModelFolder(dir: string, model: MultimodalModel, preprocessing: PreprocessingState, extra: Record<string, string> = {}): Promise<void> {
  const files = await modelToFiles(model);
  await writeDirectoryAtomic(dir, { ...(files as unknown as Record<string, string | Uint8Array>), [preprocessingFileName]: JSON.stringify(preprocessing, null, 2), ...extra });
}

/**
 * Reads a model folder written by `writeModelFolder`. `dir` may be a run
 * folder (its `model/` is used) or a model folder.
 */
export async function readModelFolder(dir: string): Promise<{ model: MultimodalModel; preprocessing: PreprocessingState; dir: string }> {
  const modelDir = (await exists(path.join(dir, 'model', 'model.json'))) ? path.join(dir, 'model') : dir;
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await fs.readFile(path.join(modelDir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new InputError(`${path.join(modelDir, name)} does not exist. Give a run folder written by 'polyfuse train' (or its model/ folder).`);
      }
      throw new InputError(`Could not read ${path.join(modelDir, name)}: ${(error as Error).message}`);
    }
  };
  const [modelJson, weights, polyfuseJson, preprocessingJson] = await Promise.all(['model.json', 'weights.bin', 'polyfuse.json', preprocessingFileName].map(read));
  const files: ModelFiles = {
    'model.json': modelJson.toString('utf8'),
    'weights.bin': new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
    'polyfuse.json': polyfuseJson.toString('utf8'),
  };
  const model = await modelFromFiles(files, modelDir);
  let preprocessing: PreprocessingState;
  try {
    preprocessing = JSON.parse(preprocessingJson.toString('utf8')) as PreprocessingState;
  } catch (error) {
    throw new InputError(`${path.join(modelDir, preprocessingFileName)} is not valid JSON (${(error as Error).message}).`);
  }
  preprocessing = checkPreprocessingState(preprocessing, path.join(modelDir, preprocessingFileName));
  return { model, preprocessing, dir: modelDir };
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Reads a JSONL file into records; a missing file is an empty list. */
export async function readJsonl(file: string): Promise<Record<string, any>[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, any>;
      } catch {
        throw new InputError(`${file}:${i + 1} is not valid JSON; the log is corrupt.`);
      }
    });
}
