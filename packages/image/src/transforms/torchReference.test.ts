import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { centerCrop, colorJitter, convertChannels, normalize, resizeBilinear, rotate, type ImageArray } from '../index.js';

/** Outputs of torch 1.13 / torchvision 0.14 for the same 6×7 RGB image (fixtures/generate.py). */
const reference = JSON.parse(readFileSync(new URL('../../fixtures/transforms.json', import.meta.url), 'utf8'));
const image: ImageArray = { ...reference.image, data: Float32Array.from(reference.image.data) };

function expectClose(actual: Float32Array, expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v, `value ${i}`).toBeCloseTo(expected[i]!, digits));
}

describe('image transforms match torchvision', () => {
  it('resizeBilinear = F.interpolate(bilinear, align_corners=False, antialias=False)', () => {
    for (const { height, width, data } of reference.resize) expectClose(resizeBilinear(image, height, width).data, data);
  });

  // We use BT.601's 0.299 for red (PIL, OpenCV); torchvision's tensor path uses 0.2989,
  // so grayscale-based results differ by at most 1e-4 × red.
  it('grayscale = rgb_to_grayscale (to 1e-4: red weight 0.299 vs 0.2989)', () => {
    expectClose(convertChannels(image, 1).data, reference.grayscale, 3);
  });

  it('colorJitter = adjust_brightness exactly; adjust_contrast / adjust_saturation to 1e-4', () => {
    expectClose(colorJitter(image, { brightness: 1.3 }).data, reference.brightness_1_3);
    expectClose(colorJitter(image, { contrast: 0.6 }).data, reference.contrast_0_6, 3);
    expectClose(colorJitter(image, { saturation: 0.4 }).data, reference.saturation_0_4, 3);
  });

  it('normalize = Normalize(mean, std), centerCrop = center_crop', () => {
    expectClose(normalize(image, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]).data, reference.normalize);
    expectClose(centerCrop(image, 4, 5).data, reference.center_crop_4x5);
  });

  it('rotate = F.rotate(bilinear, fill=0) away from the borders', () => {
    const ours = rotate(image, 30).data;
    const theirs: number[] = reference.rotate_30;
    // Interior pixels (whose source window lies inside the image) agree; border pixels differ by edge handling.
    let compared = 0;
    for (let y = 2; y < image.height - 2; y++) {
      for (let x = 2; x < image.width - 2; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * image.width + x) * 3 + c;
          expect(ours[i], `pixel ${y},${x},${c}`).toBeCloseTo(theirs[i]!, 4);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});
