import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlugins } from './loadPlugins.js';
import { resolvePackage } from './resolvePackage.js';

const project = mkdtempSync(path.join(tmpdir(), 'polyfuse-plugins-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Writes node_modules/<name> with the given package.json fields and files. */
function installFake(name: string, manifest: Record<string, unknown>, files: Record<string, string>): void {
  const folder = path.join(project, 'node_modules', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, type: 'module', ...manifest }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    writeFileSync(path.join(folder, file), text);
  }
}

installFake('polyfuse-plugin-fake', { exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } } }, {
  'dist/index.js': 'globalThis.__fakePluginLoaded = (globalThis.__fakePluginLoaded ?? 0) + 1;\n',
});
installFake('@acme/plugin', { main: 'main.js' }, { 'main.js': 'globalThis.__acmeLoaded = true;\n', 'extra.js': 'globalThis.__acmeExtra = true;\n' });

describe('loadPlugins', () => {
  it("imports a plugin installed in the config's project, not only one next to the CLI", async () => {
    const configDir = path.join(project, 'configs');
    mkdirSync(configDir, { recursive: true });
    await loadPlugins(['polyfuse-plugin-fake', '@acme/plugin', '@acme/plugin/extra.js'], configDir);
    const loaded = globalThis as Record<string, unknown>;
    expect(loaded.__fakePluginLoaded).toBe(1);
    expect(loaded.__acmeLoaded).toBe(true);
    expect(loaded.__acmeExtra).toBe(true);
  });

  it('resolves exports conditions, main and index.js, and says undefined when nothing is installed', () => {
    expect(resolvePackage('polyfuse-plugin-fake', path.join(project, 'a', 'b'))).toBe(path.join(project, 'node_modules/polyfuse-plugin-fake/dist/index.js'));
    expect(resolvePackage('@acme/plugin', project)).toBe(path.join(project, 'node_modules/@acme/plugin/main.js'));
    expect(resolvePackage('not-installed-anywhere-xyz', project)).toBeUndefined();
  });

  it('says how to install a plugin that cannot be found', async () => {
    await expect(loadPlugins(['not-installed-anywhere-xyz'], project)).rejects.toThrow(
      /plugins\[0\]: could not import 'not-installed-anywhere-xyz' .*Install it in the project that holds the config \(npm install not-installed-anywhere-xyz\)/,
    );
  });
});
