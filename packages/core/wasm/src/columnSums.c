/*
 * Sums of each column of a row-major [rows, cols] float matrix, accumulated
 * in double precision (as the JavaScript paths do), cols a multiple of 4.
 * sums [cols] doubles is scratch; out [cols] floats receives the result.
 */
#include "simd.h"

EXPORT(column_sums)
void column_sums(const float* data, int rows, int cols, double* sums, float* out) {
  for (int c = 0; c < cols; c++) sums[c] = 0.0;
  for (int r = 0; r < rows; r++) {
    const float* row = data + r * cols;
    for (int c = 0; c < cols; c += 4) {
      const f32x4 v = load4(row + c);
      wasm_v128_store(sums + c, wasm_f64x2_add(wasm_v128_load(sums + c), wasm_f64x2_promote_low_f32x4(v)));
      wasm_v128_store(sums + c + 2, wasm_f64x2_add(wasm_v128_load(sums + c + 2), wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3))));
    }
  }
  for (int c = 0; c < cols; c++) out[c] = (float)sums[c];
}
