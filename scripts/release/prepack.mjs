#!/usr/bin/env node
// Runs before `pnpm pack` / `changeset publish` in a package folder: builds the package
// (so a clean clone never publishes one without dist/) and copies the repository's
// LICENSE into it, because npm ships the LICENSE file found in the package folder.
import { copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-b'], { stdio: 'inherit' });
copyFileSync(join(root, 'LICENSE'), 'LICENSE');
