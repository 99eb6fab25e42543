import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PolyfuseError } from '@polyfuse/core';
import { makeDirectory } from '@polyfuse/core/node';

export { makeDirectory };

/**
 * A file or folder could not be written (disk full, read-only file system,
 * no permission, a file where a folder should be, a place where folders
 * cannot be made). A runtime failure: the command exits 1.
 */
export class WriteError extends PolyfuseError {}

/** Error codes that mean "the file system refused", with what they mean and what to do. */
const reasons: Record<string, { why: string; fix: string }> = {
  ENOSPC: { why: 'the disk is full', fix: 'Free some space' },
  EDQUOT: { why: 'the disk quota is used up', fix: 'Free some space' },
  EFBIG: { why: 'the file is larger than this file system allows', fix: 'Write to another file system' },
  EROFS: { why: 'the file system is read-only', fix: 'Write to a writable folder' },
  EACCES: { why: 'permission denied', fix: 'Write to a folder you own, or fix its permissions' },
  EPERM: { why: 'the operation is not permitted here', fix: 'Write to an ordinary folder you own' },
  ENOTDIR: { why: 'a part of the path is a file, not a folder', fix: 'Move or remove that file' },
  EISDIR: { why: 'it is a folder, not a file', fix: 'Give a file name' },
  ENAMETOOLONG: { why: 'the path is too long', fix: 'Use a shorter path' },
  ELOOP: { why: 'the path has a symbolic-link loop', fix: 'Use another path' },
  EMFILE: { why: 'too many files are open', fix: 'Raise the open-file limit (ulimit -n)' },
  EIO: { why: 'the device reported an I/O error', fix: 'Check the disk' },
  // Ours (makeDirectory): mkdir answers ENOENT although the parent exists.
  ENOMKDIR: { why: 'folders cannot be created on this file system (a virtual one, such as /proc or /sys)', fix: 'Write to an ordinary folder' },
};

/** Whether `error` is a Node file-system error this module explains. */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code! in reasons;
}

/** The file a temporary name stands for: `weights.bin.tmp-123-456` and `model.tmp-1-2/weights.bin` name the real `weights.bin`. */
export function realPath(file: string): string {
  return file.replace(/\.(tmp|old)-\d+-\d+(?=$|[\\/])/g, '');
}

/**
 * A WriteError for a file-system error met while writing `what` (e.g. `the
 * run folder`) at `where`: says what could not be written, where, why (with
 * the error code) and what to do, without temporary file names. `advice`
 * replaces the generic fix (e.g. `choose another --out`).
 */
export function writeError(error: NodeJS.ErrnoException, what: string, where: string, advice?: string): WriteError {
  const code = error.code ?? 'EIO';
  const reason = reasons[code] ?? { why: error.message, fix: 'Write somewhere else' };
  const file = error.path ? realPath(error.path) : undefined;
  const at = file && path.resolve(file) !== path.resolve(where) ? `${where} (at ${file})` : where;
  const shownCode = code === 'ENOMKDIR' ? 'mkdir: ENOENT' : code;
  return new WriteError(`could not write ${what} ${at}: ${reason.why} (${shownCode}). ${reason.fix}, ${advice ?? 'or write somewhere else'}.`, { cause: error });
}

/**
 * Runs `write`, turning a file-system error into a WriteError about `what`
 * at `where` (see `writeError`). Other errors pass through.
 */
export async function writingTo<T>(what: string, where: string, write: () => Promise<T>, advice?: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isFileSystemError(error)) throw writeError(error, what, where, advice);
    throw error;
  }
}

/**
 * Makes sure `dir` exists and can be written before a command spends time on
 * work it could not save: creates it (see `makeDirectory`), then writes and
 * removes a small probe file. Fails with a WriteError naming `dir`, why and
 * what to do (`advice`, e.g. `or choose another --out`).
 */
export async function prepareOutputFolder(dir: string, what: string, advice?: string): Promise<void> {
  await writingTo(what, dir, async () => {
    await makeDirectory(dir);
    const probe = path.join(dir, `.polyfuse-write-test-${process.pid}`);
    try {
      await fs.writeFile(probe, 'polyfuse');
    } catch (error) {
      // The probe's name means nothing to the user: the folder is what cannot be written.
      throw Object.assign(error as NodeJS.ErrnoException, { path: dir });
    } finally {
      await fs.rm(probe, { force: true }).catch(() => undefined);
    }
  }, advice);
}
