/*
 * MaxPoolGrad for 2×2 windows at stride 2 that tile an NHWC input (the usual
 * maxPooling2d({ poolSize: 2 })), channels a multiple of 4. Each window's
 * gradient goes to its first strictly largest value in row-major window order,
 * as TensorFlow's kernel does; a window of NaN or -Infinity passes none. Each
 * dx element belongs to exactly one window, so dx is written once, without a
 * zero fill.
 */
#include "simd.h"

EXPORT(max_pool_grad_2x2)
void max_pool_grad_2x2(const float* x, const float* dy, float* dx, int batch, int out_height, int out_width, int channels) {
  const int row = 2 * out_width * channels;
  const f32x4 zero = splat(0.0f);
  for (int b = 0; b < batch; b++) {
    for (int oy = 0; oy < out_height; oy++) {
      for (int ox = 0; ox < out_width; ox++) {
        const int p0 = (b * 2 * out_height + 2 * oy) * row + 2 * ox * channels;
        const int p1 = p0 + channels, p2 = p0 + row, p3 = p2 + channels;
        const int g = ((b * out_height + oy) * out_width + ox) * channels;
        for (int c = 0; c < channels; c += 4) {
          const f32x4 v0 = load4(x + p0 + c), v1 = load4(x + p1 + c), v2 = load4(x + p2 + c), v3 = load4(x + p3 + c);
          /* which of the four wins, as masks: first strictly largest */
          const v128_t w0 = wasm_f32x4_gt(v0, splat(-__builtin_inff()));
          f32x4 best = wasm_v128_bitselect(v0, splat(-__builtin_inff()), w0);
          const v128_t w1 = wasm_f32x4_gt(v1, best);
          best = wasm_v128_bitselect(v1, best, w1);
          const v128_t w2 = wasm_f32x4_gt(v2, best);
          best = wasm_v128_bitselect(v2, best, w2);
          const v128_t w3 = wasm_f32x4_gt(v3, best);
          const v128_t only3 = w3;
          const v128_t only2 = wasm_v128_andnot(w2, w3);
          const v128_t only1 = wasm_v128_andnot(wasm_v128_andnot(w1, w2), w3);
          const v128_t only0 = wasm_v128_andnot(wasm_v128_andnot(wasm_v128_andnot(w0, w1), w2), w3);
          const f32x4 d = load4(dy + g + c);
          store4(dx + p0 + c, wasm_v128_bitselect(d, zero, only0));
          store4(dx + p1 + c, wasm_v128_bitselect(d, zero, only1));
          store4(dx + p2 + c, wasm_v128_bitselect(d, zero, only2));
          store4(dx + p3 + c, wasm_v128_bitselect(d, zero, only3));
        }
      }
    }
  }
}
