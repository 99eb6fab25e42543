/*
 * ReLU's gradient, dx = dy · step(x): dy where x > 0, dy · 0 where x ≤ 0
 * (a signed zero, as the product gives) and NaN where x is NaN, as
 * tfjs-core's gradient `mul(dy, cast(step(x), 'float32'))` computes it, in
 * one pass instead of three kernels over the whole tensor.
 */
#include "simd.h"

/* step(v) as tfjs computes it: 1 where v > 0, 0 where v <= 0, NaN where v is NaN. */
static inline f32x4 relu_step4(f32x4 v) {
  const f32x4 s = wasm_v128_bitselect(splat(1.0f), splat(0.0f), wasm_f32x4_gt(v, splat(0.0f)));
  return wasm_v128_bitselect(splat(__builtin_nanf("")), s, wasm_f32x4_ne(v, v));
}

EXPORT(relu_grad)
void relu_grad(const float* x, const float* dy, float* dx, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) store4(dx + i, mul(load4(dy + i), relu_step4(load4(x + i))));
  for (; i < n; i++) {
    const float v = x[i];
    const float s = v != v ? __builtin_nanf("") : v > 0.0f ? 1.0f : 0.0f;
    dx[i] = dy[i] * s;
  }
}

/*
 * relu_grad over [rows, channels] (channels a multiple of 4) and, in the
 * same pass, the column sums of dx in double precision, as column_sums
 * (columnSums.c) computes them: the bias gradient of a conv or dense layer
 * with a ReLU, without reading dx again. sums [channels] doubles is scratch;
 * db [channels] floats receives the sums. With relu 0, dx = dy (a linear
 * layer: only the sums are new).
 */
EXPORT(relu_grad_column_sums)
void relu_grad_column_sums(const float* y, const float* dy, float* dx, double* sums, float* db, int rows, int channels, int relu) {
  for (int c = 0; c < channels; c++) sums[c] = 0.0;
  for (int r = 0; r < rows; r++) {
    const float* y_row = y + r * channels;
    const float* dy_row = dy + r * channels;
    float* dx_row = dx + r * channels;
    for (int c = 0; c < channels; c += 4) {
      f32x4 g = load4(dy_row + c);
      if (relu) {
        g = mul(g, relu_step4(load4(y_row + c)));
        store4(dx_row + c, g);
      }
      wasm_v128_store(sums + c, wasm_f64x2_add(wasm_v128_load(sums + c), wasm_f64x2_promote_low_f32x4(g)));
      wasm_v128_store(sums + c + 2, wasm_f64x2_add(wasm_v128_load(sums + c + 2), wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(g, g, 2, 3, 2, 3))));
    }
  }
  for (int c = 0; c < channels; c++) db[c] = (float)sums[c];
}
