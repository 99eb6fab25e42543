import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, validateConfig, type ConfigSchema } from '@polyfuse/core';

const predictSchema: ConfigSchema = {
  run: { type: 'string', required: true, description: 'Trained run folder (or its model/ folder), relative to the sweep file.' },
  manifest: { type: 'string', required: true, description: 'JSONL or CSV manifest to predict, relative to the sweep file.' },
  shards: { type: 'integer', required: true, min: 1, description: 'How many contiguous blocks of the manifest\'s lines to predict, one run each.' },
  output: { type: 'string', required: true, description: 'Merged predictions (.json or .csv), relative to the sweep folder unless absolute; shard files sit beside it.' },
  format: { type: 'string', enum: ['json', 'csv'], description: 'Output format; must agree with the output extension.' },
  batchSize: { type: 'integer', min: 1, description: 'Samples per forward pass (polyfuse predict --batch-size; default 64).' },
  beam: { type: 'integer', min: 1, description: 'Decoder heads: beam width (polyfuse predict --beam).' },
  query: { type: 'string', description: 'Match heads: the query modality (polyfuse predict --query); candidates are the whole manifest.' },
  top: { type: 'integer', min: 1, description: 'With query: matches listed per sample (polyfuse predict --top).' },
};

/** The `predict:` section of a `kind: predict` sweep, with its paths made absolute. */
export interface PredictSection {
  /** Absolute run folder. */
  run: string;
  /** Absolute manifest. */
  manifest: string;
  shards: number;
  /** Absolute merged output; shard i writes `<stem>.shard-i-of-n.<ext>` beside it. */
  output: string;
  format: 'json' | 'csv';
  batchSize?: number;
  beam?: number;
  query?: string;
  top?: number;
}

/**
 * Reads a sweep's `predict:` section. `run` and `manifest` are relative to
 * the sweep file, like `base`; `output` to the sweep folder, so a sweep's
 * predictions stay with its runs. The output's extension picks the format
 * (`.json` or `.csv`), as for `polyfuse predict --output`, and the merge
 * reads it too, so a `format` that disagrees is refused here.
 */
export function readPredictSection(raw: unknown, sweepDir: string, outDir: string): PredictSection {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`sweep.predict must be a mapping with run, manifest, shards and output (docs/sweeps.md), got ${JSON.stringify(raw)}.`);
  }
  const section = validateConfig<Record<string, any>>(predictSchema, raw as Record<string, unknown>, 'sweep.predict');
  const output = path.resolve(outDir, section.output);
  const extension = path.extname(output).toLowerCase();
  if (extension !== '.json' && extension !== '.csv') {
    throw new ConfigError(
      `sweep.predict.output must end in .json (an array of predictions) or .csv, as polyfuse predict writes them, got ${JSON.stringify(section.output)}.`,
    );
  }
  const format = extension === '.csv' ? 'csv' : 'json';
  if (section.format !== undefined && section.format !== format) {
    throw new ConfigError(`sweep.predict.format is ${section.format} but output ${JSON.stringify(section.output)} is ${format}; the merge reads the format from the extension, so make them agree (or leave format out).`);
  }
  if (section.top !== undefined && section.query === undefined) throw new ConfigError('sweep.predict.top sets how many matches query lists; give sweep.predict.query with it.');
  return {
    run: path.resolve(sweepDir, section.run),
    manifest: path.resolve(sweepDir, section.manifest),
    shards: section.shards,
    output,
    format,
    ...(section.batchSize !== undefined ? { batchSize: section.batchSize } : {}),
    ...(section.beam !== undefined ? { beam: section.beam } : {}),
    ...(section.query !== undefined ? { query: section.query } : {}),
    ...(section.top !== undefined ? { top: section.top } : {}),
  };
}

/**
 * Checks at plan time that the run folder holds a saved model and the
 * manifest is a file, so a typo fails before any shard is scheduled (on a
 * cluster, before anything waits in a queue).
 */
export async function checkPredictPaths(section: PredictSection, sweepFile: string): Promise<void> {
  const kind = async (file: string): Promise<'file' | 'directory' | undefined> => {
    const stat = await fs.stat(file).catch(() => undefined);
    return stat?.isDirectory() ? 'directory' : stat ? 'file' : undefined;
  };
  if ((await kind(section.run)) !== 'directory') {
    throw new ConfigError(`${sweepFile}: predict.run: ${section.run} is not a folder; give a run folder written by polyfuse train (relative to the sweep file).`);
  }
  if ((await kind(path.join(section.run, 'model', 'model.json'))) !== 'file' && (await kind(path.join(section.run, 'model.json'))) !== 'file') {
    throw new ConfigError(`${sweepFile}: predict.run: ${section.run} holds no saved model (neither model/model.json nor model.json); give a run folder written by polyfuse train.`);
  }
  if ((await kind(section.manifest)) !== 'file') {
    throw new ConfigError(`${sweepFile}: predict.manifest: ${section.manifest} does not exist or is not a file; give a JSONL or CSV manifest (relative to the sweep file).`);
  }
}
