/** Entry point of runReplicas' worker threads: joins the group, runs the replica function, reports back. */
import { parentPort, workerData } from 'node:worker_threads';
import { ReplicaGroup } from './replicaGroup.js';
import type { ReplicaWorkerData } from './runReplicas.js';

const { module, exportName, data, init } = workerData as ReplicaWorkerData;
const group = new ReplicaGroup(init);
try {
  const replica = ((await import(module)) as Record<string, unknown>)[exportName] as (group: ReplicaGroup, data: unknown) => unknown;
  const result = await replica(group, data);
  parentPort!.postMessage({ result });
} catch (error) {
  group.abort();
  const e = error as Error;
  parentPort!.postMessage({ error: { message: e?.message ?? String(error), stack: e?.stack } });
}
