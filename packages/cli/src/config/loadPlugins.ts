import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@polyfuse/core';
import { resolvePackage } from './resolvePackage.js';

/**
 * Imports the plugin packages a config names, so their components register
 * before the config is validated. A name starting with `.` or `/` is a file
 * path relative to the config's folder. A package name is looked up in the
 * `node_modules` folders above the config's folder, then above the working
 * directory (the user's project), and last from where the CLI is installed.
 * `option` names the command-line option the plugins came from (`--plugin`),
 * whose paths are relative to the working directory (`baseDir`), for errors.
 */
export async function loadPlugins(plugins: string[], baseDir: string, option?: string): Promise<void> {
  for (const [i, plugin] of plugins.entries()) {
    const isPath = plugin.startsWith('.') || path.isAbsolute(plugin);
    const file = isPath ? path.resolve(baseDir, plugin) : (resolvePackage(plugin, baseDir) ?? resolvePackage(plugin, process.cwd()));
    const specifier = file ? pathToFileURL(file).href : plugin;
    try {
      await import(/* @vite-ignore */ specifier);
    } catch (error) {
      throw new ConfigError(
        `${option ?? `plugins[${i}]`}: could not import '${plugin}' (${(error as Error).message.split('\n')[0]}). ` +
          (isPath
            ? `Paths are relative to ${option ? 'the working directory' : 'the config file'}.`
            : `Install it in the project that holds the config (npm install ${plugin}), or give a path starting with ./`),
        { cause: error },
      );
    }
  }
}
