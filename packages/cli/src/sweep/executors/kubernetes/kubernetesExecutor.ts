import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import { stringify } from 'yaml';
import type { CommandIo } from '../../../program/commandIo.js';
import { prepareOutputFolder, writingTo } from '../../../run/outputFolder.js';
import type { SweepPlan } from '../../sweepPlan.js';
import { kubernetesJob } from './kubernetesJob.js';
import { validateKubernetesOptions } from './kubernetesOptions.js';

/**
 * Writes the sweep's Kubernetes Indexed Job to `<out>/kubernetes/job.yaml`
 * (see kubernetesJob) for the user to submit with `kubectl apply -f`;
 * polyfuse does not talk to the cluster itself. Each pod runs `polyfuse sweep
 * run <sweep file> --index <i>` and writes the run's sweep-status.json on the
 * shared volume, so `polyfuse sweep status` and `--resume` work from any
 * machine that mounts it. Throws a ConfigError for a bad `kubernetes:`
 * section or an index the plan does not have.
 */
export async function writeKubernetesJob(input: { plan: SweepPlan; indices: number[]; io: CommandIo }): Promise<{ manifestPath: string }> {
  const { plan, indices, io } = input;
  const options = validateKubernetesOptions(plan.kubernetes);
  if (indices.length === 0) throw new ConfigError('writeKubernetesJob: no runs to write (indices is empty).');
  const known = new Set(plan.runs.map((r) => r.index));
  const unknown = indices.filter((i) => !known.has(i));
  if (unknown.length > 0) throw new ConfigError(`writeKubernetesJob: the sweep '${plan.name}' has no run with index ${unknown.join(', ')} (runs are 0-${plan.runs.length - 1}).`);
  const job = kubernetesJob({ plan, indices, options, cwd: io.cwd });
  const folder = path.join(plan.outDir, 'kubernetes');
  await prepareOutputFolder(folder, 'the Kubernetes Job to', 'or choose another sweep folder');
  const manifestPath = path.join(folder, 'job.yaml');
  const namespace = options.namespace !== undefined ? ` -n ${options.namespace}` : '';
  const header = [
    `# Written by polyfuse sweep for '${plan.name}': ${indices.length} of ${plan.runs.length} run(s) as a Kubernetes Indexed Job.`,
    `# Submit:  kubectl apply -f ${manifestPath}`,
    `# Watch:   kubectl get job ${job.metadata!.name}${namespace} -w; polyfuse sweep status ${plan.sweepFile}`,
    `# Logs:    kubectl logs${namespace} job/${job.metadata!.name} --all-containers --prefix`,
    '',
  ].join('\n');
  await writingTo('the Kubernetes Job', manifestPath, () => writeFileAtomic(manifestPath, `${header}${stringify(job, { lineWidth: 0, aliasDuplicateObjects: false })}`));
  if (options.volumeClaim === undefined) {
    io.stderr.write(
      `warning: kubernetes.volumeClaim is not set: each pod writes its run into its own container, which is lost when the pod ends. Name a ReadWriteMany PersistentVolumeClaim that holds the sweep file, the data and ${plan.outDir}.\n`,
    );
  }
  io.stderr.write(`Wrote the Kubernetes Job ${job.metadata!.name} (${indices.length} run(s)) to ${manifestPath}; submit it with kubectl apply -f ${manifestPath}\n`);
  return { manifestPath };
}
