import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/** Where the browser tests look for Chromium, and whether they may skip without it. */
export interface ChromiumLookup {
  /** The executable, when one was found. */
  executablePath?: string;
  /** Why there is none (printed when the tests skip). */
  missing?: string;
  /** On CI (`CI` set) or with `POLYFUSE_REQUIRE_BROWSER=1` a missing Chromium fails the tests instead. */
  required: boolean;
}

/**
 * `$POLYFUSE_CHROMIUM`, else `chromium` or `chromium-browser` on the PATH (what `command -v` finds)
 * (Debian's `chromium` package; `scripts/setup.sh` installs it).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const required = Boolean(env.CI) || env.POLYFUSE_REQUIRE_BROWSER === '1';
  if (env.POLYFUSE_CHROMIUM) {
    return existsSync(env.POLYFUSE_CHROMIUM)
      ? { executablePath: env.POLYFUSE_CHROMIUM, required }
      : { missing: `POLYFUSE_CHROMIUM is ${env.POLYFUSE_CHROMIUM}, which does not exist`, required };
  }
  for (const name of ['chromium', 'chromium-browser']) {
    for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return { executablePath: candidate, required };
      } catch {
        // not here; look further along the PATH
      }
    }
  }
  return { missing: 'no chromium or chromium-browser on the PATH (Debian: sudo apt-get install chromium; or set POLYFUSE_CHROMIUM)', required };
}
