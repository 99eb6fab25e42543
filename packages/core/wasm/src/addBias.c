/*
 * out[r, c] = x[r, c] + bias[c] for a row-major [rows, channels] x, channels
 * a multiple of 4: a conv or dense layer's bias, which tfjs adds as a
 * separate broadcasting Add while training (its fused conv is only used
 * without gradients), where the backend's generic kernel computes a
 * broadcast index per element.
 */
#include "simd.h"

EXPORT(add_bias)
void add_bias(const float* x, const float* bias, float* out, int rows, int channels) {
  for (int r = 0; r < rows; r++) {
    const float* row = x + r * channels;
    float* to = out + r * channels;
    for (int c = 0; c < channels; c += 4) store4(to + c, add(load4(row + c), load4(bias + c)));
  }
}
