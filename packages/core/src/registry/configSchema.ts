import { ConfigError } from '../errors/errors.js';
import { applyDeprecatedSpellings, type DeprecatedSpellings } from './deprecatedOptions.js';

/** One field of a component's config. */
export interface FieldSpec {
  type: 'number' | 'integer' | 'string' | 'boolean' | 'number[]' | 'string[]' | 'object' | 'any';
  description?: string;
  default?: unknown;
  required?: boolean;
  /** Allowed values (strings or numbers). */
  enum?: readonly (string | number)[];
  min?: number;
  max?: number;
  /** Old names and values of this option, still accepted (with a warning) until they are removed. */
  deprecated?: DeprecatedSpellings;
}

/** A component's config schema: field name to spec. */
export type ConfigSchema = Record<string, FieldSpec>;

/**
 * Checks `config` against `schema` and returns it with defaults filled in.
 * Unknown fields and bad values throw a ConfigError naming the field's path
 * (`fusion.hiddenUnits`) and what was expected. Deprecated spellings
 * (`FieldSpec.deprecated`) are rewritten to the current ones first, with a
 * one-time warning naming their path.
 */
export function validateConfig<T extends Record<string, unknown>>(
  schema: ConfigSchema,
  config: Record<string, unknown> | undefined,
  path = 'config',
): T {
  const given = config ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new ConfigError(`${path} must be an object, got ${JSON.stringify(given)}.`);
  }
  const input = applyDeprecatedSpellings(schema, given, path);
  const known = Object.keys(schema);
  for (const key of Object.keys(input)) {
    if (!(key in schema)) {
      throw new ConfigError(
        `${path}.${key} is not a known option. Known options: ${known.join(', ') || '(none)'}.`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = input[key];
    const fieldPath = `${path}.${key}`;
    if (value === undefined) {
      if (spec.required) throw new ConfigError(`${fieldPath} is required (${describe(spec)}).`);
      if (spec.default !== undefined) out[key] = structuredClone(spec.default);
      continue;
    }
    checkField(spec, value, fieldPath);
    out[key] = value;
  }
  return out as T;
}

function checkField(spec: FieldSpec, value: unknown, path: string): void {
  const fail = (): never => {
    throw new ConfigError(`${path} must be ${describe(spec)}, got ${show(value)}.`);
  };
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail();
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail();
      break;
    case 'string':
      if (typeof value !== 'string') fail();
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail();
      break;
    case 'number[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) fail();
      break;
    case 'string[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail();
      break;
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail();
      break;
    case 'any':
      break;
  }
  if (spec.enum && !spec.enum.includes(value as string | number)) fail();
  if (typeof value === 'number') {
    if (spec.min !== undefined && value < spec.min) fail();
    if (spec.max !== undefined && value > spec.max) fail();
  }
}

/** JSON, except that NaN and ±Infinity (which JSON writes as null) show as themselves. */
function show(value: unknown): string {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

/** How each type reads in a message: "must be an array of numbers". */
const typeNames: Record<FieldSpec['type'], string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  'number[]': 'an array of numbers',
  'string[]': 'an array of strings',
  object: 'an object',
  any: 'any value',
};

function describe(spec: FieldSpec): string {
  const parts: string[] = [];
  if (spec.enum) parts.push(`one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  else parts.push(typeNames[spec.type]);
  if (spec.min !== undefined) parts.push(`>= ${spec.min}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  return parts.join(' ');
}
