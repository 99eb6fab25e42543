import { Registry } from '@polyfuse/core';

/**
 * The training-side components the CLI builds from a config: `loss`,
 * `weighting`, `metric`, `optimizer` and `schedule`. Core's registry defines
 * contracts only for model parts (encoder, fusion, head, preprocessor), so the
 * CLI keeps these in its own Registry instance with the contracts below; the
 * built-ins register themselves on import (see ./builtins/).
 */
export const trainingRegistry = new Registry();
