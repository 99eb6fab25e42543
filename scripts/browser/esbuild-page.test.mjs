// A plain HTML page bundled with esbuild (no Vite, no plugins, no Node shims),
// opened in headless Chromium: the wasm backend starts from the .wasm files
// copied beside the page (`wasmPaths: './wasm/'`, the docs' plain-HTML line),
// logs its one line, and decodeImage gives the same pixels as in Node for
// every PNG fixture and a JPEG. apps/playground covers the Vite build.
// Run: pnpm build && node --test scripts/browser/
// Skips without Chromium (`chromium` on the PATH or $POLYFUSE_CHROMIUM), unless CI or POLYFUSE_REQUIRE_BROWSER=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'packages/image/fixtures/png');

function findChromium() {
  if (process.env.POLYFUSE_CHROMIUM) return existsSync(process.env.POLYFUSE_CHROMIUM) ? process.env.POLYFUSE_CHROMIUM : undefined;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8', timeout: 5000 }).trim();
      if (found) return found;
    } catch {
      // not on the PATH
    }
  }
  return undefined;
}
const chromiumPath = findChromium();
const required = Boolean(process.env.CI) || process.env.POLYFUSE_REQUIRE_BROWSER === '1';
if (!chromiumPath && required) throw new Error('esbuild-page.test.mjs must run here (CI or POLYFUSE_REQUIRE_BROWSER=1) but Chromium is missing.');

const entry = `
import { initBackend, tf } from '@polyfuse/core';
import { decodeImage } from '@polyfuse/image';

window.decodeFiles = async (names) => {
  const out = {};
  for (const name of names) {
    const bytes = new Uint8Array(await (await fetch('images/' + name)).arrayBuffer());
    const image = decodeImage(bytes, name);
    out[name] = { height: image.height, width: image.width, channels: image.channels, data: Array.from(image.data) };
  }
  return out;
};
window.runWorker = (names) =>
  new Promise((resolve, reject) => {
    const worker = new Worker('./worker.js', { type: 'module' });
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(names);
  });
const auto = location.search === '?auto';
const choice = await initBackend(auto ? { wasmPaths: './wasm/' } : { backend: 'wasm', wasmPaths: './wasm/' });
await initBackend(); // a second call changes nothing and logs nothing
window.backend = { ...choice, sum: Array.from(tf.add(tf.tensor([1, 2]), 1).dataSync()) };
`;

const workerEntry = `
import { initBackend, tf } from '@polyfuse/core';
import { decodeImage } from '@polyfuse/image';

self.onmessage = async ({ data: names }) => {
  const lines = [];
  const choice = await initBackend({ backend: 'wasm', wasmPaths: './wasm/', log: (line) => lines.push(line) });
  const images = {};
  for (const name of names) {
    const image = decodeImage(new Uint8Array(await (await fetch('images/' + name)).arrayBuffer()), name);
    images[name] = { height: image.height, width: image.width, channels: image.channels, data: Array.from(image.data) };
  }
  postMessage({ choice, lines, sum: Array.from(tf.add(tf.tensor([1, 2]), 1).dataSync()), images });
};
`;

/** Builds the page into a temporary folder: index.html, main.js, worker.js, wasm/*.wasm, images/*. */
async function buildPage(jpeg) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'polyfuse-esbuild-page-'));
  mkdirSync(path.join(dir, 'node_modules', '@polyfuse'), { recursive: true });
  for (const name of ['core', 'image']) symlinkSync(path.join(root, 'packages', name), path.join(dir, 'node_modules', '@polyfuse', name), 'dir');
  writeFileSync(path.join(dir, 'main.js'), entry);
  writeFileSync(path.join(dir, 'worker.js'), workerEntry);
  await esbuild.build({ entryPoints: [path.join(dir, 'main.js'), path.join(dir, 'worker.js')], bundle: true, platform: 'browser', format: 'esm', outdir: path.join(dir, 'site'), logLevel: 'silent' });
  writeFileSync(path.join(dir, 'site', 'index.html'), '<!doctype html><meta charset="utf-8"><title>polyfuse esbuild page</title><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>\n');
  const wasmDist = path.join(path.dirname(createRequire(path.join(root, 'packages/core/package.json')).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  mkdirSync(path.join(dir, 'site', 'wasm'));
  for (const file of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) copyFileSync(path.join(wasmDist, file), path.join(dir, 'site', 'wasm', file));
  mkdirSync(path.join(dir, 'site', 'images'));
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.png'))) copyFileSync(path.join(fixtures, file), path.join(dir, 'site', 'images', file));
  writeFileSync(path.join(dir, 'site', 'images', 'gradient.jpg'), jpeg);
  return dir;
}

/** Serves a folder on 127.0.0.1 with the content types browsers insist on (application/wasm for streaming compilation). */
function serve(folder) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.png': 'image/png', '.jpg': 'image/jpeg' };
  const server = createServer((request, response) => {
    const file = path.join(folder, decodeURIComponent(new URL(request.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html');
    if (!file.startsWith(folder) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((done) => server.close(done)) })));
}

/** Builds the page (with `jpeg` as its JPEG), serves it and launches Chromium; the test's `after` hooks undo all three. */
async function servedPage(t, jpeg) {
  const dir = await buildPage(jpeg);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const server = await serve(path.join(dir, 'site'));
  t.after(() => server.close());
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'], timeout: 60_000 });
  t.after(() => browser.close());
  return { server, browser };
}

test('an esbuild page starts wasm from wasmPaths, logs it once, and decodes images as Node does', { skip: !chromiumPath && 'Chromium is not installed', timeout: 120_000 }, async (t) => {
  const { decodeImage } = await import(path.join(root, 'packages/image/dist/index.js'));
  const { encodeJpeg, gradientRgba } = await import(path.join(root, 'packages/image/dist/testing/syntheticImages.js'));
  const jpeg = encodeJpeg(gradientRgba(20, 30), 20, 30);
  const { server, browser } = await servedPage(t, jpeg);

  const page = await browser.newPage();
  const messages = [];
  page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => messages.push(`uncaught: ${error.message}`));
  page.setDefaultTimeout(60_000);
  await page.goto(server.url);
  await page.waitForFunction(() => window.backend !== undefined);

  const backend = await page.evaluate(() => window.backend);
  assert.deepEqual(backend, { name: 'wasm', tfName: 'wasm', reason: 'requested', sum: [2, 3] });
  assert.deepEqual(messages, ["info: polyfuse: TensorFlow.js backend 'wasm' (requested)"], 'one log line, as console.info, and nothing else on the console');

  const names = [...readdirSync(fixtures).filter((f) => f.endsWith('.png')), 'gradient.jpg'];
  const inPage = await page.evaluate((list) => window.decodeFiles(list), names);
  for (const name of names) {
    const bytes = name.endsWith('.jpg') ? jpeg : new Uint8Array(readFileSync(path.join(fixtures, name)));
    const inNode = decodeImage(bytes, name);
    assert.deepEqual(inPage[name], { height: inNode.height, width: inNode.width, channels: inNode.channels, data: Array.from(inNode.data) }, name);
  }
  assert.equal(Object.keys(inPage).length, 46);
});

test('in a page, auto skips webgpu (not imported) and logs its one line with the reasons', { skip: !chromiumPath && 'Chromium is not installed', timeout: 120_000 }, async (t) => {
  const { server, browser } = await servedPage(t, new Uint8Array(0));
  const page = await browser.newPage();
  const lines = [];
  page.on('console', (message) => {
    if (message.text().startsWith('polyfuse:')) lines.push(`${message.type()}: ${message.text()}`);
  });
  await page.goto(`${server.url}?auto`);
  await page.waitForFunction(() => window.backend !== undefined, undefined, { timeout: 60_000 });
  const backend = await page.evaluate(() => window.backend);
  assert.ok(['webgl', 'wasm', 'cpu'].includes(backend.name), backend.name);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], new RegExp(`^info: polyfuse: TensorFlow.js backend '${backend.name}' \\(webgpu: @tensorflow/tfjs-backend-webgpu is not imported`));
  console.log(`# auto in headless Chromium: ${lines[0]}`);
});

test('in a web worker: the wasm backend starts from wasmPaths and decodeImage gives the same pixels', { skip: !chromiumPath && 'Chromium is not installed', timeout: 120_000 }, async (t) => {
  const { decodeImage } = await import(path.join(root, 'packages/image/dist/index.js'));
  const { server, browser } = await servedPage(t, new Uint8Array(0));
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.waitForFunction(() => window.backend !== undefined, undefined, { timeout: 60_000 });
  const names = ['type3-depth4-trns.png', 'type6-depth16-adam7.png', 'type0-depth2-trns.png'];
  const result = await page.evaluate((list) => window.runWorker(list), names);
  assert.deepEqual(result.choice, { name: 'wasm', tfName: 'wasm', reason: 'requested' });
  assert.deepEqual(result.lines, ["polyfuse: TensorFlow.js backend 'wasm' (requested)"]);
  assert.deepEqual(result.sum, [2, 3]);
  for (const name of names) {
    const inNode = decodeImage(new Uint8Array(readFileSync(path.join(fixtures, name))), name);
    assert.deepEqual(result.images[name], { height: inNode.height, width: inNode.width, channels: inNode.channels, data: Array.from(inNode.data) }, name);
  }
  assert.deepEqual(errors, []);
});
