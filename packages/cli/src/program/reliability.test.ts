import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@polyfuse/core';
import { exitCodes } from '../index.js';
import { writeBuiltinDataset } from '../../fixtures/builtinDataset.js';
import { runPolyfuse } from '../../fixtures/runInProcess.js';

// The faults a user meets, through the command: in-process (runCli, as the other CLI tests) where that is the
// same code path, and the built `polyfuse` binary in a child process (`pnpm build` first) where the process
// itself matters: a signal, another user, a mkdir that may never return.
const polyfuseInProcess = runPolyfuse;

const bin = fileURLToPath(new URL('../../bin/polyfuse.js', import.meta.url));
const built = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

function polyfuse(cwd: string, args: string[], options: { timeout?: number; asUser?: number } = {}): { code: number | null; stderr: string; stdout: string } {
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` before this test.`);
  const command = options.asUser !== undefined ? 'setpriv' : process.execPath;
  const prefix = options.asUser !== undefined ? [`--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', process.execPath] : [];
  const result = spawnSync(command, [...prefix, bin, ...args], { cwd, encoding: 'utf8', timeout: options.timeout ?? 60_000 });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}

const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

/** Mounts a tmpfs at `dir` (root only); returns false, printing why, when it cannot. */
function mountTmpfs(dir: string, options: string): boolean {
  if (!isRoot) {
    console.log(`skipped: mounting a tmpfs needs root (uid ${process.getuid?.()})`);
    return false;
  }
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (result.status !== 0) console.log(`skipped: mount -t tmpfs -o ${options} failed: ${result.stderr.trim()}`);
  return result.status === 0;
}

function unmount(dir: string): void {
  // Lazy: an in-process run may still hold a file open there until it is collected.
  spawnSync('umount', ['-l', dir]);
}

/** A PNG with a valid IHDR declaring width × height and a small IDAT: a decompression bomb. */
function pngDeclaring(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer): number => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth; colour type 0 (grey)
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.alloc(width + 1))), chunk('IEND', Buffer.alloc(0))]);
  return png;
}

describe('polyfuse writes: fail fast with a message naming the path (exit 1)', () => {
  let dir: string;

  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-writes-'));
    await writeBuiltinDataset(dir);
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses --out in procfs and sysfs at once instead of looping in mkdir', async () => {
    if (!existsSync('/proc/self')) return void console.log('skipped: no /proc mount');
    const proc = polyfuse(dir, ['train', '-c', 'config.json', '--out', `/proc/polyfuse-run-${process.pid}`, '-q'], { timeout: 20_000 });
    expect(proc.code).toBe(exitCodes.failure);
    expect(proc.stderr).toBe(
      `error: could not write the run folder /proc/polyfuse-run-${process.pid}: folders cannot be created on this file system (a virtual one, such as /proc or /sys) (mkdir: ENOENT). Write to an ordinary folder, or choose another --out.\n`,
    );
    if (!existsSync('/sys/kernel')) return void console.log('skipped: no /sys mount');
    const sys = await polyfuseInProcess(dir, 'train', '-c', 'config.json', '--out', '/sys/polyfuse-run/deeper', '-q');
    expect(sys.code).toBe(exitCodes.failure);
    expect(sys.stderr).toMatch(/^error: could not write the run folder \/sys\/polyfuse-run\/deeper.*: .*\((EPERM|EACCES|mkdir: ENOENT|EROFS)\)\. .*, or choose another --out\.\n$/);
  });

  it('names the file in the way when --out is under a regular file (ENOTDIR)', async () => {
    await fs.writeFile(path.join(dir, 'plain'), 'not a folder');
    const result = await polyfuseInProcess(dir, 'train', '-c', 'config.json', '--out', 'plain/run', '-q');
    expect(result.code).toBe(exitCodes.failure);
    expect(result.stderr).toBe(
      `error: could not write the run folder ${path.join(dir, 'plain/run')} (at ${path.join(dir, 'plain')}): a part of the path is a file, not a folder (ENOTDIR). Move or remove that file, or choose another --out.\n`,
    );
  });

  it('says the file system is read-only (EROFS), before training', async () => {
    const mount = path.join(dir, 'readonly');
    await fs.mkdir(mount);
    if (!mountTmpfs(mount, 'ro,size=64k')) return;
    try {
      const result = await polyfuseInProcess(dir, 'train', '-c', 'config.json', '--out', 'readonly/run');
      expect(result.code).toBe(exitCodes.failure);
      expect(result.stderr).toBe(`error: could not write the run folder ${path.join(mount, 'run')}: the file system is read-only (EROFS). Write to a writable folder, or choose another --out.\n`);
    } finally {
      unmount(mount);
    }
  });

  it('says the disk is full (ENOSPC) without temporary file names, and leaves no partial files', async () => {
    const mount = path.join(dir, 'tiny');
    await fs.mkdir(mount);
    if (!mountTmpfs(mount, 'size=16k')) return;
    try {
      const result = await polyfuseInProcess(dir, 'train', '-c', 'config.json', '--out', 'tiny/run', '-q');
      expect(result.code).toBe(exitCodes.failure);
      const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^error: could not write the run folder ${path.join(mount, 'run')}( \\(at [^)]*\\))?: the disk is full \\(ENOSPC\\)\\. Free some space, or choose another --out\\.$`));
      expect(result.stderr).not.toMatch(/tmp-\d|unexpected error/);
      const left = (await fs.readdir(mount, { recursive: true })).map(String);
      expect(left.filter((name) => /\.(tmp|old)-\d+-\d+|polyfuse-write-test/.test(name))).toEqual([]);
    } finally {
      unmount(mount);
    }
  });

  it('says permission is denied (EACCES) to a user who cannot write there', async () => {
    if (!isRoot || !hasSetpriv) return void console.log(`skipped: running as another user needs root and setpriv (uid ${process.getuid?.()}, setpriv ${hasSetpriv})`);
    const owned = path.join(dir, 'root-only');
    await fs.mkdir(owned, { mode: 0o755 });
    await fs.chmod(dir, 0o755);
    const result = polyfuse(dir, ['train', '-c', 'config.json', '--out', 'root-only/run', '-q'], { asUser: 65534 });
    expect(result.code).toBe(exitCodes.failure);
    expect(result.stderr).toBe(`error: could not write the run folder ${path.join(owned, 'run')}: permission denied (EACCES). Write to a folder you own, or fix its permissions, or choose another --out.\n`);
  });
});

describe('polyfuse train: SIGTERM, resume, skipped samples', () => {
  let dir: string;

  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-faults-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('stops on SIGTERM like Ctrl-C: saves a checkpoint, says where, exits 143', async () => {
    const data = path.join(dir, 'sigterm');
    await writeBuiltinDataset(data, { config: { training: { epochs: 400, batchSize: 8, seed: 1 } } });
    const child = spawn(process.execPath, [bin, 'train', '-c', 'config.json', '--out', 'run', '--no-report'], { cwd: data });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!signalled && /epoch 1\/400/.test(stderr)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(killer);
    expect(signalled).toBe(true);
    expect(code).toBe(exitCodes.terminated);
    expect(stderr).toMatch(/Received SIGTERM\. Stopping after this step to save a checkpoint/);
    expect(stderr).toContain(`Stopped. Checkpoint saved to ${path.join(data, 'run', 'checkpoints', 'last')}; continue with --resume.`);
    await expect(fs.access(path.join(data, 'run', 'checkpoints', 'last', 'model.json'))).resolves.toBeUndefined();
  });

  it('refuses --resume with a changed config, listing the differences; --allow-config-change admits the safe fields', async () => {
    const data = path.join(dir, 'resume');
    const { config } = await writeBuiltinDataset(data);
    expect((await polyfuseInProcess(data, 'train', '-c', 'config.json', '--out', 'run', '-q', '--no-report')).code).toBe(exitCodes.ok);
    const write = (name: string, training: Record<string, unknown>) => fs.writeFile(path.join(data, name), JSON.stringify({ ...config, training: { ...config.training, ...training } }));

    await write('batch.json', { batchSize: 4, epochs: 3 });
    const batch = await polyfuseInProcess(data, 'train', '-c', 'batch.json', '--out', 'run', '--resume', '-q');
    expect(batch.code).toBe(exitCodes.usage);
    expect(batch.stderr).toBe(
      `error: --resume: the config differs from the run's (${path.join(data, 'run', 'config.json')}):\n` +
        '  training.epochs: 2 -> 3\n' +
        '  training.batchSize: 8 -> 4\n' +
        `Resuming with these changes would not continue the same training: restore the config (the run's is ${path.join(data, 'run', 'config.json')}), or train a new run with another --out. Of these, training.epochs may change: pass --allow-config-change epochs.\n`,
    );
    expect((await polyfuseInProcess(data, 'train', '-c', 'batch.json', '--out', 'run', '--resume', '--allow-config-change', 'epochs,batchSize')).stderr).toMatch(
      /^error: --allow-config-change: 'batchSize' cannot change on --resume \(it changes the data order, the model or the optimizer\)\. Fields that may change: name, backend, training\.epochs, /,
    );

    await write('longer.json', { epochs: 3 });
    const refused = await polyfuseInProcess(data, 'train', '-c', 'longer.json', '--out', 'run', '--resume', '-q');
    expect(refused.code).toBe(exitCodes.usage);
    expect(refused.stderr).toMatch(/training\.epochs: 2 -> 3\ntraining\.epochs may change: pass --allow-config-change epochs\.\n$/);
    const longer = await polyfuseInProcess(data, 'train', '-c', 'longer.json', '--out', 'run', '--resume', '-q', '--no-report', '--allow-config-change', 'epochs');
    expect(longer.stderr).not.toMatch(/error:/);
    expect(longer.code).toBe(exitCodes.ok);
    expect(longer.stderr).toContain('Config change allowed on resume: training.epochs 2 -> 3');
    const logs = (await fs.readFile(path.join(data, 'run', 'logs', 'train.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(logs.filter((r) => r.type === 'epoch').map((r) => r.epoch)).toEqual([0, 1, 2]);

    // report, eval and predict check where they write before any work, too.
    const ro = path.join(dir, 'ro-run');
    await fs.cp(path.join(data, 'run'), ro, { recursive: true });
    // A read-only bind mount of a copy of the run (root only): bind it, then remount it read-only.
    if (!isRoot) console.log(`skipped: a read-only bind mount needs root (uid ${process.getuid?.()})`);
    else if (spawnSync('mount', ['--bind', ro, ro]).status !== 0 || spawnSync('mount', ['-o', 'remount,bind,ro', ro]).status !== 0) {
      console.log('skipped: read-only bind mount failed');
      unmount(ro);
    } else {
      try {
        const report = await polyfuseInProcess(dir, 'report', 'ro-run');
        expect(report.code).toBe(exitCodes.failure);
        expect(report.stderr).toBe(`error: could not write the report in ${ro}: the file system is read-only (EROFS). Write to a writable folder, or copy the run folder somewhere writable.\n`);
      } finally {
        unmount(ro);
      }
    }
    await fs.writeFile(path.join(data, 'encoding.json'), JSON.stringify({ ...config, data: { ...config.data, encoding: 'klingon' } }));
    expect(await polyfuseInProcess(data, 'train', '-c', 'encoding.json', '--out', 'other')).toEqual({
      code: exitCodes.usage,
      stdout: '',
      stderr: "error: data.encoding: unknown text encoding 'klingon'. Use a WHATWG encoding label such as 'utf-8', 'latin1', 'windows-1252' or 'utf-16le'.\n",
    });
    const scores = await polyfuseInProcess(data, 'eval', 'run', '-o', `/proc/polyfuse-scores-${process.pid}/scores.json`);
    expect(scores.code).toBe(exitCodes.failure);
    expect(scores.stderr).toMatch(/^error: could not write the scores to \/proc\/polyfuse-scores-\d+: folders cannot be created/);
  });

  it('skips bad samples before counting: prints the total, counts usable samples only, lists every one in the run folder and the report', async () => {
    const data = path.join(dir, 'skipped');
    await fs.mkdir(path.join(data, 'texts'), { recursive: true });
    await fs.writeFile(path.join(data, 'bomb.png'), pngDeclaring(20000, 20000));
    await fs.writeFile(path.join(data, 'texts', 'latin1.txt'), Buffer.from('un caf\xe9 rouge', 'latin1'));
    const line = (values: Record<string, unknown>) => JSON.stringify({ x: [1, 0, 0], label: 'red', ...values });
    const extraLines = [
      ...[1, 2, 3, 4].map((i) => line({ id: `gone${i}`, text: `texts/missing${i}.txt` })), // files that do not exist
      '{"id": "cut", "x": [1, 0', // not JSON
      '["not", "an", "object"]',
      Buffer.concat([Buffer.from('{"id": "cafe1", "x": [1, 0, 0], "text": "texts/t0.txt", "label": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]), // Latin-1 in the manifest
      Buffer.concat([Buffer.from('{"id": "cafe2", "x": [0, 1, 0], "text": "texts/t1.txt", "label": "gr'), Buffer.from([0xff, 0xfe]), Buffer.from('n"}')]),
      line({ id: 'latin1-file1', text: 'texts/latin1.txt' }), // a text file that is not UTF-8
      line({ id: 'latin1-file2', text: 'texts/latin1.txt', label: 'green' }),
      line({ id: 'bomb1', text: 'texts/t2.txt', image: 'bomb.png' }), // 20000 × 20000 pixels declared in 4 KB
      line({ id: 'bomb2', text: 'texts/t3.txt', image: 'bomb.png', label: 'blue' }),
    ];
    const { config } = await writeBuiltinDataset(data, { extraLines });
    const withImage = {
      ...config,
      data: { ...config.data, modalities: { ...config.data.modalities, image: { type: 'file', preprocessor: { name: 'image', config: { height: 4, width: 4, channels: 1, decoder: 'js' } } } } },
      model: { ...config.model, encoders: { ...config.model.encoders, image: { name: 'image-cnn', config: { inputShape: [4, 4, 1], filters: [2], units: 4 } } } },
    };
    await fs.writeFile(path.join(data, 'config.json'), JSON.stringify(withImage));
    const result = await polyfuseInProcess(data, 'train', '-c', 'config.json', '--out', 'run', '-q');
    expect(result.stderr).not.toMatch(/error:/);
    expect(result.code).toBe(exitCodes.ok);
    const run = path.join(data, 'run');
    const samples = /Samples: train (\d+), validation (\d+), test (\d+) \(usable samples; 12 skipped, 7 not shown above; every one is listed in (.*)\)\n/.exec(result.stderr);
    expect(samples, result.stderr).not.toBeNull();
    expect(Number(samples![1]) + Number(samples![2]) + Number(samples![3])).toBe(30);
    expect(samples![4]).toBe(path.join(run, 'skipped.jsonl'));
    expect(result.stderr.match(/^skipped /gm)).toHaveLength(5);

    const skipped = (await fs.readFile(path.join(run, 'skipped.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(skipped).toHaveLength(12);
    const manifest = path.join(data, 'manifest.jsonl');
    for (const entry of skipped) {
      expect(entry.manifest).toBe(manifest);
      expect(entry.line).toBeGreaterThan(30);
      expect(typeof entry.reason).toBe('string');
    }
    const byLine = Object.fromEntries(skipped.map((s) => [s.line, s]));
    expect(byLine[31]).toMatchObject({ id: 'gone1', field: 'text' });
    expect(byLine[31].reason).toMatch(/missing1\.txt does not exist/);
    expect(byLine[35].reason).toMatch(/^not valid JSON/);
    expect(byLine[37].reason).toBe("the line is not valid UTF-8 (byte 0xe9 at column 70); save the manifest as UTF-8, or set its encoding (e.g. 'latin1').");
    expect(byLine[38].reason).toMatch(/^the line is not valid UTF-8 \(byte 0xff at column 69\)/);
    expect(byLine[39]).toMatchObject({ id: 'latin1-file1', field: 'text' });
    expect(byLine[39].reason).toBe(`${path.join(data, 'texts', 'latin1.txt')}: the text is not valid UTF-8 (byte 0xe9 at offset 6). Save it as UTF-8, or set the text preprocessor's encoding (e.g. 'latin1').`);
    expect(byLine[41]).toMatchObject({ id: 'bomb1', field: 'image' });
    expect(byLine[41].reason).toBe(
      `${path.join(data, 'bomb.png')}: the image declares 20000×20000 = 400,000,000 pixels, more than the limit of 50,000,000 (maxPixels). Shrink the image, or raise the image preprocessor's maxPixels if it is genuine.`,
    );

    const html = await fs.readFile(path.join(run, 'report', 'index.html'), 'utf8');
    expect(html).toContain('<h2>Skipped samples (12)</h2>');
    expect(html).toContain('manifest.jsonl:41');
    expect(html).toContain('more than the limit of 50,000,000 (maxPixels)');
  });
});
