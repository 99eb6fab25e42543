import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '@polyfuse/core';
import { loadPlugins } from './loadPlugins.js';
import { validateRunConfig } from './validateRunConfig.js';
import type { RunConfig } from './runConfig.js';

/**
 * Reads a YAML or JSON file into plain data; syntax errors name the file,
 * line and column. `what` names the file in errors (`Config file`, `Sweep file`).
 */
export async function readConfigFile(file: string, what = 'Config file'): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `${what} ${file} does not exist.` : `Could not read ${what.toLowerCase()} ${file}: ${(error as Error).message}`);
  }
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}.`);
    }
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const where = first.linePos ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : '';
    throw new ConfigError(`${file} is not valid YAML${where}: ${first.message.split('\n')[0]}`);
  }
  return document.toJS();
}

/**
 * Loads a run config: parses the file, imports its plugins, validates every
 * section against its schema and the registry, and fills defaults. Relative
 * paths inside the config resolve against the config file's folder.
 */
export async function loadConfig(file: string): Promise<RunConfig> {
  return configFromObject(await readConfigFile(file), path.dirname(path.resolve(file)), path.basename(file).replace(/\.(ya?ml|json)$/, ''));
}

/**
 * A run config from parsed data (a config file's content, or one a sweep
 * changed): imports its plugins, validates it and fills defaults. Relative
 * paths resolve against `baseDir`; `fallbackName` names a config without `name`.
 */
export async function configFromObject(raw: unknown, baseDir: string, fallbackName: string): Promise<RunConfig> {
  const plugins = (raw as { plugins?: unknown } | null)?.plugins;
  if (plugins !== undefined && (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string'))) {
    throw new ConfigError(`config.plugins must be a list of package names or paths, got ${JSON.stringify(plugins)}.`);
  }
  await loadPlugins((plugins as string[] | undefined) ?? [], baseDir);
  const config = validateRunConfig(raw, baseDir);
  if (raw && typeof raw === 'object' && !('name' in raw)) config.name = fallbackName;
  return config;
}

/**
 * The config as a plain object with defaults filled and paths made absolute,
 * for `inspect` and the run folder's config.json (which loads back as a config).
 */
export function resolvedConfig(config: RunConfig): Record<string, unknown> {
  const { baseDir: _baseDir, ...rest } = config;
  const plugins = rest.plugins.map((p) => (p.startsWith('.') ? path.resolve(config.baseDir, p) : p));
  return { ...rest, plugins, data: { ...rest.data, manifest: path.resolve(config.baseDir, config.data.manifest) } };
}
