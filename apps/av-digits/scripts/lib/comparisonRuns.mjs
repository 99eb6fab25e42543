// What the comparison scripts (compare-weightings, compare-ensembles)
// share: the dataset they train on, and a progress sink that times training steps.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptsDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The folder to train on: `data` when given (used as it is), else `<outDir>/data`,
 * written by generate-data.mjs with `--max-per-digit` (it skips the work when the
 * folder already matches). Returns the folder and its manifest; `fail` reports a problem.
 */
export function comparisonDataset({ data, outDir, maxPerDigit, fail }) {
  let dataDir;
  if (data) {
    dataDir = path.resolve(data);
  } else {
    dataDir = path.join(outDir, 'data');
    const generated = spawnSync(process.execPath, [path.join(scriptsDir, 'generate-data.mjs'), '--out', dataDir, '--max-per-digit', String(maxPerDigit)], { stdio: 'inherit' });
    if (generated.status !== 0) fail(`generate-data.mjs failed (exit ${generated.status ?? generated.signal}).`);
  }
  const manifest = path.join(dataDir, 'manifest.jsonl');
  if (!existsSync(manifest)) fail(`${manifest} does not exist.`);
  return { dataDir, manifest };
}

/**
 * A trainRun progress sink that times each epoch's training steps (from the
 * epoch's first bar to its last step, so validation is not counted) and
 * prints the epoch summaries.
 */
export function timingProgress(label) {
  const epochSeconds = [];
  let begun = 0;
  let total = 0;
  let trainedAt = 0;
  return {
    epochSeconds,
    start(_label, units) {
      begun = performance.now();
      total = units;
      trainedAt = 0;
    },
    update(done) {
      if (done >= total && begun > 0) trainedAt = performance.now();
    },
    finish(status) {
      if (begun > 0 && trainedAt > 0) epochSeconds.push((trainedAt - begun) / 1000);
      begun = 0;
      if (status) console.error(`  ${label} epoch ${epochSeconds.length}: ${status}`);
    },
    log(line) {
      console.error(`  ${label}: ${line}`);
    },
  };
}
