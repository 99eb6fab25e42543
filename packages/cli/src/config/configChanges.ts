import { ConfigError } from '@polyfuse/core';
import { resumeSafeFields } from './resumeSafeFields.js';

export { resumeSafeFields };

/** One difference between two configs: the field path and both values. */
export interface ConfigChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** Every leaf that differs between two resolved configs, by field path (`training.batchSize`). */
export function configChanges(before: unknown, after: unknown, prefix = ''): ConfigChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => configChanges(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix, before, after }];
}

/**
 * The field paths of an `--allow-config-change` value (`epochs,evaluation`,
 * comma separated): each must be one of `resumeSafeFields`, given in full
 * (`training.epochs`) or by its last part (`epochs`).
 */
export function parseAllowedChanges(value: string): string[] {
  return value
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '')
    .map((field) => {
      const found = resumeSafeFields.find((safe) => safe === field || safe.split('.').pop() === field);
      if (!found) {
        throw new ConfigError(
          `--allow-config-change: '${field}' cannot change on --resume (it changes the data order, the model or the optimizer). Fields that may change: ${resumeSafeFields.join(', ')}.`,
        );
      }
      return found;
    });
}

/**
 * Refuses a `--resume` whose config differs from the run's saved config,
 * except in the `allowed` fields (see `resumeSafeFields`): the message lists
 * every difference and what to do.
 */
export function checkResumeConfig(saved: unknown, current: unknown, allowed: readonly string[], savedFile: string): ConfigChange[] {
  const changes = configChanges(saved, current);
  const covered = (change: ConfigChange): boolean => allowed.some((field) => change.path === field || change.path.startsWith(`${field}.`));
  const refused = changes.filter((change) => !covered(change));
  if (refused.length === 0) return changes;
  const show = (value: unknown): string => (value === undefined ? '(unset)' : JSON.stringify(value));
  const lines = refused.map((change) => `  ${change.path}: ${show(change.before)} -> ${show(change.after)}`);
  const unsafe = refused.filter((change) => !resumeSafeFields.some((field) => change.path === field || change.path.startsWith(`${field}.`)));
  const safe = refused.filter((change) => !unsafe.includes(change));
  const advice = [
    unsafe.length > 0 ? `Resuming with these changes would not continue the same training: restore the config (the run's is ${savedFile}), or train a new run with another --out.` : '',
    safe.length > 0
      ? `${unsafe.length > 0 ? 'Of these, ' : ''}${safe.map((c) => c.path).join(', ')} may change: pass --allow-config-change ${[...new Set(safe.map((c) => resumeSafeFields.find((f) => c.path === f || c.path.startsWith(`${f}.`))!.split('.').pop()))].join(',')}.`
      : '',
  ].filter((line) => line !== '');
  throw new ConfigError(`--resume: the config differs from the run's (${savedFile}):\n${lines.join('\n')}\n${advice.join(' ')}`);
}
