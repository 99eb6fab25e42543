/**
 * Test support for packages that define encoders (and other modules):
 * `@polyfuse/core/testing`. Not part of the runtime API; import it from tests.
 */
export { passThroughFusion, linearHead, registerTestParts } from './testParts.js';
export { classifierAround } from './classifierAround.js';
export type { ClassifierAroundOptions } from './classifierAround.js';
export { overfit, trainOnBatch, gradientMagnitudes, singleModality } from './training.js';
export type { OverfitOptions, OverfitResult } from './training.js';
export { roundTrip } from './roundTrip.js';
export { checkEncoder } from './checkEncoder.js';
export type { EncoderReport, CheckEncoderOptions } from './checkEncoder.js';
export { computeOn, maxRelativeDifference, randomValues } from './backendParity.js';
export type { ComputedValues } from './backendParity.js';
export { recordDeprecations, encoderFingerprint, spellingReport } from './deprecations.js';
export type { SpellingReport } from './deprecations.js';
