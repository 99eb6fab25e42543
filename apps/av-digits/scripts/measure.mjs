#!/usr/bin/env node
/**
 * Measures what each modality brings: trains the image-only, audio-only and
 * fused models of config.yaml with the same data, budget and seed, through
 * the polyfuse CLI, and prints test accuracy and macro-F1 for each (the
 * numbers in this app's README come from this command).
 *
 *   node scripts/measure.mjs [--epochs N] [--only image,audio,fused]
 */
import { parseArgs } from 'node:util';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { runCli } from '@polyfuse/cli';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values: options } = parseArgs({
  options: {
    config: { type: 'string', default: path.join(appDir, 'config.yaml') },
    epochs: { type: 'string' },
    only: { type: 'string', default: 'image,audio,fused' },
    out: { type: 'string', default: path.join(appDir, 'runs', 'measure') },
  },
});

const base = YAML.parse(await fs.readFile(options.config, 'utf8'));
const modalities = Object.keys(base.data.modalities);
const variants = options.only.split(',').map((v) => v.trim());
for (const variant of variants) {
  if (variant !== 'fused' && !modalities.includes(variant)) {
    console.error(`measure: unknown variant '${variant}'; expected fused or one of ${modalities.join(', ')}.`);
    process.exit(2);
  }
}

/** The config with only `keep` modalities; paths made absolute so it can live anywhere. */
function variantConfig(keep) {
  const config = structuredClone(base);
  config.name = `av-digits-${keep.length === 1 ? keep[0] : 'fused'}`;
  config.data.manifest = path.resolve(path.dirname(options.config), config.data.manifest);
  for (const m of modalities) {
    if (keep.includes(m)) continue;
    delete config.data.modalities[m];
    delete config.model.encoders[m];
  }
  if (options.epochs) config.training.epochs = Number(options.epochs);
  return config;
}

const results = [];
for (const variant of variants) {
  const keep = variant === 'fused' ? modalities : [variant];
  const runDir = path.join(options.out, variant);
  const configFile = path.join(options.out, `${variant}.yaml`);
  await fs.mkdir(options.out, { recursive: true });
  await fs.writeFile(configFile, YAML.stringify(variantConfig(keep)));
  console.error(`measure: training ${variant} (${keep.join(' + ')})`);
  const started = Date.now();
  const code = await runCli(['train', '--config', configFile, '--out', runDir]);
  if (code !== 0) {
    console.error(`measure: training ${variant} failed with exit code ${code}`);
    process.exit(code);
  }
  const evaluation = JSON.parse(await fs.readFile(path.join(runDir, 'evaluation.json'), 'utf8'));
  results.push({ variant, modalities: keep, seconds: (Date.now() - started) / 1000, test: evaluation.test ?? evaluation.metrics ?? evaluation });
}

const pick = (scores, name) => {
  const value = scores?.[name] ?? scores?.metrics?.[name];
  return typeof value === 'number' ? (100 * value).toFixed(2) : 'n/a';
};
console.log(`\nav-digits, test split (held-out images and speakers), ${os.cpus().length} cores`);
console.log('| model | modalities | test accuracy (%) | test macro-F1 (%) | wall time (s) |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(`| ${r.variant} | ${r.modalities.join(' + ')} | ${pick(r.test, 'accuracy')} | ${pick(r.test, 'f1')} | ${r.seconds.toFixed(0)} |`);
}
for (const r of results) console.log(JSON.stringify({ variant: r.variant, ...r.test, seconds: r.seconds }));
