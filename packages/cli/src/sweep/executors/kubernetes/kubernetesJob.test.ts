import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1';
import type { SweepPlan } from '../../sweepPlan.js';
import { writeKubernetesJob } from './kubernetesExecutor.js';
import { jobName, kubernetesJob } from './kubernetesJob.js';
import { validateKubernetesOptions } from './kubernetesOptions.js';

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await fs.rm(folder, { recursive: true, force: true });
});

async function tempFolder(): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-k8s-'));
  folders.push(folder);
  return folder;
}

/** A plan of `count` runs whose sweep file and folder lie in `dir`. */
function planIn(dir: string, count: number, kubernetes: Record<string, unknown>): SweepPlan {
  const outDir = path.join(dir, 'runs', 'sweeps', 'fusions');
  return {
    name: 'fusions',
    sweepFile: path.join(dir, 'fusions.yaml'),
    outDir,
    runs: Array.from({ length: count }, (_, index) => ({ index, id: `000${index}`, overrides: {}, outDir: path.join(outDir, 'runs', `000${index}`) })),
    executor: 'kubernetes',
    kubernetes,
  };
}

function io(cwd: string) {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk) => (text += chunk));
  return { io: { stdout: new PassThrough(), stderr, cwd }, stderr: () => text };
}

/**
 * Checks a manifest against the Kubernetes batch/v1 Job schema: kubernetes-models'
 * validators are compiled with ajv from the Kubernetes OpenAPI definitions.
 */
function validateJob(manifest: unknown): void {
  new Job(manifest as ConstructorParameters<typeof Job>[0]).validate();
}

describe('the Kubernetes Indexed Job of a sweep', () => {
  it('writes job.yaml: a valid batch/v1 Job with one completion per run, each pod running its index', async () => {
    const dir = await tempFolder();
    const plan = planIn(dir, 4, { image: 'ghcr.io/lab/polyfuse:0.1.0', namespace: 'ml', cpu: '2', memory: '4Gi', parallelism: 2, volumeClaim: 'sweeps', env: { POLYFUSE_BACKEND: 'wasm' } });
    const out = io(dir);
    const { manifestPath } = await writeKubernetesJob({ plan, indices: [0, 1, 2, 3], io: out.io });
    expect(manifestPath).toBe(path.join(plan.outDir, 'kubernetes', 'job.yaml'));
    const text = await fs.readFile(manifestPath, 'utf8');
    expect(text).toMatch(/^# Written by polyfuse sweep for 'fusions': 4 of 4 run\(s\)/);
    expect(text).toContain(`# Submit:  kubectl apply -f ${manifestPath}`);
    expect(text).not.toMatch(/[&*]a\d/); // no YAML anchors: the labels are written out twice
    const manifest = parse(text);
    expect(() => validateJob(manifest)).not.toThrow();
    expect(manifest.metadata).toMatchObject({ name: 'polyfuse-fusions', namespace: 'ml' });
    expect(manifest.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 2, backoffLimitPerIndex: 1 });
    const pod = manifest.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.volumes).toEqual([{ name: 'sweep', persistentVolumeClaim: { claimName: 'sweeps' } }]);
    expect(pod.containers).toEqual([
      {
        name: 'polyfuse',
        image: 'ghcr.io/lab/polyfuse:0.1.0',
        workingDir: dir,
        command: ['polyfuse'],
        args: ['sweep', 'run', plan.sweepFile, '--index', '$(JOB_COMPLETION_INDEX)'],
        resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
        env: [{ name: 'POLYFUSE_BACKEND', value: 'wasm' }],
        volumeMounts: [{ name: 'sweep', mountPath: dir }],
      },
    ]);
    expect(out.stderr()).toContain('Wrote the Kubernetes Job polyfuse-fusions (4 run(s))');
    expect(out.stderr()).not.toContain('volumeClaim is not set');
  });

  it('the schema check catches what the API server would refuse', () => {
    const plan = planIn('/data', 2, {});
    const job = kubernetesJob({ plan, indices: [0, 1], options: validateKubernetesOptions({ image: 'polyfuse' }), cwd: '/data' });
    expect(() => validateJob(job)).not.toThrow();
    const lowercaseMode = structuredClone(job);
    (lowercaseMode.spec as unknown as Record<string, unknown>).completionMode = 'indexed';
    expect(() => validateJob(lowercaseMode)).toThrow(/completionMode/);
    const textCount = structuredClone(job);
    (textCount.spec as unknown as Record<string, unknown>).completions = '2';
    expect(() => validateJob(textCount)).toThrow(/completions/);
    const unnamed = structuredClone(job);
    delete (unnamed.spec!.template.spec!.containers[0] as { name?: string }).name;
    expect(() => validateJob(unnamed)).toThrow(/name/);
  });

  it('a resume runs only the listed runs: completion index k runs the k-th listed index', async () => {
    const plan = planIn('/data', 6, {});
    // `echo` stands in for polyfuse, so the pod's command can run here as it would in the pod.
    const job = kubernetesJob({ plan, indices: [5, 1, 3], options: validateKubernetesOptions({ image: 'polyfuse', command: ['echo'] }), cwd: '/data' });
    expect(() => validateJob(job)).not.toThrow();
    expect(job.metadata!.name).toBe(jobName('fusions', [1, 3, 5]));
    expect(job.metadata!.name).toMatch(/^polyfuse-fusions-resume-[0-9a-f]{6}$/);
    expect(job.spec).toMatchObject({ completions: 3, parallelism: 3 });
    const container = job.spec!.template.spec!.containers[0]!;
    expect(container.env).toEqual([{ name: 'POLYFUSE_SWEEP_INDICES', value: '1 3 5' }]);
    const run = promisify(execFile);
    const printed: string[] = [];
    for (let k = 0; k < 3; k++) {
      const env = { PATH: process.env.PATH, JOB_COMPLETION_INDEX: String(k), POLYFUSE_SWEEP_INDICES: container.env![0]!.value! };
      printed.push((await run(container.command![0]!, container.command!.slice(1), { env, timeout: 10_000 })).stdout.trim());
    }
    expect(printed).toEqual([1, 3, 5].map((i) => `sweep run /data/fusions.yaml --index ${i}`));
  });

  it('names the field and the expected form for a bad kubernetes section', async () => {
    expect(() => validateKubernetesOptions(undefined)).toThrow(/kubernetes\.image is required for the kubernetes executor/);
    expect(() => validateKubernetesOptions({})).toThrow(/kubernetes\.image is required/);
    expect(() => validateKubernetesOptions({ image: 'p', cpu: 'two' })).toThrow(/kubernetes\.cpu must be a Kubernetes quantity \(e\.g\. '2' or '500m'\), got "two"/);
    expect(() => validateKubernetesOptions({ image: 'p', memory: '4GB' })).toThrow(/kubernetes\.memory must be a Kubernetes quantity/);
    expect(() => validateKubernetesOptions({ image: 'p', namespace: 'My_NS' })).toThrow(/kubernetes\.namespace must be a Kubernetes name/);
    expect(() => validateKubernetesOptions({ image: 'p', mountPath: 'data' })).toThrow(/kubernetes\.mountPath must be an absolute path/);
    expect(() => validateKubernetesOptions({ image: 'p', env: { N: 4 } })).toThrow(/kubernetes\.env\.N must be a string/);
    expect(() => validateKubernetesOptions({ image: 'p', replicas: 2 })).toThrow(/kubernetes\.replicas is not a known option/);
    const plan = planIn('/data/sweeps', 2, { image: 'p', volumeClaim: 'sweeps', mountPath: '/data/other' });
    const out = io('/data/sweeps');
    await expect(writeKubernetesJob({ plan, indices: [0, 1], io: out.io })).rejects.toThrow(/the sweep file \/data\/sweeps\/fusions\.yaml is not under \/data\/other/);
    await expect(writeKubernetesJob({ plan, indices: [2], io: out.io })).rejects.toThrow(/has no run with index 2 \(runs are 0-1\)/);
  });

  it('warns that results are lost without a volume claim', async () => {
    const dir = await tempFolder();
    const out = io(dir);
    await writeKubernetesJob({ plan: planIn(dir, 1, { image: 'p' }), indices: [0], io: out.io });
    expect(out.stderr()).toMatch(/warning: kubernetes\.volumeClaim is not set: each pod writes its run into its own container/);
  });
});
