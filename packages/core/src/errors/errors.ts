/**
 * Typed errors. Every message names what was wrong (argument, file, field) and
 * what was expected, so a user can fix the input without reading our code.
 */
export class PolyfuseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A config value, option or registry name is wrong. */
export class ConfigError extends PolyfuseError {}

/** Input data is wrong: a shape, a length, a corrupt or missing file. */
export class InputError extends PolyfuseError {}

/** No usable TensorFlow.js backend, or an unknown backend name. */
export class BackendError extends PolyfuseError {}

/** Formats a shape for error messages: `[2, 28, 28, 1]`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'batch' : String(d))).join(', ')}]`;
}
