import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '@polyfuse/core';
export const tinyPluginPath = path.join(path.dirname(new URL(import.meta.url).pathname), 'tinyPlugin.mjs');
/**
 * Writes a small two-modality dataset: `count` samples of 3 classes, each
 * with an `a` vector file (clearly class-dependent) and a `b` vector file
 * (weakly class-dependent), a JSONL manifest, and a config that trains on it
 * with the tiny plugin. Returns the paths.
 */
export async function writeTinyDataset(dir, options = {}) {
    const rng = new SeededRandom(42);
    const count = options.count ?? 48;
    const classes = ['cat', 'dog', 'owl'];
    await fs.mkdir(path.join(dir, 'files'), { recursive: true });
    const lines = [];
    for (let i = 0; i < count; i++) {
        const label = classes[i % 3];
        const k = i % 3;
        const a = Array.from({ length: 4 }, (_, j) => (j === k ? 2 : 0) + rng.normal(0, 0.4));
        const b = Array.from({ length: 3 }, (_, j) => (j === k ? 0.6 : 0) + rng.normal(0, 0.8));
        await fs.writeFile(path.join(dir, 'files', `a${i}.json`), JSON.stringify(a));
        await fs.writeFile(path.join(dir, 'files', `b${i}.json`), JSON.stringify(b));
        lines.push(JSON.stringify({ id: `s${i}`, a: `files/a${i}.json`, b: `files/b${i}.json`, label }));
    }
    lines.push(...(options.extraLines ?? []));
    const manifest = path.join(dir, 'manifest.jsonl');
    await fs.writeFile(manifest, lines.join('\n') + '\n');
    const config = {
        name: 'tiny',
        plugins: [tinyPluginPath],
        data: {
            manifest: 'manifest.jsonl',
            modalities: { a: { preprocessor: { name: 'tiny-vector', config: { size: 4 } } }, b: { preprocessor: { name: 'tiny-vector', config: { size: 3 } } } },
            labels: { label: { field: 'label' } },
            split: { fractions: { validation: 0.2, test: 0.2 }, stratify: 'label' },
        },
        model: {
            encoders: { a: { name: 'tiny-dense', config: { inputSize: 4, units: 8 } }, b: { name: 'tiny-dense', config: { inputSize: 3, units: 8 } } },
            fusion: 'tiny-concat',
            head: { name: 'tiny-linear', config: { classes: 3 } },
            auxiliaryHeads: { name: 'tiny-linear', config: { classes: 3 } },
        },
        loss: {
            terms: { fused: { loss: 'cross-entropy' }, a: { output: 'logits_a' }, b: { output: 'logits_b' } },
            weighting: { name: 'dwa' },
        },
        metrics: ['accuracy', 'macro-f1'],
        optimizer: { name: 'adam', config: { learningRate: 0.05 } },
        schedule: { name: 'cosine', config: { warmupEpochs: 1 } },
        training: { epochs: 4, batchSize: 8, seed: 7, modalityDropout: 0.1, logEvery: 2 },
        ...options.config,
    };
    const configFile = path.join(dir, 'config.json');
    await fs.writeFile(configFile, JSON.stringify(config, null, 2));
    return { manifest, configFile, config, classes };
}
