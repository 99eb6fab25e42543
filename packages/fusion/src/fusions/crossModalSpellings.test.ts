import { describe, expect, it } from 'vitest';
import { ConfigError, registry } from '@polyfuse/core';
import { recordDeprecations } from '@polyfuse/core/testing';
import '../index.js';

const context = { inputShapes: { image: [5, 4], audio: [3, 6] } };

describe('cross-modal-transformer option names (0.1 vocabulary)', () => {
  it('accepts the old dModel / numLayers / ffnUnits with one warning each, building the same fusion', () => {
    const current = recordDeprecations(() => registry.create('fusion', 'cross-modal-transformer', { modelDim: 8, numHeads: 2, depth: 2, ffUnits: 12 }, undefined, context));
    const old = recordDeprecations(() => registry.create('fusion', 'cross-modal-transformer', { dModel: 8, numHeads: 2, numLayers: 2, ffnUnits: 12 }, undefined, context));
    expect(current.warnings).toEqual([]);
    expect(old.warnings).toHaveLength(3);
    expect(old.warnings[0]).toMatch(/dModel is deprecated; use modelDim/);
    const layer = (fusion: unknown) => (fusion as { layer: { dModel: number; numLayers: number; ffnUnits: number } }).layer;
    expect([layer(old.value).dModel, layer(old.value).numLayers, layer(old.value).ffnUnits]).toEqual([8, 2, 12]);
    expect([layer(current.value).dModel, layer(current.value).numLayers, layer(current.value).ffnUnits]).toEqual([8, 2, 12]);
  });

  it('refuses both spellings of one option at once', () => {
    expect(() => registry.create('fusion', 'cross-modal-transformer', { modelDim: 8, dModel: 8, numHeads: 2 }, undefined, context)).toThrow(ConfigError);
  });
});
