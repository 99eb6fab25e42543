import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@polyfuse/core';

/**
 * Imports the plugin packages a config names, so their components register
 * before the config is validated. A name starting with `.` or `/` is a file
 * path relative to the config's folder; anything else is a package name
 * resolved from the current working directory.
 */
export async function loadPlugins(plugins: string[], baseDir: string): Promise<void> {
  for (const [i, plugin] of plugins.entries()) {
    const isPath = plugin.startsWith('.') || path.isAbsolute(plugin);
    const specifier = isPath ? pathToFileURL(path.resolve(baseDir, plugin)).href : plugin;
    try {
      await import(/* @vite-ignore */ specifier);
    } catch (error) {
      throw new ConfigError(
        `plugins[${i}]: could not import '${plugin}' (${(error as Error).message.split('\n')[0]}). ` +
          (isPath ? 'Paths are relative to the config file.' : 'Install the package in this project, or give a path starting with ./'),
        { cause: error },
      );
    }
  }
}
