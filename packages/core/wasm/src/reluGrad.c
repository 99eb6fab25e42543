/*
 * ReLU's gradient, dx = dy · step(x): dy where x > 0, dy · 0 where x ≤ 0
 * (a signed zero, as the product gives) and NaN where x is NaN, as
 * tfjs-core's gradient `mul(dy, cast(step(x), 'float32'))` computes it, in
 * one pass instead of three kernels over the whole tensor.
 */
#include "simd.h"

EXPORT(relu_grad)
void relu_grad(const float* x, const float* dy, float* dx, int n) {
  const f32x4 one = splat(1.0f), zero = splat(0.0f), nan = splat(__builtin_nanf(""));
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const f32x4 v = load4(x + i);
    f32x4 s = wasm_v128_bitselect(one, zero, wasm_f32x4_gt(v, zero));
    s = wasm_v128_bitselect(nan, s, wasm_f32x4_ne(v, v));
    store4(dx + i, mul(load4(dy + i), s));
  }
  for (; i < n; i++) {
    const float v = x[i];
    const float s = v != v ? __builtin_nanf("") : v > 0.0f ? 1.0f : 0.0f;
    dx[i] = dy[i] * s;
  }
}
