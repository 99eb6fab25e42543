import { ConfigError, validateConfig, type ConfigSchema } from '@polyfuse/core';

/** The sweep file's `kubernetes:` section: the image and what each pod asks for. */
export interface KubernetesOptions {
  image: string;
  namespace?: string;
  command: string[];
  cpu?: string;
  memory?: string;
  gpus?: number;
  parallelism?: number;
  volumeClaim?: string;
  mountPath?: string;
  workingDir?: string;
  backoffLimitPerIndex: number;
  env: Record<string, string>;
  serviceAccount?: string;
}

/**
 * Schema of the sweep file's `kubernetes:` section (checked like a
 * component's config, so messages name `kubernetes.<field>`); see
 * docs/scaling.md for the Job it becomes.
 */
export const kubernetesOptionsSchema: ConfigSchema = {
  image: { type: 'string', required: true, description: 'container image with Node 20+ and polyfuse installed (e.g. an image whose Dockerfile runs npm install -g @polyfuse/cli)' },
  namespace: { type: 'string', description: "namespace of the Job; default: kubectl's current namespace" },
  command: { type: 'string[]', default: ['polyfuse'], description: "how the image starts polyfuse, e.g. ['node', '/app/node_modules/@polyfuse/cli/bin/polyfuse.js']" },
  cpu: { type: 'string', description: "CPU request and limit per pod, in Kubernetes units ('2', '500m'); with training.replicas: n, ask for n" },
  memory: { type: 'string', description: "memory request and limit per pod, in Kubernetes units ('4Gi', '512Mi')" },
  gpus: { type: 'integer', min: 1, description: 'nvidia.com/gpu limit per pod (needs an image with @tensorflow/tfjs-node-gpu)' },
  parallelism: { type: 'integer', min: 1, description: 'pods at once; default: every run at once' },
  volumeClaim: { type: 'string', description: 'PersistentVolumeClaim (ReadWriteMany) holding the sweep file, the data and the sweep folder, mounted at mountPath in every pod' },
  mountPath: { type: 'string', description: 'where volumeClaim is mounted; the sweep file and folder must lie under it, at the same paths as where the Job is written; default: the folder the sweep is started from' },
  workingDir: { type: 'string', description: 'working folder of each pod; default: mountPath' },
  backoffLimitPerIndex: { type: 'integer', min: 0, default: 1, description: 'retries of a failed run before its index counts as failed (the other runs go on)' },
  env: { type: 'object', default: {}, description: "environment variables of each pod (name: value), e.g. { POLYFUSE_BACKEND: wasm }" },
  serviceAccount: { type: 'string', description: 'service account the pods run as' },
};

const quantity = /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks a sweep file's `kubernetes:` section and returns it with defaults
 * filled in. Values the API server would reject at `kubectl apply` are
 * refused here with the field and the expected form.
 */
export function validateKubernetesOptions(section: unknown, path = 'kubernetes'): KubernetesOptions {
  if (section === undefined) {
    throw new ConfigError(`${path}.image is required for the kubernetes executor: add a 'kubernetes:' section with at least 'image: <an image with Node 20+ and polyfuse>' to the sweep file.`);
  }
  const options = validateConfig<Record<string, unknown>>(kubernetesOptionsSchema, section as Record<string, unknown>, path) as unknown as KubernetesOptions;
  for (const field of ['cpu', 'memory'] as const) {
    const value = options[field];
    if (value !== undefined && !quantity.test(value)) {
      throw new ConfigError(`${path}.${field} must be a Kubernetes quantity (e.g. ${field === 'cpu' ? "'2' or '500m'" : "'4Gi' or '512Mi'"}), got ${JSON.stringify(value)}.`);
    }
  }
  for (const field of ['namespace', 'volumeClaim', 'serviceAccount'] as const) {
    const value = options[field];
    if (value !== undefined && (!dnsLabel.test(value) || value.length > 63)) {
      throw new ConfigError(`${path}.${field} must be a Kubernetes name (lowercase letters, digits and '-', at most 63), got ${JSON.stringify(value)}.`);
    }
  }
  for (const field of ['mountPath', 'workingDir'] as const) {
    const value = options[field];
    if (value !== undefined && !value.startsWith('/')) throw new ConfigError(`${path}.${field} must be an absolute path in the container, got ${JSON.stringify(value)}.`);
  }
  if (options.command.length === 0) throw new ConfigError(`${path}.command must name how the image starts polyfuse (e.g. ['polyfuse']), got [].`);
  for (const [name, value] of Object.entries(options.env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ConfigError(`${path}.env: ${JSON.stringify(name)} is not an environment variable name (letters, digits, '_').`);
    if (typeof value !== 'string') throw new ConfigError(`${path}.env.${name} must be a string (quote numbers in YAML), got ${JSON.stringify(value)}.`);
  }
  return options;
}
