import { describe, expect, it, beforeAll } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import '../registerPackages.js';
import { loadConfig, resolvedConfig, validateRunConfig } from '../index.js';
import { tinyPluginPath } from '../../fixtures/tinyDataset.js';

const yamlConfig = `
# A run config as a user writes it.
name: tiny-yaml
plugins: [${JSON.stringify(tinyPluginPath)}]
data:
  manifest: data/manifest.jsonl
  modalities:
    a: { preprocessor: { name: tiny-vector, config: { size: 4 } } }
    b: { field: b_file, preprocessor: { name: tiny-vector, config: { size: 3 } }, required: true }
  labels:
    label: { field: digit }
model:
  encoders:
    a: { name: tiny-dense, config: { inputSize: 4 } }
    b: { name: tiny-dense, config: { inputSize: 3, units: 4 } }
  fusion: tiny-concat
  head: { name: tiny-linear, config: { classes: 3 } }
training:
  epochs: 2
`;

/** A valid config object; tests break one field at a time. */
function validConfig(): Record<string, any> {
  return {
    data: {
      manifest: 'm.jsonl',
      modalities: { a: { preprocessor: { name: 'tiny-vector', config: { size: 4 } } }, b: { preprocessor: { name: 'tiny-vector', config: { size: 3 } } } },
      labels: { label: {} },
    },
    model: {
      encoders: { a: { name: 'tiny-dense', config: { inputSize: 4 } }, b: { name: 'tiny-dense', config: { inputSize: 3 } } },
      fusion: 'tiny-concat',
      head: { name: 'tiny-linear', config: { classes: 3 } },
    },
  };
}

function errorOf(change: (config: Record<string, any>) => void): string {
  const config = validConfig();
  change(config);
  try {
    validateRunConfig(config, '/tmp');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-config-'));
    await fs.writeFile(path.join(dir, 'run.yaml'), yamlConfig);
  });

  it('reads YAML, imports plugins, fills defaults and resolves paths against the config file', async () => {
    const config = await loadConfig(path.join(dir, 'run.yaml'));
    expect(config.name).toBe('tiny-yaml');
    expect(config.data.modalities.a).toEqual({ field: 'a', type: 'file', preprocessor: { name: 'tiny-vector', config: { size: 4 } }, required: false });
    expect(config.data.modalities.b.field).toBe('b_file');
    expect(config.data.labels.label).toEqual({ field: 'digit', type: 'class' });
    expect(config.model.encoders.a.config).toEqual({ inputSize: 4, units: 8 });
    expect(config.model.seed).toBe(0);
    expect(config.loss.terms).toEqual({ main: { loss: 'cross-entropy', output: 'logits', target: 'label', config: expect.objectContaining({ labelSmoothing: 0 }) } });
    expect(config.loss.weighting.name).toBe('static');
    expect(config.optimizer).toMatchObject({ name: 'adam', config: { learningRate: 0.001 } });
    expect(config.metrics).toEqual([{ name: 'accuracy', config: { output: 'logits', target: 'label' } }]);
    expect(config.schedule).toBeUndefined();
    expect(config.training).toMatchObject({ epochs: 2, batchSize: 32, seed: 0, modalityDropout: 0 });
    expect(resolvedConfig(config).data).toMatchObject({ manifest: path.join(dir, 'data/manifest.jsonl') });
    // The resolved config is itself a valid config: run folders store it and load it back.
    expect(validateRunConfig(JSON.parse(JSON.stringify(resolvedConfig(config))), dir)).toEqual({ ...config, data: { ...config.data, manifest: path.join(dir, 'data/manifest.jsonl') }, baseDir: dir });
  });

  it('names the line of a YAML syntax error and a missing file', async () => {
    await fs.writeFile(path.join(dir, 'broken.yaml'), 'data:\n  manifest: [unclosed\nmodel: {}\n');
    await expect(loadConfig(path.join(dir, 'broken.yaml'))).rejects.toThrow(/broken\.yaml is not valid YAML \(line \d+, column \d+\)/);
    await expect(loadConfig(path.join(dir, 'nope.yaml'))).rejects.toThrow(`Config file ${path.join(dir, 'nope.yaml')} does not exist.`);
  });

  it('says which plugin could not be imported', async () => {
    await fs.writeFile(path.join(dir, 'plugin.yaml'), 'plugins: [./missing-plugin.js]\ndata: {}\nmodel: {}\n');
    await expect(loadConfig(path.join(dir, 'plugin.yaml'))).rejects.toThrow(/^plugins\[0\]: could not import '\.\/missing-plugin\.js'.*relative to the config file/);
  });
});

describe('validateRunConfig errors give the path of the bad field and what is allowed', () => {
  beforeAll(async () => {
    await import(/* @vite-ignore */ tinyPluginPath);
  });

  it('unknown and misspelt options', () => {
    expect(errorOf((c) => (c.modle = {}))).toMatch(/^config\.modle is not a known option\. Known options: name, plugins, backend, data, model,/);
    expect(errorOf((c) => (c.training = { epoch: 3 }))).toMatch(/^training\.epoch is not a known option\. Known options: epochs, batchSize,/);
    expect(errorOf((c) => (c.model.fusion = { name: 'tiny-concat', hidden: 3 }))).toMatch(/^model\.fusion\.hidden is not a known option\. A component is \{ name, config \}/);
  });

  it('unknown registry names list the registered ones', () => {
    expect(errorOf((c) => (c.model.encoders.a.name = 'resnet-9000'))).toMatch(/^model\.encoders\.a\.name: unknown encoder 'resnet-9000'\. Registered encoder names: .*tiny-dense/);
    expect(errorOf((c) => (c.metrics = ['accuracy', 'f2']))).toMatch(/^metrics\[1\]\.name: unknown metric 'f2'\. Registered metric names: accuracy, bleu, cider, exact-match, f1, .*median-rank, .*recall@5, .*rouge-l\./);
    expect(errorOf((c) => (c.optimizer = 'adamw2'))).toMatch(/^optimizer\.name: unknown optimizer 'adamw2'\. Registered optimizer names: adam, adamw, rmsprop, sgd\./);
    expect(errorOf((c) => (c.loss = { terms: { main: { loss: 'hinge' } } }))).toMatch(/^loss\.terms\.main\.loss: unknown loss 'hinge'\. Registered loss names: .*cross-entropy/);
    expect(errorOf((c) => (c.loss = { terms: { main: {} }, weighting: 'gradnrom' }))).toMatch(/^loss\.weighting\.name: unknown weighting 'gradnrom'\. Registered weighting names: .*gradnorm/);
    expect(errorOf((c) => (c.data.modalities.a.preprocessor = 'jpeg'))).toMatch(/^data\.modalities\.a\.preprocessor\.name: unknown preprocessor 'jpeg'/);
  });

  it('bad values name the field and the allowed values', () => {
    expect(errorOf((c) => (c.model.encoders.a.config.units = 0))).toBe('model.encoders.a.config.units must be an integer >= 1, got 0.');
    expect(errorOf((c) => (c.data.onBadSample = 'ignore'))).toBe('data.onBadSample must be one of "skip", "error", got "ignore".');
    expect(errorOf((c) => (c.data.modalities.a.type = 'image'))).toBe('data.modalities.a.type must be one of "file", "text", "number", "numbers", "record", got "image".');
    expect(errorOf((c) => (c.training = { modalityDropout: 1.5 }))).toBe('training.modalityDropout must be a number >= 0 <= 1, got 1.5.');
    expect(errorOf((c) => (c.data.split = { fractions: { validation: 0.5, test: 0.5 } }))).toMatch(/^data\.split\.fractions: validation \+ test must be below 1/);
    expect(errorOf((c) => (c.data.split = { stratify: 'digit' }))).toBe('data.split.stratify must be one of the class labels (label), got "digit".');
    expect(errorOf((c) => (c.data.labels.label = { classes: ['only'] }))).toMatch(/^data\.labels\.label\.classes must be a list of at least 2 class names/);
  });

  it('cross-checks modalities, outputs and targets', () => {
    expect(errorOf((c) => (c.model.encoders.c = { name: 'tiny-dense', config: { inputSize: 1 } }))).toBe('model.encoders.c: no such modality in data.modalities (a, b).');
    expect(errorOf((c) => delete c.model.encoders.b)).toBe("model.encoders.b is required: data.modalities lists 'b'.");
    expect(errorOf((c) => (c.loss = { terms: { a: { output: 'logits_a' } } }))).toBe(
      'loss.terms.a.output must be one of "logits", got "logits_a" (logits_<modality> outputs exist when model.auxiliaryHeads is set).',
    );
    expect(errorOf((c) => (c.loss = { terms: { main: { target: 'digit' } } }))).toBe('loss.terms.main.target must be one of "label", got "digit".');
    expect(errorOf((c) => (c.training = { monitor: 'f1' }))).toBe('training.monitor must name one of the metrics (accuracy), got "f1".');
    expect(errorOf((c) => (c.loss = { terms: { main: {} }, weighting: { name: 'static', config: { weights: { mian: 2 } } } }))).toBe(
      "loss.weighting.config.weights.mian: no loss term 'mian'. Loss terms: main.",
    );
  });

  it('rejects a config that is not a mapping', () => {
    expect(() => validateRunConfig(['data'], '/tmp')).toThrow('The config must be a mapping (YAML) or object (JSON) at the top level, got a list.');
  });
});
