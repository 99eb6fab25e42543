import path from 'node:path';
import { ConfigError, registry, type FieldSpec, type Registry } from '@polyfuse/core';
import { readConfigFile } from '../config/loadConfig.js';
import { loadPlugins } from '../config/loadPlugins.js';
import { nearestName } from '../program/nearestName.js';
import { exitCodes } from '../program/exitCodes.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

export interface ListCommandOptions extends GlobalOptions {
  /** Plugin packages or files (relative to the working directory) to import first. */
  plugin?: string[];
  /** A config whose `plugins:` are imported first (the config itself is not validated). */
  config?: string;
  json?: boolean;
}

/** One option of a component's config, from its registry schema. */
export interface ListedOption {
  name: string;
  type: FieldSpec['type'];
  required: boolean;
  default?: unknown;
  /** Allowed values, when the schema has an `enum`. */
  choices?: readonly (string | number)[];
  min?: number;
  max?: number;
  description?: string;
}

/** One registered component, as `polyfuse list` shows it. */
export interface ListedComponent {
  kind: string;
  name: string;
  description: string;
  /** The plugin (as given to `--plugin` or `plugins:`) that registered it; absent for polyfuse's own packages. */
  plugin?: string;
  options: ListedOption[];
}

/**
 * `polyfuse list [kind]`: every registered component (of one kind) with its
 * one-line description and its config options (name, type, default or
 * `required`, allowed values, description), the components of plugins
 * given by `--plugin` or a `--config`'s `plugins:` included and marked.
 * An unknown kind is a usage error (exit 2) that lists the kinds.
 */
export async function listCommand(kind: string | undefined, options: ListCommandOptions, io: CommandIo): Promise<number> {
  const pluginOf = new Map<string, string>();
  const load = async (plugins: string[], baseDir: string, option?: string): Promise<void> => {
    for (const plugin of plugins) {
      const before = new Set(registryKeys(registry));
      await loadPlugins([plugin], baseDir, option);
      for (const key of registryKeys(registry)) if (!before.has(key)) pluginOf.set(key, plugin);
    }
  };
  if (options.config) {
    const file = path.resolve(io.cwd, options.config);
    const plugins = ((await readConfigFile(file)) as { plugins?: unknown } | null)?.plugins;
    if (plugins !== undefined && (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string'))) {
      throw new ConfigError(`${options.config}: plugins must be a list of package names or paths, got ${JSON.stringify(plugins)}.`);
    }
    await load((plugins as string[] | undefined) ?? [], path.dirname(file));
  }
  await load(options.plugin ?? [], io.cwd, '--plugin');
  const kinds = kind === undefined ? registry.kinds() : [knownKind(kind, registry.kinds())];
  const components = listComponents(registry, kinds, pluginOf);
  io.stdout.write(options.json ? `${JSON.stringify(components, null, 2)}\n` : `${componentLines(components).join('\n')}\n`);
  return exitCodes.ok;
}

/** `kind` as the registry spells it (a plural such as `encoders` is accepted); a ConfigError listing the kinds otherwise. */
export function knownKind(kind: string, kinds: readonly string[]): string {
  const singular = kinds.find((k) => k === kind || `${k}s` === kind || (k.endsWith('s') && `${k}es` === kind));
  if (singular) return singular;
  const nearest = nearestName(kind, kinds);
  throw new ConfigError(`unknown component kind '${kind}'${nearest ? ` (did you mean '${nearest}'?)` : ''}. Kinds: ${kinds.join(', ')}.`);
}

/** The registered components of `kinds`, each with its options in schema order. */
export function listComponents(registry: Registry, kinds: readonly string[], pluginOf: ReadonlyMap<string, string> = new Map()): ListedComponent[] {
  return kinds.flatMap((kind) =>
    registry.list(kind).map((name) => {
      const entry = registry.get(kind, name);
      const plugin = pluginOf.get(`${kind}/${name}`);
      return {
        kind,
        name,
        description: entry.description ?? '',
        ...(plugin !== undefined ? { plugin } : {}),
        options: Object.entries(entry.schema ?? {}).map(([option, spec]) => listedOption(option, spec)),
      };
    }),
  );
}

function listedOption(name: string, spec: FieldSpec): ListedOption {
  return {
    name,
    type: spec.type,
    required: spec.required ?? false,
    ...(spec.default !== undefined ? { default: spec.default } : {}),
    ...(spec.enum ? { choices: spec.enum } : {}),
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    ...(spec.description ? { description: spec.description } : {}),
  };
}

/**
 * The text `polyfuse list` prints: per kind a heading with its count, then
 * per component its name and description (and `[plugin <name>]`), then one
 * line per option, `name  type  default  description`, e.g.
 *
 * ```
 * fusion (2)
 *   concat     Concatenates the modality embeddings.
 *       units      integer  = 64        width of the projection (>= 1)
 * ```
 */
export function componentLines(components: readonly ListedComponent[]): string[] {
  const lines: string[] = [];
  const kinds = [...new Set(components.map((c) => c.kind))];
  for (const kind of kinds) {
    const ofKind = components.filter((c) => c.kind === kind);
    if (lines.length > 0) lines.push('');
    lines.push(`${kind} (${ofKind.length})`);
    const nameWidth = Math.max(...ofKind.map((c) => c.name.length));
    for (const component of ofKind) {
      const plugin = component.plugin !== undefined ? ` [plugin ${component.plugin}]` : '';
      lines.push(`  ${component.name.padEnd(nameWidth)}  ${component.description || '(no description)'}${plugin}`.trimEnd());
      const rows = component.options.map((o) => [o.name, o.type, o.required ? 'required' : o.default !== undefined ? `= ${JSON.stringify(o.default)}` : '', optionNote(o)]);
      const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const row of rows) lines.push(`      ${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')}`.trimEnd());
    }
  }
  return lines;
}

/** The description of an option, with its allowed values or range. */
function optionNote(option: ListedOption): string {
  const limits = [
    ...(option.choices ? [`one of ${option.choices.join(', ')}`] : []),
    ...(option.min !== undefined ? [`>= ${option.min}`] : []),
    ...(option.max !== undefined ? [`<= ${option.max}`] : []),
  ];
  return [option.description ?? '', limits.length > 0 ? `(${limits.join(', ')})` : ''].filter((s) => s !== '').join(' ');
}

function registryKeys(registry: Registry): string[] {
  return registry.kinds().flatMap((kind) => registry.list(kind).map((name) => `${kind}/${name}`));
}
