/**
 * Undoes PNG's per-row filters in place (specification section 9): each row
 * is a filter-type byte followed by `rowBytes` bytes, predicted from the byte
 * `bytesPerPixel` to the left, the byte above, or both (average, Paeth).
 * `data` holds `rows` such rows from `offset`; the first row's "above" is zero.
 */
export function unfilterRows(data: Uint8Array, offset: number, rows: number, rowBytes: number, bytesPerPixel: number): void {
  const stride = rowBytes + 1;
  for (let y = 0; y < rows; y++) {
    const start = offset + y * stride;
    const filter = data[start]!;
    const row = start + 1;
    const above = row - stride; // only read when y > 0
    switch (filter) {
      case 0:
        break;
      case 1: // Sub
        for (let i = bytesPerPixel; i < rowBytes; i++) data[row + i] = (data[row + i]! + data[row + i - bytesPerPixel]!) & 0xff;
        break;
      case 2: // Up
        if (y > 0) for (let i = 0; i < rowBytes; i++) data[row + i] = (data[row + i]! + data[above + i]!) & 0xff;
        break;
      case 3: // Average
        for (let i = 0; i < rowBytes; i++) {
          const left = i >= bytesPerPixel ? data[row + i - bytesPerPixel]! : 0;
          const up = y > 0 ? data[above + i]! : 0;
          data[row + i] = (data[row + i]! + ((left + up) >> 1)) & 0xff;
        }
        break;
      case 4: // Paeth
        for (let i = 0; i < rowBytes; i++) {
          const left = i >= bytesPerPixel ? data[row + i - bytesPerPixel]! : 0;
          const up = y > 0 ? data[above + i]! : 0;
          const upLeft = y > 0 && i >= bytesPerPixel ? data[above + i - bytesPerPixel]! : 0;
          data[row + i] = (data[row + i]! + paeth(left, up, upLeft)) & 0xff;
        }
        break;
      default:
        throw new Error(`row ${y} has filter type ${filter}; expected 0 to 4`);
    }
  }
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}
