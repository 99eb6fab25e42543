import { describe, expect, it } from 'vitest';
import { layerNamePrefix, layerNamer } from '../index.js';

describe('layerNamer', () => {
  it('prefixes layer names with the modality and the component', () => {
    const name = layerNamer('image', 'vit');
    expect(name('block1')).toEqual({ name: 'image_vit_block1' });
    expect(layerNamePrefix('image', 'vit')).toBe('image_vit');
  });

  it('leaves naming to tfjs without a modality', () => {
    expect(layerNamer(undefined, 'vit')('block1')).toEqual({});
    expect(layerNamePrefix(undefined, 'vit')).toBeUndefined();
  });
});
