import { ConfigError } from '../errors/errors.js';

/**
 * An option's old spellings, kept working for one release. Declared on the
 * new field of a schema (`FieldSpec.deprecated`), so `validateConfig` maps
 * them wherever a config is checked: the CLI's config file, `registry.create`
 * and an encoder's constructor.
 */
export interface DeprecatedSpellings {
  /** Old names of this option: `{ modelDim: { deprecated: { names: ['embeddingDim'] } } }`. */
  names?: readonly string[];
  /** Old values mapped to new ones: `{ globalAverage: 'mean' }`. */
  values?: Readonly<Record<string, string>>;
  /** The last release that accepts the old spellings. Default `0.1`. */
  removeAfter?: string;
}

/** Every spelling deprecated before 0.1 is removed after it. */
const defaultRemoveAfter = '0.1';

type DeprecationHandler = (message: string) => void;

interface DeprecationState {
  seen: Set<string>;
  handler: DeprecationHandler;
}

/** Node's warning channel (`--no-deprecation` silences it), else the console. */
const defaultHandler: DeprecationHandler = (message) => {
  const proc = (globalThis as { process?: { emitWarning?: (message: string, options: { type: string; code: string }) => void } }).process;
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, { type: 'DeprecationWarning', code: 'POLYFUSE_DEPRECATED' });
  else console.warn(`DeprecationWarning: ${message}`);
};

// On globalThis, like the registry, so two copies of @polyfuse/core warn once between them.
const stateKey = Symbol.for('polyfuse.deprecations');
const state = ((globalThis as Record<symbol, unknown>)[stateKey] ??= { seen: new Set<string>(), handler: defaultHandler }) as DeprecationState;

/**
 * The one place polyfuse reports a deprecated spelling. Each message is
 * reported once per process: a config validated twice, or a model rebuilt
 * for every fold, warns once.
 */
export function warnDeprecated(message: string): void {
  if (state.seen.has(message)) return;
  state.seen.add(message);
  state.handler(message);
}

/**
 * Sends deprecation messages to `handler` instead of Node's warnings (tests,
 * or an app with its own log), and forgets which were already reported.
 * Returns a function that restores the previous handler.
 */
export function setDeprecationHandler(handler: DeprecationHandler | undefined): () => void {
  const previous = state.handler;
  state.handler = handler ?? defaultHandler;
  state.seen.clear();
  return () => {
    state.handler = previous;
    state.seen.clear();
  };
}

/**
 * Rewrites old spellings in `input` to the current ones, reporting each
 * through `warnDeprecated` with the option's config path. An old and a new
 * name of one option given together is a ConfigError: which one was meant is
 * a guess polyfuse does not make.
 */
export function applyDeprecatedSpellings(
  schema: Record<string, { deprecated?: DeprecatedSpellings }>,
  input: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  let out = input;
  for (const [key, spec] of Object.entries(schema)) {
    const deprecated = spec.deprecated;
    if (!deprecated) continue;
    const removal = `it will be removed after ${deprecated.removeAfter ?? defaultRemoveAfter}`;
    const given = (deprecated.names ?? []).filter((old) => input[old] !== undefined);
    if (given.length > 0 && (input[key] !== undefined || given.length > 1)) {
      const names = [...given, ...(input[key] !== undefined ? [key] : [])];
      throw new ConfigError(`${path}: ${names.join(' and ')} are spellings of one option; keep only ${key} (${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} deprecated).`);
    }
    const old = given[0];
    const value = old !== undefined ? input[old] : input[key];
    const newValue = typeof value === 'string' ? deprecated.values?.[value] : undefined;
    if (old === undefined && newValue === undefined) continue;
    if (out === input) out = { ...input };
    if (old !== undefined) {
      delete out[old];
      warnDeprecated(
        newValue === undefined
          ? `${path}.${old} is deprecated; use ${key} (${removal}).`
          : `${path}.${old}: ${JSON.stringify(value)} is deprecated; use ${key}: ${JSON.stringify(newValue)} (${removal}).`,
      );
    } else {
      warnDeprecated(`${path}.${key}: ${JSON.stringify(value)} is deprecated; use ${JSON.stringify(newValue)} (${removal}).`);
    }
    out[key] = newValue ?? value;
  }
  return out;
}

/**
 * What an encoder keeps as its `config`: `{ name, config }`, the shape a
 * config file writes (`ComponentSpec`). Until 0.1 the options can also be read
 * at the top level (`encoder.config.units`, the old shape), with a warning.
 */
export function componentConfig(name: string, options: Record<string, unknown>, kind = 'encoder'): { name: string; config: Record<string, unknown> } {
  const described = { name, config: options };
  for (const key of Object.keys(options)) {
    if (key === 'name' || key === 'config') continue;
    Object.defineProperty(described, key, {
      enumerable: false,
      get: () => {
        warnDeprecated(`${kind}/${name}: reading the option ${key} as .config.${key} is deprecated; read .config.config.${key} (${`it will be removed after ${defaultRemoveAfter}`}).`);
        return options[key];
      },
    });
  }
  return described;
}
