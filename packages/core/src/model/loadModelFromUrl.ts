import { InputError } from '../errors/errors.js';
import type { MultimodalModel } from './multimodalModel.js';
import { modelFromFiles } from './modelFiles.js';

/**
 * Loads a saved model folder served over HTTP (in a browser, or Node with
 * fetch): `baseUrl` is the folder's URL, e.g. `/models/av-digits`.
 */
export async function loadModelFromUrl(baseUrl: string): Promise<MultimodalModel> {
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (name: string): Promise<Response> => {
    const response = await fetch(`${base}/${name}`);
    if (!response.ok) throw new InputError(`Could not fetch ${base}/${name}: HTTP ${response.status}.`);
    return response;
  };
  const [modelJson, weights, polyfuseJson] = await Promise.all([
    get('model.json').then((r) => r.text()),
    get('weights.bin').then((r) => r.arrayBuffer()),
    get('polyfuse.json').then((r) => r.text()),
  ]);
  return modelFromFiles({ 'model.json': modelJson, 'weights.bin': new Uint8Array(weights), 'polyfuse.json': polyfuseJson }, base);
}
