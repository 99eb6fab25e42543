import { ConfigError } from '@polyfuse/core';

/** One component object of a tokenizer.json (`{ "type": "...", ... }`). */
export type ComponentSpec = { type?: string; [key: string]: unknown } | null | undefined;

/** A ConfigError for a component type we do not implement, naming where it is and what we support. */
export function unsupported(where: string, type: unknown, supported: string[]): ConfigError {
  return new ConfigError(`tokenizer.json ${where}.type ${JSON.stringify(type)} is not supported. Supported: ${supported.join(', ')}.`);
}
