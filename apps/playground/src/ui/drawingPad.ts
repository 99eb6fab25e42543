/**
 * A canvas to draw a digit on with the mouse, a pen or a finger: thick white
 * strokes on black, like MNIST. `onChange` fires when a stroke ends.
 */
export function createDrawingPad(canvas: HTMLCanvasElement, onChange: () => void): { clear(): void; showPixels(pixels: Float32Array): void } {
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    g.fillStyle = 'black';
    g.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  let drawing = false;
  const point = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return [((event.clientX - box.left) / box.width) * canvas.width, ((event.clientY - box.top) / box.height) * canvas.height] as const;
  };
  canvas.addEventListener('pointerdown', (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = point(event);
    g.strokeStyle = 'white';
    g.lineWidth = canvas.width / 13;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(x, y);
    g.lineTo(x, y);
    g.stroke();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const [x, y] = point(event);
    g.lineTo(x, y);
    g.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    onChange();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return {
    clear,
    /** Shows a 28×28 grey image (a loaded sample) scaled up on the pad. */
    showPixels(pixels: Float32Array) {
      const small = new ImageData(28, 28);
      pixels.forEach((v, i) => small.data.set([v * 255, v * 255, v * 255, 255], i * 4));
      const tile = document.createElement('canvas');
      tile.width = 28;
      tile.height = 28;
      tile.getContext('2d')!.putImageData(small, 0, 0);
      g.imageSmoothingEnabled = false;
      g.drawImage(tile, 0, 0, canvas.width, canvas.height);
    },
  };
}

/** Draws a `[rows, cols]` log-mel (row 0 = lowest band) as a heat map, low bands at the bottom. */
export function drawSpectrogram(canvas: HTMLCanvasElement, values: Float32Array, rows: number, cols: number): void {
  const image = new ImageData(cols, rows);
  let min = Infinity, max = -Infinity;
  for (const v of values) { min = Math.min(min, v); max = Math.max(max, v); }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const t = (values[r * cols + c]! - min) / (max - min || 1);
      image.data.set([Math.round(255 * Math.min(1, t * 1.6)), Math.round(255 * t * t), Math.round(120 * (1 - t) + 60 * t), 255], ((rows - 1 - r) * cols + c) * 4);
    }
  }
  const tile = document.createElement('canvas');
  tile.width = cols;
  tile.height = rows;
  tile.getContext('2d')!.putImageData(image, 0, 0);
  const g = canvas.getContext('2d')!;
  g.imageSmoothingEnabled = false;
  g.drawImage(tile, 0, 0, canvas.width, canvas.height);
}
