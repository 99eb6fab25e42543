import { describe, expect, it, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tf, initBackend, InputError, LogitScale, explainUnknownLayer, packageOfLayer, polyfuseLayerPackages } from '../index.js';
import { loadModel, saveModel } from '../node.js';
import { MultimodalModel } from '../model/multimodalModel.js';

const packagesDir = fileURLToPath(new URL('../../../', import.meta.url));

/** `static className = 'Polyfuse…'` in every package's sources, with the package that declares it. */
async function declaredLayerClasses(): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const pkg of await fs.readdir(packagesDir)) {
    const src = path.join(packagesDir, pkg, 'src');
    const files = await fs.readdir(src, { recursive: true }).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = await fs.readFile(path.join(src, file), 'utf8');
      for (const match of text.matchAll(/static\s+(?:override\s+)?(?:readonly\s+)?className\s*=\s*'(Polyfuse\w+)'/g)) found[match[1]] = `@polyfuse/${pkg}`;
    }
  }
  return found;
}

/** What tf.loadLayersModel throws for a model.json naming classes nobody registered. */
async function loadError(classNames: string[]): Promise<{ error: unknown; topology: object }> {
  const x = tf.input({ shape: [3] });
  const model = tf.model({ inputs: x, outputs: new LogitScale({ name: 'scale' }).apply(x) as tf.SymbolicTensor });
  let topology: object | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((topology = artifacts.modelTopology as object), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  // Swap the registered class for unregistered ones, as a model.json of a package not imported reads.
  const layers = (topology as { config: { layers: { class_name: string }[] } }).config.layers;
  const renamed = { ...topology, config: { ...(topology as { config: object }).config, layers: [...layers, ...classNames.slice(1).map((c) => ({ ...layers[1], class_name: c }))] } };
  const json = JSON.parse(JSON.stringify(renamed).replace('"PolyfuseLogitScale"', JSON.stringify(classNames[0])));
  const error = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json })).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, topology: json };
}

describe('explainUnknownLayer', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  it('knows the package of every polyfuse layer class', async () => {
    expect(polyfuseLayerPackages).toEqual(await declaredLayerClasses());
  });

  it('names the package to import when TF.js meets an unregistered polyfuse layer', async () => {
    const { error } = await loadError(['PolyfuseCrossModalTransformer']);
    expect((error as Error).message).toMatch(/Unknown layer: PolyfuseCrossModalTransformer/);
    const explained = explainUnknownLayer(error);
    expect(explained).toBeInstanceOf(InputError);
    expect((explained as Error).message).toContain("PolyfuseCrossModalTransformer (@polyfuse/fusion): add `import '@polyfuse/fusion';`");
    expect((explained as Error).cause).toBe(error);
  });

  it('names every missing package when given the model topology', async () => {
    const { error, topology } = await loadError(['PolyfuseApplyMask', 'PolyfuseCrossModalTransformer', 'PolyfuseLogitScale']);
    const message = (explainUnknownLayer(error, topology) as Error).message;
    expect(message).toContain("PolyfuseApplyMask (@polyfuse/text), PolyfuseCrossModalTransformer (@polyfuse/fusion): add `import '@polyfuse/text';` `import '@polyfuse/fusion';`");
    expect(message).not.toContain('PolyfuseLogitScale'); // registered: core is imported
  });

  it('points at plugins for polyfuse-named classes it does not know, and leaves other errors alone', async () => {
    expect(packageOfLayer('PolyfuseHierarchicalFusion')).toBe('@polyfuse/fusion');
    const { error } = await loadError(['PolyfuseSomethingNew']);
    expect((explainUnknownLayer(error) as Error).message).toMatch(/PolyfuseSomethingNew: not a layer of this version of polyfuse; import the plugin/);
    const other = new Error('Unknown layer: MyLayer');
    expect(explainUnknownLayer(other)).toBe(other);
    expect(explainUnknownLayer('offline')).toBe('offline');
  });

  it('explains loadModel failures the same way', async () => {
    const x = tf.input({ shape: [3] });
    const mask = tf.input({ shape: [], name: 'mask_x' });
    const model = new MultimodalModel(tf.model({ inputs: [x, mask], outputs: new LogitScale({ name: 'scale' }).apply(x) as tf.SymbolicTensor }), {
      format: 'polyfuse-model',
      version: 1,
      modalities: ['x'],
      inputShapes: { x: [3] },
      inputDtypes: { x: 'float32' },
      outputNames: ['logit_scale'],
      modules: {},
    });
    const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-unknown-')), 'model');
    await saveModel(dir, model);
    const modelJson = path.join(dir, 'model.json');
    await fs.writeFile(modelJson, (await fs.readFile(modelJson, 'utf8')).replace('"PolyfuseLogitScale"', '"PolyfuseGatedFusion"'));
    await expect(loadModel(dir)).rejects.toThrow(/Could not rebuild .*PolyfuseGatedFusion \(@polyfuse\/fusion\): add `import '@polyfuse\/fusion';`/);
  });
});
