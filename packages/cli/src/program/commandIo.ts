/** Where a command writes and what it resolves relative paths against. */
export interface CommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
}

/** Common options of every command. */
export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
  backend?: string;
}
