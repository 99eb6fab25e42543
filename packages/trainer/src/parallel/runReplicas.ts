import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@polyfuse/core';
import { ReplicaGroup, createReplicaGroupInits, type ReplicaGroupInit } from './replicaGroup.js';

/** The function a replica module exports: runs one replica, in its own thread. */
export type ReplicaFunction<D = unknown, R = unknown> = (group: ReplicaGroup, data: D) => R | Promise<R>;

export interface RunReplicasOptions<D, R = unknown> {
  /** Threads to train in, the calling thread included (it runs replica 0). */
  replicas: number;
  /** ES module (path or URL) whose export `exportName` is a `ReplicaFunction`; each thread imports it. */
  module: string | URL;
  /** Default `replica`. */
  exportName?: string;
  /** Structured-cloneable data every replica receives. */
  data?: D;
  /**
   * Runs replica 0 in this thread instead of the module's function, e.g. with
   * callbacks that log and checkpoint, which only replica 0 should have.
   */
  main?: ReplicaFunction<D, R>;
  /** Floats per all-reduce (the model's parameter count plus a few); default 16 Mi. */
  capacity?: number;
  /** How long a replica waits for the others before failing; default 10 minutes. */
  timeoutMs?: number;
}

/** What the worker threads get in `workerData`. */
export interface ReplicaWorkerData {
  module: string;
  exportName: string;
  data: unknown;
  init: ReplicaGroupInit;
}

/**
 * Data-parallel training on several cores: runs the module's replica
 * function once per thread (replica 0 in this thread, the others in worker
 * threads), each with its own TF.js backend, joined by a `ReplicaGroup`.
 * The module must not be the script that calls `runReplicas` at its top
 * level: each worker imports it, and a script importing itself during its
 * own top-level await waits forever.
 * Resolves to every replica's return value, in rank order. If one replica
 * fails, the group is aborted so the others stop, and the first failure is
 * thrown (a worker's own error, not the others' "replica N failed").
 */
export async function runReplicas<D, R = unknown>(options: RunReplicasOptions<D, R>): Promise<R[]> {
  const href = typeof options.module === 'string' && !/^[a-z]+:/i.test(options.module) ? pathToFileURL(options.module).href : String(options.module);
  const exportName = options.exportName ?? 'replica';
  const inits = createReplicaGroupInits(options.replicas, { capacity: options.capacity, timeoutMs: options.timeoutMs });
  const replicaFunction = options.main ?? (await loadReplicaFunction<D, R>(href, exportName));
  const group = new ReplicaGroup(inits[0]!);
  const workers = inits.slice(1).map((init) => {
    const workerData: ReplicaWorkerData = { module: href, exportName, data: options.data, init };
    return new Worker(new URL('./replicaWorker.js', import.meta.url), { workerData });
  });
  const outcomes = workers.map(
    (worker, i) =>
      new Promise<R>((resolve, reject) => {
        let settled = false;
        worker.once('message', (message: { result?: R; error?: { message: string; stack?: string } }) => {
          settled = true;
          if (message.error) reject(Object.assign(new Error(`Replica ${i + 1}: ${message.error.message}`), { stack: message.error.stack }));
          else resolve(message.result as R);
        });
        worker.once('error', (error) => {
          settled = true;
          group.abort();
          reject(error);
        });
        worker.once('exit', (code) => {
          if (settled) return;
          group.abort();
          reject(new Error(`Replica ${i + 1} exited with code ${code} before finishing.`));
        });
      }),
  );
  // Keep unhandled-rejection warnings away while replica 0 runs.
  outcomes.forEach((p) => p.catch(() => undefined));
  let own: R;
  try {
    own = await replicaFunction(group, options.data as D);
  } catch (error) {
    group.abort();
    const settled = await Promise.allSettled(outcomes);
    await Promise.all(workers.map((w) => w.terminate()));
    // A worker's own failure explains replica 0's "replica N failed" better.
    const workerFailure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !/^Replica \d+: Replica \d+ failed/.test(String(s.reason?.message)));
    throw group.abortedBy !== undefined && group.abortedBy !== 0 && workerFailure ? workerFailure.reason : error;
  }
  const others = await Promise.all(outcomes);
  return [own, ...others];
}

async function loadReplicaFunction<D, R>(href: string, exportName: string): Promise<ReplicaFunction<D, R>> {
  const module = (await import(href)) as Record<string, unknown>;
  const fn = module[exportName];
  if (typeof fn !== 'function') throw new ConfigError(`${href} has no exported function '${exportName}' (the replica function runReplicas calls in each thread).`);
  return fn as ReplicaFunction<D, R>;
}
