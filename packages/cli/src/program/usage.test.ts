import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodes } from './exitCodes.js';
import { editDistance, nearestName } from './nearestName.js';
import { runPolyfuse } from '../../fixtures/runInProcess.js';

const polyfuse = (...args: string[]) => runPolyfuse(process.cwd(), ...args);

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('polyfuse usage errors, --version and help', () => {
  it('names an unknown command and the nearest one, and exits 2', async () => {
    const deploy = await polyfuse('deploy');
    expect(deploy.code).toBe(exitCodes.usage);
    expect(deploy.stdout).toBe('');
    expect(deploy.stderr).toMatch(/^error: unknown command 'deploy' \(nearest: '\w+'\)\. Commands: train, eval, predict, inspect, report, list, sweep, ensemble\.\n/);
    expect((await polyfuse('evl', 'runs/av')).stderr).toMatch(/unknown command 'evl' \(nearest: 'eval'\)/);
    expect((await polyfuse('--quiet', 'lsit')).stderr).toMatch(/unknown command 'lsit' \(nearest: 'list'\)/);
    const help = await polyfuse('help', 'deploy');
    expect(help.code).toBe(exitCodes.usage);
    expect(help.stderr).toMatch(/unknown command 'deploy'/);
  });

  it('prints the version of @polyfuse/cli', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await polyfuse(flag);
      expect(result).toEqual({ code: exitCodes.ok, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('prints help for the program and for one command', async () => {
    const all = await polyfuse('--help');
    expect(all.code).toBe(exitCodes.ok);
    expect(all.stdout).toMatch(/list \[options\] \[kind\]/);
    const evalHelp = await polyfuse('help', 'eval');
    expect(evalHelp.code).toBe(exitCodes.ok);
    expect(evalHelp.stdout).toMatch(/--mask <modality>/);
    expect(evalHelp.stdout).toMatch(/--no-extras/);
  });

  it('finds the nearest name by edit distance, swaps of neighbours counting once', () => {
    expect(editDistance('lsit', 'list')).toBe(1);
    expect(editDistance('sweep', 'sweep')).toBe(0);
    expect(editDistance('', 'eval')).toBe(4);
    expect(nearestName('predcit', ['train', 'eval', 'predict'])).toBe('predict');
    expect(nearestName('EVAL', ['train', 'eval'])).toBe('eval');
    expect(nearestName('x', [])).toBeUndefined();
  });
});

const bin = fileURLToPath(new URL('../../bin/polyfuse.js', import.meta.url));
const built = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const blockPackages = fileURLToPath(new URL('../../fixtures/blockPackages.mjs', import.meta.url));

/** Runs the built command in a new process in which importing TensorFlow.js or another polyfuse package fails. */
function withoutPackages(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` before this test.`);
  const result = spawnSync(process.execPath, ['--import', blockPackages, bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('polyfuse start-up', () => {
  it('answers --help, --version and an unknown command without loading TensorFlow.js or the polyfuse packages', () => {
    expect(withoutPackages('--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: polyfuse/) });
    expect(withoutPackages('eval', '--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/--mask/) });
    expect(withoutPackages('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(withoutPackages('deploy')).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command 'deploy'/) });
    // The block works: a command that needs the packages fails under it.
    const list = withoutPackages('list', 'fusion');
    expect(list.code).not.toBe(0);
    expect(list.stderr).toMatch(/blocked import of @polyfuse\//);
  });
});
