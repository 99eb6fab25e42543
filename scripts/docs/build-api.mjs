#!/usr/bin/env node
// Builds one API reference for every package into docs/api/ with TypeDoc, from the TSDoc
// comments of each package's public entry points ("typedocOptions.entryPoints" in its
// package.json, checked here against its "exports"), and fails on a broken {@link} or a
// reference TypeDoc cannot resolve.
// Usage: node scripts/docs/build-api.mjs [--out DIR]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? process.argv[outAt + 1] : join(root, 'docs', 'api');

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

const problems = [];
for (const { dir, manifest } of packages) {
  const documented = new Set(manifest.typedocOptions?.entryPoints ?? []);
  for (const target of Object.values(manifest.exports ?? {})) {
    const source = (typeof target === 'string' ? target : target.import).replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
    if (!documented.has(source)) problems.push(`${manifest.name} exports ${source} but its package.json "typedocOptions.entryPoints" does not list it`);
  }
  for (const entry of documented) if (!existsSync(join(dir, entry))) problems.push(`${manifest.name}: documented entry point ${entry} does not exist`);
}
if (problems.length > 0) {
  console.error(problems.map((problem) => `build-api: ${problem}`).join('\n'));
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'polyfuse-api-'));
const landing = join(scratch, 'index.md');
writeFileSync(landing, [
  '# polyfuse API reference',
  '',
  'Generated from the TSDoc comments of every package by `pnpm docs:api`. The guides live in the',
  'repository: README.md, docs/config.md, docs/tasks.md, docs/plugins.md and docs/architecture.md.',
  '',
  ...packages.map(({ manifest }) => `- **${manifest.name}**: ${manifest.description}`),
  '',
].join('\n'));

const options = join(scratch, 'typedoc.json');
writeFileSync(options, JSON.stringify({
  name: 'polyfuse API',
  entryPointStrategy: 'packages',
  entryPoints: packages.map(({ dir }) => dir),
  packageOptions: {
    disableSources: true,
    excludePrivate: true,
    excludeInternal: true,
    excludeExternals: true,
    exclude: ['**/*.test.ts'],
    validation: { invalidLink: true, invalidPath: false, notExported: false, notDocumented: false },
  },
  validation: { invalidLink: true, invalidPath: false, notExported: false, notDocumented: false },
  readme: landing,
  highlightLanguages: ['bash', 'console', 'css', 'html', 'javascript', 'json', 'jsonc', 'json5', 'jsonl', 'python', 'sh', 'tsx', 'typescript', 'yaml'],
  disableSources: true,
  out,
  // Broken {@link}s and references fail. Markdown paths are left to check-links.mjs: a README's
  // link to a page of this very site does not exist before the first build.
  treatValidationWarningsAsErrors: true,
  logLevel: 'Warn',
}));
const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
let failed = false;
try {
  execFileSync(process.execPath, [typedoc, '--options', options], { cwd: root, stdio: 'inherit' });
} catch {
  failed = true;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failed) {
  console.error('build-api: TypeDoc reported the problems above (a TypeScript error, a broken {@link} or a missing entry point); fix them and run again');
  process.exit(1);
}
console.log(`build-api: the API reference of ${packages.length} packages is in ${relative(root, out)}/index.html`);
