/**
 * Imports every polyfuse package for its registrations, so every registry
 * name (encoders, fusions, heads, preprocessors, ...) is available to configs.
 * The Node entry points are used where a package has one (file decoding).
 */
import '@polyfuse/data/node';
import '@polyfuse/image/node';
import '@polyfuse/text/node';
import '@polyfuse/audio/node';
import '@polyfuse/signal';
import '@polyfuse/fusion';
import '@polyfuse/losses';
import '@polyfuse/metrics';
import '@polyfuse/trainer/node';

/** The packages imported above, for `polyfuse --version`-style listings. */
export const polyfusePackages = [
  '@polyfuse/core',
  '@polyfuse/data',
  '@polyfuse/image',
  '@polyfuse/text',
  '@polyfuse/audio',
  '@polyfuse/signal',
  '@polyfuse/fusion',
  '@polyfuse/losses',
  '@polyfuse/metrics',
  '@polyfuse/trainer',
] as const;
