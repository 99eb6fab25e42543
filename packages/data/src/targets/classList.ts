import { ConfigError } from '@polyfuse/core';

/**
 * The class names of a class or multi-label target in index order, with
 * their lookup, saved state and the error messages both targets share.
 */
export class ClassList {
  private names: string[] = [];
  private index = new Map<string, number>();

  /** `label`: the target's name, for error messages. */
  constructor(private readonly label: string) {}

  get classes(): string[] {
    return this.names;
  }

  /** Replaces the list; a name given twice is a ConfigError. */
  use(classes: string[]): void {
    const index = new Map(classes.map((c, i) => [c, i]));
    if (index.size !== classes.length) throw new ConfigError(`labels.${this.label}.classes lists a class twice.`);
    this.names = classes;
    this.index = index;
  }

  indexOf(name: string): number | undefined {
    return this.index.get(name);
  }

  /** The message for a value that names no class. */
  unknown(value: unknown): string {
    return `unknown class ${JSON.stringify(value)}; classes are ${listClasses(this.names)}.`;
  }

  getState(): { classes: string[] } {
    return { classes: [...this.names] };
  }

  setState(state: unknown): void {
    const classes = (state as { classes?: unknown } | null)?.classes;
    if (!Array.isArray(classes)) throw new ConfigError(`The saved state of label '${this.label}' has no class list.`);
    this.use(classes.map(String));
  }
}

/** The first 20 class names, for error messages. */
export function listClasses(classes: string[]): string {
  if (classes.length === 0) return 'none (nothing was fitted)';
  return `${classes.slice(0, 20).join(', ')}${classes.length > 20 ? ', ...' : ''}`;
}
