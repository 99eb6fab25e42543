/**
 * A plugin of every component kind, used the way a user would: the polyfuse
 * packages packed as they would be published, installed with npm into a new
 * project next to TensorFlow.js from the registry and the example plugin
 * (examples/plugins/polyfuse-plugin-examples, packed from its own folder),
 * then `npx polyfuse train` and `eval` on a config that names the plugin's
 * fusion, head, loss, weighting strategy and metric together.
 *
 * Needs the npm registry; skips (saying so) when `npm ping` fails. Every
 * child process has a timeout, so the test never hangs. About 2 minutes
 * with a warm npm cache: packing (check-packs builds every package) ~50 s,
 * npm install, three short trainings. POLYFUSE_PACKS_DIR=<a check-packs.mjs
 * --keep folder> reuses tarballs packed before; POLYFUSE_KEEP_TMP=1 keeps
 * the temporary project for a look.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const pluginDir = path.join(repoRoot, 'examples/plugins/polyfuse-plugin-examples');
const minute = 60_000;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion or kills it after `timeout` ms; never rejects. */
function run(command: string, args: string[], options: { cwd: string; timeout: number; env?: NodeJS.ProcessEnv }): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, timeout: options.timeout, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const timedOut = error && (error as { killed?: boolean }).killed ? `\n(killed after ${options.timeout} ms)` : '';
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + timedOut });
      },
    );
  });
}

function describeResult(what: string, result: Result): string {
  return `${what} exited ${result.code}\n--- stdout (end)\n${result.stdout.slice(-3000)}\n--- stderr (end)\n${result.stderr.slice(-3000)}`;
}

const skipReason = (() => {
  const ping = spawnSync('npm', ['ping', '--fetch-retries=0', '--fetch-timeout=10000'], { timeout: 15_000, killSignal: 'SIGKILL', encoding: 'utf8' });
  if (ping.status === 0) return undefined;
  const why = ping.error?.message ?? (ping.stderr || '').split('\n').find((line) => /npm error (code|errno|network|request)/.test(line)) ?? `exit ${ping.status}`;
  return `the npm registry is unreachable (npm ping: ${why.trim()})`;
})();
if (skipReason) console.warn(`pluginKinds.test.ts skipped: ${skipReason}.`);

/** Three classes, imbalanced (so balanced accuracy differs from accuracy); `a` separates them well, `b` weakly. */
function manifestLines(): string[] {
  let state = 12345;
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const counts = { ant: 40, bee: 25, cow: 15 };
  const lines: string[] = [];
  Object.entries(counts).forEach(([label, count], k) => {
    for (let i = 0; i < count; i++) {
      const a = Array.from({ length: 4 }, (_, j) => (j === k ? 2 : 0) + 0.5 * normal());
      const b = Array.from({ length: 3 }, (_, j) => (j === k ? 0.7 : 0) + normal());
      lines.push(JSON.stringify({ id: `${label}${i}`, a, b, label }));
    }
  });
  return lines;
}

const config = {
  name: 'plugin-kinds',
  plugins: ['polyfuse-plugin-examples'],
  data: {
    manifest: 'manifest.jsonl',
    modalities: {
      a: { type: 'numbers', preprocessor: { name: 'numeric', config: { columns: ['a0', 'a1', 'a2', 'a3'], missingIndicator: false } } },
      b: { type: 'numbers', preprocessor: { name: 'numeric', config: { columns: ['b0', 'b1', 'b2'], missingIndicator: false } } },
    },
    labels: { label: {} },
    split: { fractions: { validation: 0.2, test: 0.25 }, stratify: 'label' },
  },
  model: {
    encoders: {
      a: { name: 'signal-mlp', config: { inputSize: 4, units: [8] } },
      b: { name: 'signal-mlp', config: { inputSize: 3, units: [8] } },
    },
    fusion: { name: 'example-max', config: { units: 8 } },
    head: { name: 'example-cosine', config: { units: 3, scale: 8 } },
    auxiliaryHeads: { name: 'example-cosine', config: { units: 3 } },
  },
  loss: {
    // Three terms, so the weighting strategy has something to weigh.
    terms: {
      fused: { loss: 'example-focal', config: { gamma: 2 } },
      a: { loss: 'example-focal', output: 'logits_a' },
      b: { loss: 'example-focal', output: 'logits_b' },
    },
    weighting: { name: 'example-rlw', config: { seed: 3 } },
  },
  metrics: ['example-balanced-accuracy', 'accuracy'],
  optimizer: { name: 'adam', config: { learningRate: 0.03 } },
  training: { epochs: 8, batchSize: 16, seed: 1 },
  evaluation: { robustness: [0, 1] },
};

/** The same components with named heads: one on the fused embedding, one on modality a alone (sizes from the fitted target). */
const namedHeadsConfig = {
  ...config,
  name: 'plugin-kinds-heads',
  model: {
    encoders: config.model.encoders,
    fusion: { name: 'example-max', config: { units: 8 } },
    heads: { fused: { name: 'example-cosine', config: { scale: 8 } }, a: { name: 'example-cosine', input: 'a' } },
  },
  loss: {
    terms: { fused: { loss: 'example-focal', output: 'logits_fused' }, a: { loss: 'example-focal', output: 'logits_a' } },
    weighting: { name: 'example-rlw' },
  },
  metrics: [{ name: 'example-balanced-accuracy', config: { output: 'logits_fused' } }, { name: 'example-balanced-accuracy', config: { output: 'logits_a', adjusted: true } }],
  evaluation: {},
};

/** Packs every workspace package (prepack builds it) unless POLYFUSE_PACKS_DIR already holds them. */
async function packedTarballs(into: string): Promise<Record<string, string>> {
  let packs = process.env.POLYFUSE_PACKS_DIR;
  if (!packs) {
    packs = path.join(into, 'packs');
    // check-packs also judges the packages (and fails on a problem someone is fixing elsewhere); this test only needs the tarballs.
    const packed = await run(process.execPath, [path.join(repoRoot, 'scripts/release/check-packs.mjs'), '--keep', packs], { cwd: repoRoot, timeout: 12 * minute });
    if (packed.code !== 0) console.warn(describeResult('check-packs.mjs', packed));
  }
  // @polyfuse/cli and the polyfuse packages it depends on, transitively (a package that is not on the registry must come from its tarball).
  const tarballs: Record<string, string> = {};
  const queue = ['@polyfuse/cli'];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (tarballs[name]) continue;
    const folder = path.join(packs, name.replace('@', '').replace('/', '-'));
    const tgz = existsSync(folder) ? readdirSync(folder).find((f) => f.endsWith('.tgz')) : undefined;
    if (!tgz) throw new Error(`no tarball of ${name} in ${folder}`);
    tarballs[name] = path.join(folder, tgz);
    const manifest = JSON.parse(await fs.readFile(path.join(folder, 'package/package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    queue.push(...Object.keys(manifest.dependencies ?? {}).filter((dep) => dep.startsWith('@polyfuse/')));
  }
  return tarballs;
}

describe.skipIf(skipReason !== undefined)('a plugin of every kind, installed from its own folder', () => {
  let work: string;
  let project: string;
  let trained: Result;
  let evaluated: Result;
  const runDir = () => path.join(project, 'runs/plugin-kinds');

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-plugin-kinds-'));
    project = path.join(work, 'project');
    await fs.mkdir(project, { recursive: true });
    const tarballs = await packedTarballs(work);

    // The plugin as npm would publish it: packed from its folder (its node_modules and .npmrc stay behind).
    const pluginPack = await run('npm', ['pack', '--pack-destination', work], { cwd: pluginDir, timeout: 2 * minute });
    if (pluginPack.code !== 0) throw new Error(describeResult('npm pack (plugin)', pluginPack));
    const pluginTarball = path.join(work, pluginPack.stdout.trim().split('\n').pop()!.trim());

    const dependencies = {
      ...Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`])),
      '@tensorflow/tfjs': '4.22.0',
      '@tensorflow/tfjs-backend-wasm': '4.22.0',
      'polyfuse-plugin-examples': `file:${pluginTarball}`,
    };
    await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'plugin-kinds-project', private: true, type: 'module', dependencies }, null, 2));
    // No --legacy-peer-deps: npm checks every peer range (the plugin's @polyfuse/core and @tensorflow/tfjs included).
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: project, timeout: 8 * minute });
    if (installed.code !== 0) throw new Error(describeResult('npm install', installed));

    await fs.writeFile(path.join(project, 'manifest.jsonl'), `${manifestLines().join('\n')}\n`);
    await fs.writeFile(path.join(project, 'config.json'), JSON.stringify(config, null, 2));
    await fs.writeFile(path.join(project, 'heads.json'), JSON.stringify(namedHeadsConfig, null, 2));
    const env = { POLYFUSE_BACKEND: 'wasm' };
    trained = await run('npx', ['--no', 'polyfuse', 'train', '--config', 'config.json', '--out', 'runs/plugin-kinds', '--quiet'], { cwd: project, timeout: 5 * minute, env });
    evaluated = trained.code === 0
      ? await run('npx', ['--no', 'polyfuse', 'eval', 'runs/plugin-kinds', '--output', 'eval.json'], { cwd: project, timeout: 3 * minute, env })
      : { code: null, stdout: '', stderr: 'not run: training failed' };
  }, 25 * minute);

  afterAll(async () => {
    if (work && !process.env.POLYFUSE_KEEP_TMP) await fs.rm(work, { recursive: true, force: true });
  });

  it('installs one copy of TensorFlow.js, shared by polyfuse and the plugin', async () => {
    for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs']) {
      const listed = await run('npm', ['ls', name, '--all', '--parseable'], { cwd: project, timeout: minute });
      expect(listed.code, describeResult(`npm ls ${name}`, listed)).toBe(0);
      const copies = [...new Set(listed.stdout.trim().split('\n').filter((line) => line.includes(name)))];
      expect(copies).toEqual([path.join(project, 'node_modules', name)]);
    }
  });

  it('trains from a config naming the plugin fusion, head, loss, weighting and metric', async () => {
    expect(trained.code, describeResult('polyfuse train', trained)).toBe(0);
    const saved = JSON.parse(await fs.readFile(path.join(runDir(), 'config.json'), 'utf8'));
    expect(saved.plugins).toEqual(['polyfuse-plugin-examples']);
    expect(saved.model.fusion).toMatchObject({ name: 'example-max', config: { units: 8 } });
    expect(saved.model.head).toMatchObject({ name: 'example-cosine', config: { units: 3, scale: 8, learnScale: true } });
    expect(saved.model.auxiliaryHeads.name).toBe('example-cosine');
    expect(Object.values(saved.loss.terms).map((t) => (t as { loss: string }).loss)).toEqual(['example-focal', 'example-focal', 'example-focal']);
    expect(saved.loss.weighting).toEqual({ name: 'example-rlw', config: { seed: 3 } });
    expect(saved.metrics.map((m: { name: string }) => m.name)).toEqual(['example-balanced-accuracy', 'accuracy']);

    // The saved model is made of the plugin's layers.
    const modelJson = await fs.readFile(path.join(runDir(), 'model/model.json'), 'utf8');
    expect(modelJson).toContain('PolyfuseExampleMaxFusion');
    expect(modelJson).toContain('PolyfuseExampleCosineClassifier');
  });

  it('weighs the loss terms with random weights that sum to 1 each step, and the loss falls', async () => {
    expect(trained.code, describeResult('polyfuse train', trained)).toBe(0);
    const records = (await fs.readFile(path.join(runDir(), 'logs/train.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const steps = records.filter((r) => typeof r['weight.fused'] === 'number');
    expect(steps.length).toBeGreaterThan(8);
    for (const step of steps) {
      expect((step['weight.fused'] as number) + (step['weight.a'] as number) + (step['weight.b'] as number)).toBeCloseTo(1, 5);
    }
    expect(new Set(steps.map((s) => s['weight.fused'])).size).toBeGreaterThan(steps.length / 2);
    const fusedLoss = steps.map((s) => s['loss.fused'] as number);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(fusedLoss.slice(-4))).toBeLessThan(0.6 * mean(fusedLoss.slice(0, 4)));
  });

  it('evaluates with the plugin metric, well above chance, and reports it', async () => {
    expect(evaluated.code, describeResult('polyfuse eval', evaluated)).toBe(0);
    expect(evaluated.stdout).toContain('balanced_accuracy');
    for (const file of [path.join(project, 'eval.json'), path.join(runDir(), 'evaluation.json')]) {
      const evaluation = JSON.parse(await fs.readFile(file, 'utf8')) as { metrics: Record<string, number> };
      expect(Object.keys(evaluation.metrics)).toEqual(['balanced_accuracy', 'accuracy']);
      // Chance is 1/3 for balanced accuracy on three classes.
      expect(evaluation.metrics.balanced_accuracy).toBeGreaterThan(0.7);
    }
    expect(await fs.readFile(path.join(runDir(), 'report/index.html'), 'utf8')).toContain('balanced_accuracy');
  });

  it('predicts with the saved model, whose plugin layers rebuild once the plugin is imported', async () => {
    expect(trained.code, describeResult('polyfuse train', trained)).toBe(0);
    const predicted = await run('npx', ['--no', 'polyfuse', 'predict', 'runs/plugin-kinds', '--manifest', 'manifest.jsonl', '--output', 'predictions.csv'], { cwd: project, timeout: 3 * minute, env: { POLYFUSE_BACKEND: 'wasm' } });
    expect(predicted.code, describeResult('polyfuse predict', predicted)).toBe(0);
    const rows = (await fs.readFile(path.join(project, 'predictions.csv'), 'utf8')).trim().split('\n');
    expect(rows.length).toBe(1 + manifestLines().length);
  }, 4 * minute);

  it('serves named heads too: the plugin head sizes itself from the target', async () => {
    const heads = await run('npx', ['--no', 'polyfuse', 'train', '--config', 'heads.json', '--out', 'runs/heads', '--quiet', '--no-report'], { cwd: project, timeout: 4 * minute, env: { POLYFUSE_BACKEND: 'wasm' } });
    expect(heads.code, describeResult('polyfuse train (named heads)', heads)).toBe(0);
    const evaluation = JSON.parse(await fs.readFile(path.join(project, 'runs/heads/evaluation.json'), 'utf8')) as { tasks: Record<string, { metrics: Record<string, number> }> };
    const scores = Object.assign({}, ...Object.values(evaluation.tasks).map((task) => task.metrics)) as Record<string, number>;
    expect(Object.keys(scores).sort()).toEqual(['balanced_accuracy_adjusted_logits_a', 'balanced_accuracy_logits_fused']);
    // Chance: 1/3 for balanced accuracy, 0 for the adjusted one.
    expect(scores.balanced_accuracy_logits_fused).toBeGreaterThan(0.55);
    expect(scores.balanced_accuracy_adjusted_logits_a).toBeGreaterThan(0.5);
  }, 5 * minute);
});
