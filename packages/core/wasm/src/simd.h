/*
 * Shared helpers of polyfuse's WebAssembly SIMD kernels.
 *
 * The kernels run on the wasm backend's own memory (imported), so they must
 * not touch anything but the pointers they are given: no static data, no
 * stack (build.mjs rejects a module that reads or writes the stack pointer or
 * has a data section), and every constant is an immediate.
 */
#ifndef POLYFUSE_SIMD_H
#define POLYFUSE_SIMD_H

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

typedef v128_t f32x4;

static inline f32x4 load4(const float* p) { return wasm_v128_load(p); }
static inline void store4(float* p, f32x4 v) { wasm_v128_store(p, v); }
static inline f32x4 splat(float v) { return wasm_f32x4_splat(v); }
static inline f32x4 add(f32x4 a, f32x4 b) { return wasm_f32x4_add(a, b); }
static inline f32x4 sub(f32x4 a, f32x4 b) { return wasm_f32x4_sub(a, b); }
static inline f32x4 mul(f32x4 a, f32x4 b) { return wasm_f32x4_mul(a, b); }

/*
 * e^x for four floats: Cephes' expf (range reduction by ln 2 split in two
 * parts, degree-6 polynomial, 2^n built in the exponent bits); within 2 ulp
 * of the exact value on [-87, 88]. Inputs are clamped there, so the result
 * is never infinite or subnormal (which sigmoid and tanh below do not need).
 */
static inline f32x4 exp4(f32x4 x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, splat(-87.0f)), splat(88.0f));
  f32x4 n = wasm_f32x4_nearest(mul(x, splat(1.44269504088896341f)));
  f32x4 r = sub(x, mul(n, splat(0.693359375f)));
  r = sub(r, mul(n, splat(-2.12194440e-4f)));
  f32x4 p = splat(1.9875691500e-4f);
  p = add(mul(p, r), splat(1.3981999507e-3f));
  p = add(mul(p, r), splat(8.3334519073e-3f));
  p = add(mul(p, r), splat(4.1665795894e-2f));
  p = add(mul(p, r), splat(1.6666665459e-1f));
  p = add(mul(p, r), splat(5.0000001201e-1f));
  p = add(add(mul(mul(p, r), r), r), splat(1.0f));
  v128_t bits = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return mul(p, bits);
}

/* σ(x) = 1 / (1 + e^-x) */
static inline f32x4 sigmoid4(f32x4 x) { return wasm_f32x4_div(splat(1.0f), add(splat(1.0f), exp4(wasm_f32x4_neg(x)))); }

/* tanh(x) = 1 − 2 / (e^2x + 1), the form FusedGru's JavaScript path uses. */
static inline f32x4 tanh4(f32x4 x) { return sub(splat(1.0f), wasm_f32x4_div(splat(2.0f), add(exp4(add(x, x)), splat(1.0f)))); }

#endif
