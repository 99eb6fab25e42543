/*
 * Conv2D forward, NHWC, no dilation, output channels a multiple of 4:
 *   y[n, oy, ox, o] = act(Σ_{i, j, c} xp[n, oy·sh + i, ox·sw + j, c] · w[i, j, c, o] + bias[o])
 * over an input that already holds its zero padding (conv2d_pad writes it),
 * so the inner loop has no bounds checks. For one filter row i, the taps
 * (j, c) of a pixel are fw·C consecutive floats of the padded input row, and
 * their weights fw·C consecutive rows of w: one loop of fw·C steps instead
 * of two. A block of 2 pixels × 16 output channels (or 4 × 8, or 4 × 4)
 * stays in 8 SIMD registers for the whole sum, so each weight vector loaded
 * serves several pixels and each input value several channels. Measured
 * 1.5–2× XNNPACK's convolution on W1's layers, and 5–8× on one input
 * channel (bench/README.md).
 *
 * Each output is the sum of its taps in the order (i, j, c) from zero, then
 * the bias, then the activation (0: none, 1: ReLU): the same values as the
 * backend's unfused convolution followed by the bias add.
 */
#include "simd.h"

static inline __attribute__((always_inline)) void conv_block(const float* x, int pixel_step, int row_step, const float* w, int out_channels,
                                                             int filter_height, int taps_per_row, const float* bias, int activation, float* y,
                                                             const int pixels, const int vectors) {
  f32x4 acc[4 * 4];
#pragma clang loop unroll(full)
  for (int p = 0; p < 4; p++)
#pragma clang loop unroll(full)
    for (int v = 0; v < 4; v++)
      if (p < pixels && v < vectors) acc[4 * p + v] = splat(0.0f);
  for (int i = 0; i < filter_height; i++) {
    const float* x_row = x + i * row_step;
    const float* w_row = w + i * taps_per_row * out_channels;
    for (int k = 0; k < taps_per_row; k++) {
      f32x4 weights[4];
#pragma clang loop unroll(full)
      for (int v = 0; v < 4; v++)
        if (v < vectors) weights[v] = load4(w_row + k * out_channels + 4 * v);
#pragma clang loop unroll(full)
      for (int p = 0; p < 4; p++) {
        if (p < pixels) {
          const f32x4 value = splat(x_row[p * pixel_step + k]);
#pragma clang loop unroll(full)
          for (int v = 0; v < 4; v++)
            if (v < vectors) acc[4 * p + v] = add(acc[4 * p + v], mul(value, weights[v]));
        }
      }
    }
  }
#pragma clang loop unroll(full)
  for (int v = 0; v < 4; v++) {
    if (v < vectors) {
      const f32x4 b = bias ? load4(bias + 4 * v) : splat(0.0f);
#pragma clang loop unroll(full)
      for (int p = 0; p < 4; p++) {
        if (p < pixels) {
          f32x4 out = bias ? add(acc[4 * p + v], b) : acc[4 * p + v];
          if (activation == 1) out = wasm_f32x4_max(out, splat(0.0f));
          store4(y + p * out_channels + 4 * v, out);
        }
      }
    }
  }
}

/* One output row, `width` pixels, channel blocks of 4·vectors, `pixels` at a time and the rest one by one. */
static inline __attribute__((always_inline)) void conv_row(const float* x, int pixel_step, int row_step, const float* w, int out_channels,
                                                           int filter_height, int taps_per_row, const float* bias, int activation, float* y,
                                                           int width, const int pixels, const int vectors) {
  for (int o = 0; o < out_channels; o += 4 * vectors) {
    const float* b = bias ? bias + o : 0;
    int ox = 0;
    for (; ox + pixels <= width; ox += pixels)
      conv_block(x + ox * pixel_step, pixel_step, row_step, w + o, out_channels, filter_height, taps_per_row, b, activation, y + ox * out_channels + o, pixels, vectors);
    for (; ox < width; ox++)
      conv_block(x + ox * pixel_step, pixel_step, row_step, w + o, out_channels, filter_height, taps_per_row, b, activation, y + ox * out_channels + o, 1, vectors);
  }
}

EXPORT(conv2d_forward)
void conv2d_forward(const float* xp, const float* w, const float* bias, float* y, int batch, int padded_height, int padded_width, int in_channels,
                    int out_height, int out_width, int out_channels, int filter_height, int filter_width, int stride_height, int stride_width,
                    int activation) {
  const int row_step = padded_width * in_channels;
  const int pixel_step = stride_width * in_channels;
  const int taps_per_row = filter_width * in_channels;
  for (int n = 0; n < batch; n++) {
    for (int oy = 0; oy < out_height; oy++) {
      const float* x = xp + (n * padded_height + oy * stride_height) * row_step;
      float* y_row = y + (n * out_height + oy) * out_width * out_channels;
      if (out_channels % 16 == 0)
        conv_row(x, pixel_step, row_step, w, out_channels, filter_height, taps_per_row, bias, activation, y_row, out_width, 2, 4);
      else if (out_channels % 8 == 0)
        conv_row(x, pixel_step, row_step, w, out_channels, filter_height, taps_per_row, bias, activation, y_row, out_width, 4, 2);
      else
        conv_row(x, pixel_step, row_step, w, out_channels, filter_height, taps_per_row, bias, activation, y_row, out_width, 4, 1);
    }
  }
}

/*
 * xp[n, y, x, c] = x[n, y − top, x − left, c], zero outside x: the padded
 * input conv2d_forward reads, [batch, padded_height, padded_width, C]. Rows
 * and columns past the input's far edge are zeros too; padding that is
 * negative on the far side (rows a strided convolution never reads) is cut.
 */
EXPORT(conv2d_pad)
void conv2d_pad(const float* x, float* xp, int batch, int height, int width, int channels, int padded_height, int padded_width, int top, int left) {
  const int row = padded_width * channels;
  for (int n = 0; n < batch; n++) {
    for (int py = 0; py < padded_height; py++) {
      float* out = xp + (n * padded_height + py) * row;
      const int iy = py - top;
      if (iy < 0 || iy >= height) {
        for (int k = 0; k < row; k++) out[k] = 0.0f;
        continue;
      }
      const float* in = x + (n * height + iy) * width * channels;
      const int copy_start = left * channels;
      int copy_end = (left + width) * channels;
      if (copy_end > row) copy_end = row;
      for (int k = 0; k < copy_start; k++) out[k] = 0.0f;
      for (int k = copy_start; k < copy_end; k++) out[k] = in[k - copy_start];
      for (int k = copy_end; k < row; k++) out[k] = 0.0f;
    }
  }
}
