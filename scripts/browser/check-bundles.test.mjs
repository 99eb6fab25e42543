// The bundle check catches what it claims to: run with `node --test scripts/browser/`.
// Each case builds a tiny workspace of fake packages and runs check-bundles.mjs on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'check-bundles.mjs');

/** A workspace root with packages/<name>/{package.json, dist/*.js} and node_modules links, from { name: { file: source } }. */
function workspace(packages, dependencies = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'polyfuse-check-bundles-test-'));
  mkdirSync(path.join(root, 'node_modules', '@polyfuse'), { recursive: true });
  for (const [name, files] of Object.entries(packages)) {
    const folder = path.join(root, 'packages', name);
    mkdirSync(path.join(folder, 'dist', 'node'), { recursive: true });
    const manifest = { name: `@polyfuse/${name}`, type: 'module', exports: { '.': './dist/index.js', './node': './dist/node.js' } };
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest));
    for (const [file, source] of Object.entries(files)) writeFileSync(path.join(folder, 'dist', file), source);
    symlinkSync(folder, path.join(root, 'node_modules', '@polyfuse', name), 'dir');
  }
  for (const [name, { manifest, files }] of Object.entries(dependencies)) {
    const folder = path.join(root, 'node_modules', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, ...manifest }));
    for (const [file, source] of Object.entries(files)) writeFileSync(path.join(folder, file), source);
  }
  return root;
}

function check(root, names) {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, '--root', root, ...names], { timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

test('names the package and the import chain of a Node built-in, for both bundlers', async (t) => {
  const root = workspace({ leaky: { 'index.js': "export { save } from './save.js';\n", 'save.js': "import { writeFileSync } from 'node:fs';\nexport const save = (p, d) => writeFileSync(p, d);\n" } });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { code, stderr } = await check(root, ['leaky']);
  assert.equal(code, 1, stderr);
  for (const bundler of ['esbuild', 'vite']) {
    assert.match(stderr, new RegExp(`${bundler}: @polyfuse/leaky pulls in Node built-in 'node:fs':\\n    @polyfuse/leaky\\n    -> @polyfuse/leaky  \\(packages/leaky/dist/index.js\\)\\n    -> ./save.js  \\(packages/leaky/dist/save.js\\)\\n    -> node:fs`));
  }
});

test("finds a package's ./node entry and Node-only packages pulled into a page", async (t) => {
  const root = workspace(
    {
      base: { 'index.js': 'export const x = 1;\n', 'node.js': "import 'node:os';\nexport const y = 2;\n" },
      mixed: { 'index.js': "export { y } from '@polyfuse/base/node';\nexport { read } from 'pngjs';\n" },
    },
    { pngjs: { manifest: { main: 'index.js' }, files: { 'index.js': 'export const read = () => 0;\n' } } },
  );
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { code, stderr } = await check(root, ['mixed']);
  assert.equal(code, 1, stderr);
  assert.match(stderr, /esbuild: @polyfuse\/mixed pulls in @polyfuse\/base\/node \(Node-only entry\)/);
  assert.match(stderr, /vite: @polyfuse\/mixed pulls in Node-only package 'pngjs'/);
  assert.doesNotMatch(stderr, /'node:os'/, 'what a forbidden module imports is not reported again');
});

test('passes a package whose dependency maps its built-ins to false for browsers, as TensorFlow.js does', async (t) => {
  const root = workspace(
    { fine: { 'index.js': "export { platform } from 'dual';\n" } },
    { dual: { manifest: { main: 'index.js', browser: { util: false } }, files: { 'index.js': "import util from 'util';\nexport const platform = typeof util;\n" } } },
  );
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { code, stdout, stderr } = await check(root, ['fine']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /@polyfuse\/fine bundle for the browser with esbuild and Vite: no Node built-in/);
});
