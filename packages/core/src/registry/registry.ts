import { ConfigError } from '../errors/errors.js';
import { validateConfig, type ConfigSchema } from './configSchema.js';

/**
 * Component kinds. The string is open so plugins can add kinds, but these are
 * the ones polyfuse itself builds from config files.
 */
export type ComponentKind =
  | 'encoder'
  | 'fusion'
  | 'head'
  | 'loss'
  | 'weighting'
  | 'metric'
  | 'preprocessor'
  | 'optimizer'
  | 'schedule'
  | 'callback'
  | 'modality'
  | (string & {});

/** How to build one named component from its config. */
export interface RegistryEntry<Config = Record<string, unknown>, Built = unknown> {
  kind: ComponentKind;
  /** Registry name, e.g. `image-cnn`; referenced in configs as `encoder/image-cnn`. */
  name: string;
  /** One line for `polyfuse inspect` and error messages. */
  description?: string;
  /** When present, configs are validated (and defaults filled) before `create`. */
  schema?: ConfigSchema;
  /**
   * What a config validator may check before anything is built. For heads:
   * `produces` — `tokens` for decoders (sequence targets), `embedding` for
   * projections (match targets); absent means logits or values.
   */
  traits?: { produces?: 'tokens' | 'embedding' };
  create(config: Config): Built;
}

/**
 * Maps kind + name (`encoder/image-cnn`, `fusion/attention`,
 * `weighting/gradnorm`) to a factory and its config schema, like MMF's
 * registry. A plugin package registers its components when imported.
 */
export class Registry {
  private readonly entries = new Map<string, RegistryEntry<any, any>>();

  /** Adds an entry. Registering the same kind/name twice is an error unless `override` is set. */
  register<Config, Built>(entry: RegistryEntry<Config, Built>, options: { override?: boolean } = {}): void {
    if (!entry.kind || !entry.name) {
      throw new ConfigError('A registry entry needs a kind and a name.');
    }
    const key = `${entry.kind}/${entry.name}`;
    if (this.entries.has(key) && !options.override) {
      throw new ConfigError(`${key} is already registered. Pass { override: true } to replace it.`);
    }
    this.entries.set(key, entry);
  }

  has(kind: ComponentKind, name: string): boolean {
    return this.entries.has(`${kind}/${name}`);
  }

  /** The entry for kind/name; a ConfigError listing what exists when there is none. */
  get<Config = Record<string, unknown>, Built = unknown>(kind: ComponentKind, name: string): RegistryEntry<Config, Built> {
    const entry = this.entries.get(`${kind}/${name}`);
    if (!entry) {
      const available = this.list(kind);
      throw new ConfigError(
        `Unknown ${kind} '${name}'. Registered ${kind} names: ${available.join(', ') || '(none)'}. ` +
          `If '${name}' comes from a plugin package, import that package (or list it under "plugins" in the config) first.`,
      );
    }
    return entry;
  }

  /**
   * Validates `config` against the entry's schema and builds the component.
   * `context` is what the caller knows that the user does not write (input
   * shapes, the modality name); it is merged in after validation.
   */
  create<Built = unknown>(
    kind: ComponentKind,
    name: string,
    config: Record<string, unknown> = {},
    path?: string,
    context: Record<string, unknown> = {},
  ): Built {
    const entry = this.get<Record<string, unknown>, Built>(kind, name);
    const checked = entry.schema ? validateConfig(entry.schema, config, path ?? `${kind}/${name}`) : config;
    return entry.create({ ...checked, ...context });
  }

  /** Registered names of one kind, sorted. */
  list(kind: ComponentKind): string[] {
    const prefix = `${kind}/`;
    return [...this.entries.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length))
      .sort();
  }

  /** Every registered kind. */
  kinds(): string[] {
    return [...new Set([...this.entries.values()].map((e) => e.kind))].sort();
  }
}

const globalKey = Symbol.for('polyfuse.registry');

/**
 * The process-wide registry that packages and plugins register into. Kept on
 * `globalThis` so that two copies of @polyfuse/core in one bundle still share it.
 */
export const registry: Registry = ((globalThis as Record<symbol, unknown>)[globalKey] ??= new Registry()) as Registry;
