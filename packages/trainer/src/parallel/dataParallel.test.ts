import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@polyfuse/core';
import { ReplicaGroup, createReplicaGroupInits } from './replicaGroup.js';

const fixture = fileURLToPath(new URL('./dataParallel.fixture.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/node.js', import.meta.url));

/** Runs the fixture in a fresh Node process: worker threads need the built package (`pnpm build`). */
function runFixture(mode: string): Record<string, unknown> {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm build\` before these tests (worker threads load built JavaScript).`);
  const result = spawnSync(process.execPath, [fixture, mode], { encoding: 'utf8', timeout: 120_000 });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`fixture ${mode} printed no result (exit ${result.status}): ${result.stderr}`);
  return JSON.parse(line) as Record<string, unknown>;
}

type Run = { weights: number[][]; history: Record<string, number>[]; steps: number };
const flat = (run: Run) => run.weights.flat();

describe('ReplicaGroup', () => {
  it('splits a batch into contiguous shards whose sizes differ by at most one', () => {
    const shards = (rows: number, size: number) => createReplicaGroupInits(size).map((init) => new ReplicaGroup(init).shard(rows));
    expect(shards(64, 2)).toEqual([{ start: 0, end: 32 }, { start: 32, end: 64 }]);
    expect(shards(7, 3)).toEqual([{ start: 0, end: 3 }, { start: 3, end: 5 }, { start: 5, end: 7 }]);
    expect(shards(1, 2)).toEqual([{ start: 0, end: 1 }, { start: 1, end: 1 }]);
  });

  it('is the identity for one replica, and says when a vector or message does not fit', () => {
    const group = new ReplicaGroup(createReplicaGroupInits(1, { capacity: 4, messageBytes: 16 })[0]!);
    expect(Array.from(group.allReduce(Float32Array.of(1, 2, 3), 5))).toEqual([1, 2, 3]);
    expect(group.broadcast({ a: 1 })).toEqual({ a: 1 });
    expect(() => group.allReduce(new Float32Array(5), 1)).toThrow(/exceeds the replica group's capacity of 4/);
    expect(() => group.broadcast('x'.repeat(40))).toThrow(/exceeds the replica group's 16-byte message buffer/);
    expect(() => createReplicaGroupInits(0)).toThrow(ConfigError);
  });
});

describe('data-parallel training (2 worker threads)', () => {
  it('keeps replicas identical, repeats exactly, and equals one-thread training within float32 rounding', () => {
    const { single, first, second } = runFixture('compare') as { single: Run; first: Run[]; second: Run[] };
    const [rank0, rank1] = first as [Run, Run];
    expect(flat(rank1)).toEqual(flat(rank0));
    expect(flat(second[0]!)).toEqual(flat(rank0));
    expect(rank0.steps).toBe(single.steps);
    const difference = Math.max(...flat(rank0).map((w, i) => Math.abs(w - flat(single)[i]!)));
    expect(difference).toBeLessThan(1e-5);
    // Logged losses are whole-batch means, and validation comes from replica 0 to every replica.
    for (const key of ['loss.main', 'loss.aux_a', 'val.loss.main', 'val.loss.total']) {
      expect(rank0.history[1]![key]).toBeCloseTo(single.history[1]![key]!, 5);
      expect(rank1.history[1]![key]).toBe(rank0.history[1]![key]);
    }
  });

  it('stops every replica and reports the failing replica’s own error', () => {
    expect(runFixture('fail')).toEqual({ error: 'Replica 1: replica 1 fails on purpose' });
  });
});
