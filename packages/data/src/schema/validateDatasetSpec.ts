import { ConfigError } from '@polyfuse/core';
import type { DatasetSpec } from './datasetSpec.js';
import { targetTypes } from '../targets/createTarget.js';
import { textDecoder } from '../manifest/decodeManifest.js';

const modalityTypes = ['file', 'text', 'number', 'numbers', 'record'];

/**
 * Checks a dataset spec's shape (as it arrives from a config file) and throws
 * a ConfigError naming the path of the first bad field and what is allowed.
 */
export function validateDatasetSpec(spec: unknown, path = 'dataset'): DatasetSpec {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new ConfigError(`${path}.${field} must be ${expected}, got ${JSON.stringify(got)}.`);
  };
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) fail('', 'an object', spec);
  const s = spec as Record<string, unknown>;
  const known = ['manifest', 'format', 'modalities', 'labels', 'idField', 'split', 'onBadSample', 'encoding', 'cacheDir', 'cacheInMemory', 'concurrency', 'prefetch', 'seed'];
  for (const key of Object.keys(s)) {
    if (!known.includes(key)) throw new ConfigError(`${path}.${key} is not a known option. Known options: ${known.join(', ')}.`);
  }
  if (typeof s.manifest !== 'string' || s.manifest === '') fail('manifest', 'a path to a .jsonl or .csv file', s.manifest);
  if (s.format !== undefined && s.format !== 'jsonl' && s.format !== 'csv') fail('format', 'one of "jsonl", "csv"', s.format);
  if (typeof s.modalities !== 'object' || s.modalities === null || Object.keys(s.modalities).length === 0) {
    fail('modalities', 'an object with at least one modality', s.modalities);
  }
  for (const [name, m] of Object.entries(s.modalities as Record<string, Record<string, unknown>>)) {
    const p = `modalities.${name}`;
    if (typeof m !== 'object' || m === null) fail(p, 'an object', m);
    if (m.type !== undefined && !modalityTypes.includes(m.type as string)) fail(`${p}.type`, `one of ${modalityTypes.map((t) => `"${t}"`).join(', ')}`, m.type);
    const pre = m.preprocessor as Record<string, unknown> | undefined;
    if (typeof pre !== 'object' || pre === null || typeof pre.name !== 'string') fail(`${p}.preprocessor`, 'an object { name, config? } naming a registered preprocessor', pre);
    if (m.field !== undefined && typeof m.field !== 'string') fail(`${p}.field`, 'a string', m.field);
    if (m.required !== undefined && typeof m.required !== 'boolean') fail(`${p}.required`, 'a boolean', m.required);
    if (m.columns !== undefined) {
      if (m.type !== 'record') fail(`${p}.columns`, 'given only with type "record" (the manifest fields gathered into one record)', m.columns);
      const columns = m.columns as unknown[];
      if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string' || c === '')) fail(`${p}.columns`, 'a non-empty array of manifest field names', m.columns);
    }
  }
  for (const [name, l] of Object.entries((s.labels ?? {}) as Record<string, Record<string, unknown>>)) {
    const p = `labels.${name}`;
    if (typeof l !== 'object' || l === null) fail(p, 'an object', l);
    if (l.type !== undefined && !(targetTypes as readonly string[]).includes(l.type as string)) fail(`${p}.type`, `one of ${targetTypes.map((t) => `"${t}"`).join(', ')}`, l.type);
    if (l.field !== undefined && typeof l.field !== 'string') fail(`${p}.field`, 'a string', l.field);
    if (l.classes !== undefined && (!Array.isArray(l.classes) || l.classes.length === 0)) fail(`${p}.classes`, 'a non-empty array of class names', l.classes);
    if (l.size !== undefined && (!Number.isInteger(l.size) || (l.size as number) < 1)) fail(`${p}.size`, 'an integer >= 1', l.size);
    if (l.standardize !== undefined && typeof l.standardize !== 'boolean') fail(`${p}.standardize`, 'a boolean', l.standardize);
    if (l.group !== undefined && (typeof l.group !== 'string' || l.group === '')) fail(`${p}.group`, 'the name of a manifest field', l.group);
    const tokenizer = l.tokenizer as Record<string, unknown> | undefined;
    if (tokenizer !== undefined && (typeof tokenizer !== 'object' || tokenizer === null || typeof tokenizer.name !== 'string')) {
      fail(`${p}.tokenizer`, 'an object { name, config? } naming a registered preprocessor', tokenizer);
    }
    if (l.type === 'sequence' && tokenizer === undefined) fail(`${p}.tokenizer`, 'a preprocessor spec for a sequence target, e.g. { name: "text", config: { maxLength: 16 } }', tokenizer);
  }
  if (s.onBadSample !== undefined && s.onBadSample !== 'skip' && s.onBadSample !== 'error') fail('onBadSample', 'one of "skip", "error"', s.onBadSample);
  if (s.encoding !== undefined) {
    if (typeof s.encoding !== 'string') fail('encoding', "a text encoding name such as 'utf-8' or 'latin1'", s.encoding);
    textDecoder(s.encoding as string, `${path}.encoding`);
  }
  for (const key of ['concurrency', 'prefetch'] as const) {
    if (s[key] !== undefined && (!Number.isInteger(s[key]) || (s[key] as number) < (key === 'prefetch' ? 0 : 1))) fail(key, key === 'prefetch' ? 'an integer >= 0' : 'an integer >= 1', s[key]);
  }
  if (s.seed !== undefined && !Number.isFinite(s.seed)) fail('seed', 'a number', s.seed);
  const split = s.split as Record<string, unknown> | undefined;
  if (split !== undefined) {
    if (typeof split !== 'object' || split === null) fail('split', 'an object', split);
    const fractions = (split.fractions ?? {}) as Record<string, unknown>;
    for (const key of ['validation', 'test']) {
      const v = fractions[key];
      if (v !== undefined && (typeof v !== 'number' || v < 0 || v >= 1)) fail(`split.fractions.${key}`, 'a number in [0, 1)', v);
    }
    if (split.stratify !== undefined && !((s.labels ?? {}) as object).hasOwnProperty(split.stratify as string)) {
      fail('split.stratify', `one of the labels (${Object.keys(s.labels ?? {}).join(', ') || 'none defined'})`, split.stratify);
    }
    if (split.folds !== undefined && (!Number.isInteger(split.folds) || (split.folds as number) < 2)) fail('split.folds', 'an integer >= 2', split.folds);
    if (split.folds !== undefined && (!Number.isInteger(split.fold) || (split.fold as number) < 0 || (split.fold as number) >= (split.folds as number))) {
      fail('split.fold', `an integer from 0 to ${(split.folds as number) - 1} (the held-out fold of split.folds)`, split.fold);
    }
    if (split.folds === undefined && split.fold !== undefined) fail('split.fold', 'absent unless split.folds is set', split.fold);
    const stratified = split.stratify === undefined ? undefined : ((s.labels as Record<string, { type?: string }>)[split.stratify as string]?.type ?? 'class');
    if (stratified !== undefined && stratified !== 'class') {
      throw new ConfigError(`${path}.split.stratify: only class targets can stratify a split; label '${split.stratify as string}' is a ${stratified} target.`);
    }
  }
  return s as unknown as DatasetSpec;
}
