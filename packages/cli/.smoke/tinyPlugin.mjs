/**
 * A small but real plugin for the CLI tests: a file-reading vector
 * preprocessor with fitted standardisation, a dense encoder, a concatenation
 * fusion and a linear head, registered the way a plugin package registers
 * its components. Configs load it with `plugins: [<path to this file>]`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tf, registry, InputError } from '@polyfuse/core';
if (!registry.has('preprocessor', 'tiny-vector')) {
    registry.register({
        kind: 'preprocessor',
        name: 'tiny-vector',
        description: 'A JSON file holding a number array (or an inline array), standardised with training-split statistics.',
        schema: { size: { type: 'integer', required: true, min: 1 } },
        create: ({ size }) => {
            let mean = new Array(size).fill(0);
            let std = new Array(size).fill(1);
            const read = async (value, baseDir) => {
                if (Array.isArray(value))
                    return value;
                const file = path.resolve(baseDir, String(value));
                let text;
                try {
                    text = await fs.readFile(file, 'utf8');
                }
                catch {
                    throw new InputError(`file ${file} does not exist`);
                }
                const numbers = JSON.parse(text);
                if (!Array.isArray(numbers) || numbers.length !== size)
                    throw new InputError(`${file}: expected ${size} numbers`);
                return numbers;
            };
            return {
                outputShape: [size],
                dtype: 'float32',
                config: { size },
                async fit(values, context) {
                    const rows = await Promise.all(values.map((v) => read(v, context.baseDir)));
                    mean = mean.map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
                    std = std.map((_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / rows.length) || 1);
                },
                async process(value, context) {
                    const numbers = await read(value, context.baseDir);
                    return Float32Array.from(numbers, (x, j) => (x - mean[j]) / std[j]);
                },
                getState: () => ({ mean, std }),
                setState: (state) => {
                    ({ mean, std } = state);
                },
            };
        },
    });
    registry.register({
        kind: 'encoder',
        name: 'tiny-dense',
        schema: { inputSize: { type: 'integer', required: true, min: 1 }, units: { type: 'integer', default: 8, min: 1 } },
        create: ({ inputSize, units }) => {
            const dense = tf.layers.dense({ units, activation: 'relu' });
            return { inputShape: [inputSize], inputDtype: 'float32', outputShape: [units], config: { inputSize, units }, apply: ((x) => dense.apply(x)) };
        },
    });
    registry.register({
        kind: 'fusion',
        name: 'tiny-concat',
        schema: {},
        create: ({ inputShapes }) => {
            const modalities = Object.keys(inputShapes);
            const size = modalities.reduce((s, m) => s + inputShapes[m][0], 0);
            const concat = tf.layers.concatenate();
            return {
                modalities,
                outputShape: [size],
                config: {},
                apply: ((embeddings) => modalities.length === 1 ? embeddings[modalities[0]] : concat.apply(modalities.map((m) => embeddings[m]))),
            };
        },
    });
    registry.register({
        kind: 'head',
        name: 'tiny-linear',
        schema: { classes: { type: 'integer', required: true, min: 2 } },
        create: ({ classes }) => {
            const dense = tf.layers.dense({ units: classes });
            return { outputShape: [classes], config: { classes }, apply: ((x) => dense.apply(x)) };
        },
    });
}
