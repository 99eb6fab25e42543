/*
 * out[rows, cols] = a[rows, inner] · m[inner, cols] (or += with accumulate),
 * all row-major, cols a multiple of 4: blocks of 2 rows × 16 columns (or
 * 4 × 8) keep eight vector sums in registers, so each loaded row of m
 * serves several rows of a. Every element sums over k in order, whatever
 * the block. Used for the GRU's and the LSTM's per-step products ([64, 64] ×
 * [64, 192] and [64, 64] × [64, 256]), where a call into the backend's
 * matMul would cost more in overhead than in flops.
 */
#ifndef POLYFUSE_PRODUCT_H
#define POLYFUSE_PRODUCT_H

#include "simd.h"

static inline void product_block4(const float* a, const float* m, float* out, int inner, int cols, int c, int accumulate) {
  f32x4 s00 = splat(0), s01 = splat(0), s10 = splat(0), s11 = splat(0);
  f32x4 s20 = splat(0), s21 = splat(0), s30 = splat(0), s31 = splat(0);
  for (int k = 0; k < inner; k++) {
    const f32x4 m0 = load4(m + k * cols + c), m1 = load4(m + k * cols + c + 4);
    const f32x4 a0 = splat(a[k]), a1 = splat(a[inner + k]), a2 = splat(a[2 * inner + k]), a3 = splat(a[3 * inner + k]);
    s00 = add(s00, mul(a0, m0)); s01 = add(s01, mul(a0, m1));
    s10 = add(s10, mul(a1, m0)); s11 = add(s11, mul(a1, m1));
    s20 = add(s20, mul(a2, m0)); s21 = add(s21, mul(a2, m1));
    s30 = add(s30, mul(a3, m0)); s31 = add(s31, mul(a3, m1));
  }
  float* o = out + c;
  if (accumulate) {
    s00 = add(s00, load4(o)); s01 = add(s01, load4(o + 4));
    s10 = add(s10, load4(o + cols)); s11 = add(s11, load4(o + cols + 4));
    s20 = add(s20, load4(o + 2 * cols)); s21 = add(s21, load4(o + 2 * cols + 4));
    s30 = add(s30, load4(o + 3 * cols)); s31 = add(s31, load4(o + 3 * cols + 4));
  }
  store4(o, s00); store4(o + 4, s01);
  store4(o + cols, s10); store4(o + cols + 4, s11);
  store4(o + 2 * cols, s20); store4(o + 2 * cols + 4, s21);
  store4(o + 3 * cols, s30); store4(o + 3 * cols + 4, s31);
}

/* 2 rows × 16 columns: the same 8 sums in registers with 4 loads of m and 2 of a per step, measured faster than 4 × 8 (40 against 36 GFLOP/s in conv2d.c's equivalent). */
static inline void product_block2x16(const float* a, const float* m, float* out, int inner, int cols, int c, int accumulate) {
  f32x4 s00 = splat(0), s01 = splat(0), s02 = splat(0), s03 = splat(0);
  f32x4 s10 = splat(0), s11 = splat(0), s12 = splat(0), s13 = splat(0);
  for (int k = 0; k < inner; k++) {
    const float* row = m + k * cols + c;
    const f32x4 m0 = load4(row), m1 = load4(row + 4), m2 = load4(row + 8), m3 = load4(row + 12);
    const f32x4 a0 = splat(a[k]), a1 = splat(a[inner + k]);
    s00 = add(s00, mul(a0, m0)); s01 = add(s01, mul(a0, m1)); s02 = add(s02, mul(a0, m2)); s03 = add(s03, mul(a0, m3));
    s10 = add(s10, mul(a1, m0)); s11 = add(s11, mul(a1, m1)); s12 = add(s12, mul(a1, m2)); s13 = add(s13, mul(a1, m3));
  }
  float* o = out + c;
  if (accumulate) {
    s00 = add(s00, load4(o)); s01 = add(s01, load4(o + 4)); s02 = add(s02, load4(o + 8)); s03 = add(s03, load4(o + 12));
    s10 = add(s10, load4(o + cols)); s11 = add(s11, load4(o + cols + 4)); s12 = add(s12, load4(o + cols + 8)); s13 = add(s13, load4(o + cols + 12));
  }
  store4(o, s00); store4(o + 4, s01); store4(o + 8, s02); store4(o + 12, s03);
  store4(o + cols, s10); store4(o + cols + 4, s11); store4(o + cols + 8, s12); store4(o + cols + 12, s13);
}

/* One row of a, 4 columns at a time: the remainders of the blocked loop. */
static inline void product_row4(const float* a, const float* m, float* out, int inner, int cols, int c, int accumulate) {
  f32x4 s = splat(0);
  for (int k = 0; k < inner; k++) s = add(s, mul(splat(a[k]), load4(m + k * cols + c)));
  if (accumulate) s = add(s, load4(out + c));
  store4(out + c, s);
}

static void product(const float* a, const float* m, float* out, int rows, int inner, int cols, int accumulate) {
  if (cols % 16 == 0 && rows % 2 == 0) {
    for (int i = 0; i < rows; i += 2)
      for (int c = 0; c < cols; c += 16) product_block2x16(a + i * inner, m, out + i * cols, inner, cols, c, accumulate);
    return;
  }
  int i = 0;
  for (; i + 4 <= rows; i += 4) {
    int c = 0;
    for (; c + 8 <= cols; c += 8) product_block4(a + i * inner, m, out + i * cols, inner, cols, c, accumulate);
    for (; c < cols; c += 4)
      for (int r = i; r < i + 4; r++) product_row4(a + r * inner, m, out + r * cols, inner, cols, c, accumulate);
  }
  for (; i < rows; i++)
    for (int c = 0; c < cols; c += 4) product_row4(a + i * inner, m, out + i * cols, inner, cols, c, accumulate);
}

#endif
