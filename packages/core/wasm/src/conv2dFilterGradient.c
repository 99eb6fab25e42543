/*
 * Conv2DBackpropFilter, NHWC, output channels a multiple of 4:
 *   dw[i, j, c, o] = Σ_{n, y, x} xp[n, y·sh + i, x·sw + j, c] · dy[n, y, x, o]
 * over the input with its zero padding (conv2d_pad in conv2d.c writes it),
 * the sum TensorFlow's kernel computes. As in conv2d_forward, the taps (j, c)
 * of one filter row i are fw·C consecutive floats of a padded input row. A
 * block of 2 taps × 16 output channels of dw (or 2 × 8, 2 × 4) stays in
 * 8 SIMD registers while it sums over every position of one image, so each
 * dy vector loaded serves two taps and each input value 16 channels
 * (1.5× the previous kernel, which held one tap per pass; bench/README.md).
 * Each image's sum is added to dw on its own, so rounding grows with one
 * image's positions, not the batch's; the values are the previous kernel's
 * to the bit.
 */
#include "simd.h"

/* dw[q·O + o] += Σ_{y, x} xp_row(y)[x·pixel_step + q] · dy[(y·W + x)·O + o] for q < taps, o < 4·vectors. */
static inline __attribute__((always_inline)) void filter_block(const float* x, int pixel_step, int row_step, const float* dy, int out_height,
                                                               int out_width, int out_channels, float* dw, const int taps, const int vectors) {
  f32x4 acc[2 * 4];
#pragma clang loop unroll(full)
  for (int q = 0; q < 2; q++)
#pragma clang loop unroll(full)
    for (int v = 0; v < 4; v++)
      if (q < taps && v < vectors) acc[4 * q + v] = splat(0.0f);
  for (int y = 0; y < out_height; y++) {
    const float* x_row = x + y * row_step;
    const float* g_row = dy + y * out_width * out_channels;
    for (int ox = 0; ox < out_width; ox++) {
      f32x4 g[4];
#pragma clang loop unroll(full)
      for (int v = 0; v < 4; v++)
        if (v < vectors) g[v] = load4(g_row + ox * out_channels + 4 * v);
#pragma clang loop unroll(full)
      for (int q = 0; q < 2; q++) {
        if (q < taps) {
          const f32x4 value = splat(x_row[ox * pixel_step + q]);
#pragma clang loop unroll(full)
          for (int v = 0; v < 4; v++)
            if (v < vectors) acc[4 * q + v] = add(acc[4 * q + v], mul(value, g[v]));
        }
      }
    }
  }
#pragma clang loop unroll(full)
  for (int q = 0; q < 2; q++)
#pragma clang loop unroll(full)
    for (int v = 0; v < 4; v++)
      if (q < taps && v < vectors) store4(dw + q * out_channels + 4 * v, add(load4(dw + q * out_channels + 4 * v), acc[4 * q + v]));
}

/* Every tap pair of one filter row, for output channels [o, o + 4·vectors). */
static inline __attribute__((always_inline)) void filter_row(const float* x, int pixel_step, int row_step, const float* dy, int out_height,
                                                             int out_width, int out_channels, float* dw, int taps_per_row, const int vectors) {
  int k = 0;
  for (; k + 2 <= taps_per_row; k += 2)
    filter_block(x + k, pixel_step, row_step, dy, out_height, out_width, out_channels, dw + k * out_channels, 2, vectors);
  if (k < taps_per_row) filter_block(x + k, pixel_step, row_step, dy, out_height, out_width, out_channels, dw + k * out_channels, 1, vectors);
}

EXPORT(conv2d_filter_gradient)
void conv2d_filter_gradient(const float* xp, const float* dy, float* dw, int batch, int padded_height, int padded_width, int in_channels,
                            int out_height, int out_width, int out_channels, int filter_height, int filter_width,
                            int stride_height, int stride_width) {
  const int taps_per_row = filter_width * in_channels;
  const int size = filter_height * taps_per_row * out_channels;
  const int row_step = padded_width * in_channels;
  for (int i = 0; i < size; i += 4) store4(dw + i, splat(0.0f));
  for (int n = 0; n < batch; n++) {
    const float* g = dy + n * out_height * out_width * out_channels;
    for (int i = 0; i < filter_height; i++) {
      const float* x = xp + (n * padded_height + i) * row_step;
      float* dw_row = dw + i * taps_per_row * out_channels;
      int o = 0;
      for (; o + 16 <= out_channels; o += 16)
        filter_row(x, stride_width * in_channels, stride_height * row_step, g + o, out_height, out_width, out_channels, dw_row + o, taps_per_row, 4);
      for (; o + 8 <= out_channels; o += 8)
        filter_row(x, stride_width * in_channels, stride_height * row_step, g + o, out_height, out_width, out_channels, dw_row + o, taps_per_row, 2);
      for (; o < out_channels; o += 4)
        filter_row(x, stride_width * in_channels, stride_height * row_step, g + o, out_height, out_width, out_channels, dw_row + o, taps_per_row, 1);
    }
  }
}

/*
 * out[k, o] = Σ_r a[r, k] · b[r, o], Aᵀ·B for a [rows, inner] and b
 * [rows, cols] (cols a multiple of 4): the filter gradient of a 1×1
 * convolution, the weight gradient xᵀ·dy of a dense layer. The rows go in
 * chunks of 64, each chunk's sum added to out, so that a chunk of a and b
 * stays in cache across the passes over its columns (1.5× on W2's
 * [2048, 64]ᵀ × [2048, 192], against one pass over all rows).
 */
EXPORT(matmul_transposed_a)
void matmul_transposed_a(const float* a, const float* b, float* out, int rows, int inner, int cols) {
  for (int i = 0; i < inner * cols; i += 4) store4(out + i, splat(0.0f));
  for (int r = 0; r < rows; r += 64) {
    const int count = rows - r < 64 ? rows - r : 64;
    const float* a_chunk = a + r * inner;
    const float* b_chunk = b + r * cols;
    int o = 0;
    for (; o + 16 <= cols; o += 16) filter_row(a_chunk, inner, 0, b_chunk + o, 1, count, cols, out + o, inner, 4);
    for (; o + 8 <= cols; o += 8) filter_row(a_chunk, inner, 0, b_chunk + o, 1, count, cols, out + o, inner, 2);
    for (; o < cols; o += 4) filter_row(a_chunk, inner, 0, b_chunk + o, 1, count, cols, out + o, inner, 1);
  }
}
