import { createHash } from 'node:crypto';
import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { SweepPlan } from '../../sweepPlan.js';
import type { KubernetesOptions } from './kubernetesOptions.js';

/**
 * The Indexed Job of a sweep (batch/v1, Kubernetes 1.24+; backoffLimitPerIndex
 * needs 1.29+): one completion per run in `indices`, each pod running
 * `<command> sweep run <sweep file> --index <i>`.
 *
 * With every run (indices 0..N-1) the index is the pod's completion index,
 * `$(JOB_COMPLETION_INDEX)`, which Kubernetes expands in `args`. An Indexed
 * Job always numbers its completions 0..k-1, so for a subset (a resume) the
 * pod maps its completion index to the run index through the list in
 * `POLYFUSE_SWEEP_INDICES` with a line of /bin/sh. A subset Job gets a name of
 * its own (`-resume-<hash of the indices>`), since the first Job keeps its
 * name until deleted.
 *
 * Typed with kubernetes-types, so a misspelt field does not compile.
 */
export function kubernetesJob(input: { plan: SweepPlan; indices: readonly number[]; options: KubernetesOptions; cwd: string }): Job {
  const { plan, options, cwd } = input;
  const indices = [...new Set(input.indices)].sort((a, b) => a - b);
  const all = indices.length === plan.runs.length && indices.every((index, k) => index === k);
  const mountPath = options.mountPath ?? cwd;
  const workingDir = options.workingDir ?? mountPath;
  if (options.volumeClaim !== undefined) {
    for (const [what, where] of [['sweep file', plan.sweepFile], ['sweep folder', plan.outDir]] as const) {
      if (path.relative(mountPath, where).startsWith('..')) {
        throw new ConfigError(`kubernetes.mountPath: the ${what} ${where} is not under ${mountPath}, where volumeClaim '${options.volumeClaim}' is mounted; pods would not see it. Set mountPath to a folder that holds both, with the same path in the pods.`);
      }
    }
  }
  const labels = { 'app.kubernetes.io/name': 'polyfuse', 'app.kubernetes.io/component': 'sweep', 'polyfuse/sweep': labelValue(plan.name) };
  const name = jobName(plan.name, all ? undefined : indices);
  const sweepRun = ['sweep', 'run', plan.sweepFile, '--index'];
  // Requests equal limits: the scheduler reserves what a run may use, so its speed does not depend on its neighbours.
  const requests: Record<string, string> = {
    ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
    ...(options.memory !== undefined ? { memory: options.memory } : {}),
  };
  const limits: Record<string, string> = { ...requests, ...(options.gpus !== undefined ? { 'nvidia.com/gpu': String(options.gpus) } : {}) };
  const resources = { ...(Object.keys(requests).length > 0 ? { requests } : {}), ...(Object.keys(limits).length > 0 ? { limits } : {}) };
  const env = Object.entries(options.env).map(([envName, value]) => ({ name: envName, value }));
  const container: Container = {
    name: 'polyfuse',
    image: options.image,
    workingDir,
    // Completion index k runs run indices[k]: the shell takes the k-th word of the list, then execs polyfuse.
    ...(all
      ? { command: options.command, args: [...sweepRun, '$(JOB_COMPLETION_INDEX)'] }
      : { command: ['/bin/sh', '-c', `set -- $POLYFUSE_SWEEP_INDICES && shift "$JOB_COMPLETION_INDEX" && exec ${[...options.command, ...sweepRun].map(shellWord).join(' ')} "$1"`] }),
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    ...(!all || env.length > 0 ? { env: [...(all ? [] : [{ name: 'POLYFUSE_SWEEP_INDICES', value: indices.join(' ') }]), ...env] } : {}),
    ...(options.volumeClaim !== undefined ? { volumeMounts: [{ name: 'sweep', mountPath }] } : {}),
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...(options.namespace !== undefined ? { namespace: options.namespace } : {}), labels },
    spec: {
      completionMode: 'Indexed',
      completions: indices.length,
      parallelism: Math.min(options.parallelism ?? indices.length, indices.length),
      backoffLimitPerIndex: options.backoffLimitPerIndex,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          ...(options.serviceAccount !== undefined ? { serviceAccountName: options.serviceAccount } : {}),
          containers: [container],
          ...(options.volumeClaim !== undefined ? { volumes: [{ name: 'sweep', persistentVolumeClaim: { claimName: options.volumeClaim } }] } : {}),
        },
      },
    },
  };
}

/**
 * `polyfuse-<sweep>` (or `...-resume-<6 hex>` for a subset), a DNS label
 * short enough that the pods' hostnames (`<job>-<index>`) stay within 63
 * characters.
 */
export function jobName(sweepName: string, subset?: readonly number[]): string {
  const suffix = subset ? `-resume-${createHash('sha256').update(subset.join(',')).digest('hex').slice(0, 6)}` : '';
  const base = `polyfuse-${sweepName.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 52 - suffix.length).replace(/-+$/, '');
  return `${base}${suffix}`;
}

/** A label value: at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric. */
function labelValue(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'sweep';
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
