/*
 * Batch normalisation in training mode over [rows, channels] (channels last,
 * a multiple of 4): the forward pass and the closed-form gradient of core's
 * fusedBatchNorm.ts, whose doc comment gives the formulas. Per-channel sums
 * accumulate in double precision, as the JavaScript path does.
 *
 * stats: scratch of 10·channels floats, aligned to 8 bytes. Forward writes
 * mean, variance and 1/√(variance + ε) to its floats [0, 3·channels) and
 * uses the rest; backward reads mean and 1/√(variance + ε) from there and
 * writes Σdy·x̂ and Σdy to grad_gamma and grad_beta.
 */
#include "simd.h"

typedef v128_t f64x2;

static inline f64x2 low2(f32x4 v) { return wasm_f64x2_promote_low_f32x4(v); }
static inline f64x2 high2(f32x4 v) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)); }

/* sums[c] += v[c] for four channels, in doubles */
static inline void accumulate4(double* sums, f64x2 lo, f64x2 hi) {
  wasm_v128_store(sums, wasm_f64x2_add(wasm_v128_load(sums), lo));
  wasm_v128_store(sums + 2, wasm_f64x2_add(wasm_v128_load(sums + 2), hi));
}

static inline f64x2 load2(const double* p) { return wasm_v128_load(p); }

EXPORT(batch_norm_forward)
void batch_norm_forward(const float* x, const float* gamma, const float* beta, float* y, float* stats, int rows, int channels, float epsilon) {
  float* mean = stats;
  float* variance = stats + channels;
  float* inv_std = stats + 2 * channels;
  double* sums = (double*)(stats + 4 * channels);
  for (int c = 0; c < channels; c++) sums[c] = 0.0;
  for (int r = 0; r < rows; r++) {
    const float* row = x + r * channels;
    for (int c = 0; c < channels; c += 4) {
      const f32x4 v = load4(row + c);
      accumulate4(sums + c, low2(v), high2(v));
    }
  }
  /* the mean as a double in sums for the variance pass, rounded to float for the caller */
  for (int c = 0; c < channels; c++) {
    mean[c] = (float)(sums[c] / rows);
    sums[c] = (double)mean[c];
  }
  double* squares = sums + channels;
  for (int c = 0; c < channels; c++) squares[c] = 0.0;
  for (int r = 0; r < rows; r++) {
    const float* row = x + r * channels;
    for (int c = 0; c < channels; c += 4) {
      const f32x4 v = load4(row + c);
      const f64x2 d0 = wasm_f64x2_sub(low2(v), load2(sums + c));
      const f64x2 d1 = wasm_f64x2_sub(high2(v), load2(sums + c + 2));
      accumulate4(squares + c, wasm_f64x2_mul(d0, d0), wasm_f64x2_mul(d1, d1));
    }
  }
  for (int c = 0; c < channels; c++) {
    variance[c] = (float)(squares[c] / rows);
    inv_std[c] = (float)(1.0 / __builtin_sqrt((double)variance[c] + (double)epsilon));
  }
  /* y = (x − μ)·(γ/σ) + β */
  float* scale = stats + 3 * channels;
  for (int c = 0; c < channels; c++) scale[c] = gamma[c] * inv_std[c];
  for (int r = 0; r < rows; r++) {
    const float* row = x + r * channels;
    float* out = y + r * channels;
    for (int c = 0; c < channels; c += 4) store4(out + c, add(mul(sub(load4(row + c), load4(mean + c)), load4(scale + c)), load4(beta + c)));
  }
}

EXPORT(batch_norm_backward)
void batch_norm_backward(const float* x, const float* dy, const float* gamma, float* dx, float* stats, float* grad_gamma, float* grad_beta, int rows, int channels) {
  const float* mean = stats;
  const float* inv_std = stats + 2 * channels;
  double* sum_dy = (double*)(stats + 4 * channels);
  double* sum_dy_centered = sum_dy + channels;
  for (int c = 0; c < channels; c++) sum_dy[c] = sum_dy_centered[c] = 0.0;
  for (int r = 0; r < rows; r++) {
    const float* x_row = x + r * channels;
    const float* dy_row = dy + r * channels;
    for (int c = 0; c < channels; c += 4) {
      const f32x4 d = load4(dy_row + c);
      const f32x4 centered = sub(load4(x_row + c), load4(mean + c));
      accumulate4(sum_dy + c, low2(d), high2(d));
      accumulate4(sum_dy_centered + c, wasm_f64x2_mul(low2(d), low2(centered)), wasm_f64x2_mul(high2(d), high2(centered)));
    }
  }
  /* dx = γ/σ · dy − γ/σ · Σdy / n − γ/σ² · Σ(dy·(x − μ)) / n · (x − μ) */
  float* k_dy = stats + 3 * channels;
  float* k_centered = stats + 8 * channels;
  float* k_const = stats + 9 * channels;
  for (int c = 0; c < channels; c++) {
    const double s = (double)inv_std[c];
    const double a = (double)gamma[c] * s;
    grad_beta[c] = (float)sum_dy[c];
    grad_gamma[c] = (float)(sum_dy_centered[c] * s);
    k_dy[c] = (float)a;
    k_centered[c] = (float)(-a * s * s * sum_dy_centered[c] / rows);
    k_const[c] = (float)(-a * sum_dy[c] / rows);
  }
  for (int r = 0; r < rows; r++) {
    const float* x_row = x + r * channels;
    const float* dy_row = dy + r * channels;
    float* out = dx + r * channels;
    for (int c = 0; c < channels; c += 4) {
      const f32x4 centered = sub(load4(x_row + c), load4(mean + c));
      store4(out + c, add(add(mul(load4(k_dy + c), load4(dy_row + c)), mul(load4(k_centered + c), centered)), load4(k_const + c)));
    }
  }
}
