/**
 * Turns pixels into the model's image input: 28×28 grey in [0, 1], white digit
 * on black, as MNIST (and so the training data) has it.
 */
export const imageSize = 28;

/**
 * A drawing (RGBA, any size, white strokes on black) laid out the way MNIST
 * digits are: the strokes' bounding box scaled to fit 20×20, then placed so
 * the centre of mass is at the centre of the 28×28 image. Without this a digit
 * drawn small or off-centre looks nothing like the training data. Returns
 * undefined for an empty drawing.
 */
export function drawingToDigit(source: HTMLCanvasElement): Float32Array | undefined {
  const context = source.getContext('2d', { willReadFrequently: true })!;
  const { width, height } = source;
  const rgba = context.getImageData(0, 0, width, height).data;
  let top = height, bottom = -1, left = width, right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (rgba[(y * width + x) * 4]! > 20) {
        top = Math.min(top, y); bottom = Math.max(bottom, y);
        left = Math.min(left, x); right = Math.max(right, x);
      }
    }
  }
  if (bottom < 0) return undefined;
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const scale = 20 / Math.max(boxWidth, boxHeight);
  const small = document.createElement('canvas');
  small.width = imageSize;
  small.height = imageSize;
  const target = small.getContext('2d', { willReadFrequently: true })!;
  target.fillStyle = 'black';
  target.fillRect(0, 0, imageSize, imageSize);
  target.imageSmoothingQuality = 'high';
  const drawnWidth = boxWidth * scale;
  const drawnHeight = boxHeight * scale;
  target.drawImage(source, left, top, boxWidth, boxHeight, (imageSize - drawnWidth) / 2, (imageSize - drawnHeight) / 2, drawnWidth, drawnHeight);
  const centred = greyPixels(target.getImageData(0, 0, imageSize, imageSize).data);
  return shiftToCentreOfMass(centred);
}

/** Decodes an image file (PNG, JPEG, ...) with the browser and reads it as 28×28 grey (resized only when it is another size). */
export async function imageFileToDigit(bytes: Blob): Promise<Float32Array> {
  const bitmap = await createImageBitmap(bytes);
  const canvas = document.createElement('canvas');
  canvas.width = imageSize;
  canvas.height = imageSize;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0, imageSize, imageSize);
  bitmap.close();
  return greyPixels(context.getImageData(0, 0, imageSize, imageSize).data);
}

/** The red channel of RGBA bytes, scaled to [0, 1] (the image preprocessor's scaling). */
function greyPixels(rgba: Uint8ClampedArray): Float32Array {
  const grey = new Float32Array(rgba.length / 4);
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4]! / 255;
  return grey;
}

function shiftToCentreOfMass(pixels: Float32Array): Float32Array {
  let mass = 0, sumX = 0, sumY = 0;
  for (let y = 0; y < imageSize; y++) {
    for (let x = 0; x < imageSize; x++) {
      const v = pixels[y * imageSize + x]!;
      mass += v; sumX += v * x; sumY += v * y;
    }
  }
  const dx = Math.round((imageSize - 1) / 2 - sumX / mass);
  const dy = Math.round((imageSize - 1) / 2 - sumY / mass);
  const shifted = new Float32Array(pixels.length);
  for (let y = 0; y < imageSize; y++) {
    for (let x = 0; x < imageSize; x++) {
      const sx = x - dx, sy = y - dy;
      if (sx >= 0 && sx < imageSize && sy >= 0 && sy < imageSize) shifted[y * imageSize + x] = pixels[sy * imageSize + sx]!;
    }
  }
  return shifted;
}
