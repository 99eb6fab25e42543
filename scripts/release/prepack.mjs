#!/usr/bin/env node
// Runs before `pnpm pack` / `changeset publish` in a package folder: builds the package
// (so a clean clone never publishes one without dist/), removes compiled files whose
// source is gone (tsc -b leaves them behind, and they would be published), and copies
// the repository's LICENSE into it, because npm ships the LICENSE file found there.
import { copyFileSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-b'], { stdio: 'inherit' });

const removed = [];
const prune = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      prune(path);
      continue;
    }
    const stem = relative('dist', path).replace(/\.(js|d\.ts)(\.map)?$/, '');
    if (stem === relative('dist', path)) continue; // not a compiled file
    if (!existsSync(join('src', `${stem}.ts`)) && !existsSync(join('src', `${stem}.tsx`))) {
      rmSync(path);
      removed.push(path);
    }
  }
};
if (existsSync('dist')) prune('dist');
if (removed.length > 0) console.error(`prepack: removed ${removed.length} compiled file(s) whose source is gone, e.g. ${removed[0]}`);
copyFileSync(join(root, 'LICENSE'), 'LICENSE');
