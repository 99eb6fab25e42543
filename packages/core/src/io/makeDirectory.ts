import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Creates `dir` and its missing parents one level at a time. Unlike
 * `fs.mkdir(dir, { recursive: true })`, which retries forever where mkdir
 * answers ENOENT for a parent that exists (procfs, sysfs and other virtual
 * file systems), every step must make progress, so it fails at once there.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    let stats: Awaited<ReturnType<typeof fs.stat>> | undefined;
    try {
      stats = await fs.stat(existing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file is in the way higher up; walk on to name it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    if (stats) {
      if (!stats.isDirectory()) throw Object.assign(new Error(`${existing} is not a folder`), { code: 'ENOTDIR', path: existing, syscall: 'mkdir' });
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(existing);
    existing = parent;
  }
  for (const folder of missing) {
    try {
      await fs.mkdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await fs.stat(folder)).isDirectory()) continue;
      // The parent exists (just checked or just made), so ENOENT means this file system makes no folders.
      if (code === 'ENOENT') throw Object.assign(new Error(`cannot create ${folder}`), { code: 'ENOMKDIR', path: folder, syscall: 'mkdir' });
      throw error;
    }
  }
}
