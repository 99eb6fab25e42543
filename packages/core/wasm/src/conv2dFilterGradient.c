/*
 * Conv2DBackpropFilter, NHWC, output channels a multiple of 4:
 *   dw[i, j, c, o] = Σ_{n, y, x} x[n, y·sh + i − top, x·sw + j − left, c] · dy[n, y, x, o]
 * (positions outside the input are zero padding and add nothing), the sum
 * TensorFlow's kernel computes. One output row of dy at a time (a few KB,
 * kept in L1) is multiplied into every filter tap, with 32 or 16 output
 * channels of dw held in registers across the row, so dy is read from memory
 * once instead of once per tap, and no padded or transposed copies are made.
 * Each image's sum is formed in `partial` (scratch, as large as dw) and then
 * added to dw, so rounding grows with one image's positions, not the batch's
 * (the max error on W1's [64,20,16,16] layer is below the composed kernel's).
 */
#include "simd.h"

/* dw_row[0, 4·vectors) += Σ_x x[x·x_step] · dy[x·dy_step + ...]; vectors is a constant after inlining. */
static inline __attribute__((always_inline)) void accumulate_row(float* dw_row, const float* x, int x_step, const float* dy, int dy_step, int count, const int vectors) {
  f32x4 acc[8];
#pragma clang loop unroll(full)
  for (int v = 0; v < 8; v++)
    if (v < vectors) acc[v] = load4(dw_row + 4 * v);
  for (int k = 0; k < count; k++) {
    const f32x4 value = splat(x[k * x_step]);
    const float* g = dy + k * dy_step;
#pragma clang loop unroll(full)
    for (int v = 0; v < 8; v++)
      if (v < vectors) acc[v] = add(acc[v], mul(value, load4(g + 4 * v)));
  }
#pragma clang loop unroll(full)
  for (int v = 0; v < 8; v++)
    if (v < vectors) store4(dw_row + 4 * v, acc[v]);
}

EXPORT(conv2d_filter_gradient)
void conv2d_filter_gradient(const float* x, const float* dy, float* dw, float* partial, int batch, int in_height, int in_width, int in_channels,
                            int out_height, int out_width, int out_channels, int filter_height, int filter_width,
                            int stride_height, int stride_width, int pad_top, int pad_left) {
  const int taps = filter_height * filter_width * in_channels * out_channels;
  for (int i = 0; i < taps; i += 4) store4(dw + i, splat(0.0f));
  for (int n = 0; n < batch; n++) {
    for (int i = 0; i < taps; i += 4) store4(partial + i, splat(0.0f));
    for (int oy = 0; oy < out_height; oy++) {
      const float* dy_row = dy + (n * out_height + oy) * out_width * out_channels;
      for (int i = 0; i < filter_height; i++) {
        const int iy = oy * stride_height + i - pad_top;
        if (iy < 0 || iy >= in_height) continue;
        const float* x_row = x + (n * in_height + iy) * in_width * in_channels;
        for (int j = 0; j < filter_width; j++) {
          /* the output columns whose input column ox·sw + j − left lies inside the row */
          int first = 0;
          while (first < out_width && first * stride_width + j - pad_left < 0) first++;
          int end = out_width;
          while (end > first && (end - 1) * stride_width + j - pad_left >= in_width) end--;
          if (end <= first) continue;
          const int count = end - first;
          const float* x_start = x_row + (first * stride_width + j - pad_left) * in_channels;
          const int x_step = stride_width * in_channels;
          const float* g = dy_row + first * out_channels;
          for (int c = 0; c < in_channels; c++) {
            float* dw_row = partial + ((i * filter_width + j) * in_channels + c) * out_channels;
            int o = 0;
            for (; o + 32 <= out_channels; o += 32) accumulate_row(dw_row + o, x_start + c, x_step, g + o, out_channels, count, 8);
            for (; o + 16 <= out_channels; o += 16) accumulate_row(dw_row + o, x_start + c, x_step, g + o, out_channels, count, 4);
            for (; o < out_channels; o += 4) accumulate_row(dw_row + o, x_start + c, x_step, g + o, out_channels, count, 1);
          }
        }
      }
    }
    for (int i = 0; i < taps; i += 4) store4(dw + i, add(load4(dw + i), load4(partial + i)));
  }
}
