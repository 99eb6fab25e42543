import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChromium } from './support/findChromium.js';

describe('findChromium (decides whether the browser tests run, skip or fail)', () => {
  it('uses POLYFUSE_CHROMIUM when it exists, and says which path is missing when not', () => {
    expect(findChromium({ POLYFUSE_CHROMIUM: process.execPath })).toEqual({ executablePath: process.execPath, required: false });
    expect(findChromium({ POLYFUSE_CHROMIUM: '/no/such/chromium' }).missing).toMatch(/\/no\/such\/chromium, which does not exist/);
  });

  it('requires a browser on CI or with POLYFUSE_REQUIRE_BROWSER=1, and only then', () => {
    expect(findChromium({ POLYFUSE_CHROMIUM: '/none', CI: 'true' }).required).toBe(true);
    expect(findChromium({ POLYFUSE_CHROMIUM: '/none', POLYFUSE_REQUIRE_BROWSER: '1' }).required).toBe(true);
    expect(findChromium({ POLYFUSE_CHROMIUM: '/none', POLYFUSE_REQUIRE_BROWSER: '0' }).required).toBe(false);
  });

  it('finds the first executable chromium or chromium-browser along the PATH, as command -v does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'find-chromium-'));
    try {
      writeFileSync(path.join(dir, 'chromium-browser'), '#!/bin/sh\n', { mode: 0o755 });
      writeFileSync(path.join(dir, 'chromium'), 'not executable', { mode: 0o644 });
      expect(findChromium({ PATH: `/nonexistent${path.delimiter}${dir}` }).executablePath).toBe(path.join(dir, 'chromium-browser'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds nothing, with the install command, when PATH has no chromium', () => {
    const found = findChromium({ PATH: '/nonexistent' });
    expect(found.executablePath).toBeUndefined();
    expect(found.missing).toMatch(/apt-get install chromium/);
  });
});
