import { modelFromFiles, modelToFiles, modelFileNames, InputError, type MultimodalModel } from '@polyfuse/core';

/** Saves the model as its three files (model.json, weights.bin, polyfuse.json), one browser download each. */
export async function downloadModel(model: MultimodalModel): Promise<void> {
  const files = await modelToFiles(model);
  for (const name of modelFileNames) {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([files[name] as BlobPart]));
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }
}

/** Opens a model from the three files a download gave (picked together in a file dialog or dropped). */
export async function openModel(files: FileList | File[]): Promise<MultimodalModel> {
  const byName = new Map(Array.from(files, (file) => [file.name.replace(/ \(\d+\)(?=\.)/, ''), file]));
  const missing = modelFileNames.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new InputError(`A model is three files: ${modelFileNames.join(', ')}. Missing: ${missing.join(', ')} (got ${Array.from(files, (f) => f.name).join(', ') || 'nothing'}).`);
  }
  return modelFromFiles(
    {
      'model.json': await byName.get('model.json')!.text(),
      'weights.bin': new Uint8Array(await byName.get('weights.bin')!.arrayBuffer()),
      'polyfuse.json': await byName.get('polyfuse.json')!.text(),
    },
    'the opened model',
  );
}
