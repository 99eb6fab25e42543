/*
 * The whole recurrence of core's FusedGru (PyTorch's GRU equations, gate
 * order r, z, n) and its backward pass through time, each in one call, so a
 * 32-step sequence costs two calls instead of 64 matMul kernels plus gate
 * arithmetic in JavaScript. Same layouts and rules as the JavaScript path in
 * src/layers/fusedGru.ts, which documents them; units a multiple of 4.
 */
#include "product.h"

static inline void copy(float* to, const float* from, int n) {
  for (int i = 0; i < n; i += 4) store4(to + i, load4(from + i));
}

static inline void zero(float* to, int n) {
  for (int i = 0; i < n; i += 4) store4(to + i, splat(0.0f));
}

/*
 * xp [B·T, 3H]: x·W + b_i of every step (rows b·T + t). Writes r, z, n,
 * hn = h·U_n + b_hn and the previous state, rows b·T + t, for the backward
 * pass, and the output: the last state [B, H] or every state [B, T, H].
 * h, h_next [B, H] and hp [B, 3H] are scratch. mask [B·T] (0 = padding) or 0.
 */
EXPORT(gru_forward)
void gru_forward(const float* xp, const float* u, const float* bh, const float* mask, float* h, float* h_next, float* hp,
                 float* r_saved, float* z_saved, float* n_saved, float* hn_saved, float* h_prev, float* out,
                 int batch, int steps, int units, int go_backwards, int return_sequences, int time_order) {
  const int gates = 3 * units;
  zero(h, batch * units);
  for (int s = 0; s < steps; s++) {
    const int t = go_backwards ? steps - 1 - s : s;
    if (s == 0) zero(hp, batch * gates);
    else product(h, u, hp, batch, units, gates, 0);
    for (int b = 0; b < batch; b++) {
      const int row = b * steps + t;
      const int h_off = b * units, s_off = row * units;
      copy(h_prev + s_off, h + h_off, units);
      if (mask && mask[row] == 0.0f) {
        copy(h_next + h_off, h + h_off, units);
      } else {
        const float* x_row = xp + row * gates;
        const float* p_row = hp + b * gates;
        for (int j = 0; j < units; j += 4) {
          const f32x4 r = sigmoid4(add(add(load4(x_row + j), load4(p_row + j)), load4(bh + j)));
          const f32x4 z = sigmoid4(add(add(load4(x_row + units + j), load4(p_row + units + j)), load4(bh + units + j)));
          const f32x4 hn = add(load4(p_row + 2 * units + j), load4(bh + 2 * units + j));
          const f32x4 n = tanh4(add(load4(x_row + 2 * units + j), mul(r, hn)));
          store4(r_saved + s_off + j, r);
          store4(z_saved + s_off + j, z);
          store4(n_saved + s_off + j, n);
          store4(hn_saved + s_off + j, hn);
          store4(h_next + h_off + j, add(mul(sub(splat(1.0f), z), n), mul(z, load4(h + h_off + j))));
        }
      }
      if (return_sequences) copy(out + (b * steps + (time_order ? t : s)) * units, h_next + h_off, units);
    }
    float* swap = h;
    h = h_next;
    h_next = swap;
  }
  if (!return_sequences) copy(out, h, batch * units);
}

/*
 * dy: [B, H] (last state) or [B, T, H]; ut = Uᵀ [3H, H]. Writes
 * d_input = d(x·W + b_i) and d_recurrent = d(h·U + b_h), [B·T, 3H] each
 * (rows b·T + t; zero at masked steps). dh, dh_prev [B, H] and
 * step_grad [B, 3H] are scratch.
 */
EXPORT(gru_backward)
void gru_backward(const float* dy, const float* ut, const float* mask, const float* r_saved, const float* z_saved,
                  const float* n_saved, const float* hn_saved, const float* h_prev, float* d_input, float* d_recurrent,
                  float* dh, float* dh_prev, float* step_grad, int batch, int steps, int units, int go_backwards,
                  int return_sequences, int time_order) {
  const int gates = 3 * units;
  if (return_sequences) zero(dh, batch * units);
  else copy(dh, dy, batch * units);
  for (int s = steps - 1; s >= 0; s--) {
    const int t = go_backwards ? steps - 1 - s : s;
    for (int b = 0; b < batch; b++) {
      const int h_off = b * units, row = b * steps + t, g_off = b * gates;
      if (return_sequences) {
        const float* y_row = dy + (b * steps + (time_order ? t : s)) * units;
        for (int j = 0; j < units; j += 4) store4(dh + h_off + j, add(load4(dh + h_off + j), load4(y_row + j)));
      }
      float* in_row = d_input + row * gates;
      float* rec_row = d_recurrent + row * gates;
      if (mask && mask[row] == 0.0f) {
        zero(step_grad + g_off, gates);
        zero(in_row, gates);
        zero(rec_row, gates);
        copy(dh_prev + h_off, dh + h_off, units);
        continue;
      }
      const int s_off = row * units;
      for (int j = 0; j < units; j += 4) {
        const f32x4 g = load4(dh + h_off + j);
        const f32x4 r = load4(r_saved + s_off + j), z = load4(z_saved + s_off + j), n = load4(n_saved + s_off + j);
        const f32x4 one = splat(1.0f);
        const f32x4 dn = mul(mul(g, sub(one, z)), sub(one, mul(n, n)));
        const f32x4 dz = mul(mul(mul(g, sub(load4(h_prev + s_off + j), n)), z), sub(one, z));
        const f32x4 dr = mul(mul(mul(dn, load4(hn_saved + s_off + j)), r), sub(one, r));
        store4(in_row + j, dr);
        store4(in_row + units + j, dz);
        store4(in_row + 2 * units + j, dn);
        store4(rec_row + j, dr);
        store4(rec_row + units + j, dz);
        store4(rec_row + 2 * units + j, mul(dn, r));
        store4(step_grad + g_off + j, dr);
        store4(step_grad + g_off + units + j, dz);
        store4(step_grad + g_off + 2 * units + j, mul(dn, r));
        store4(dh_prev + h_off + j, mul(g, z));
      }
    }
    if (s > 0) product(step_grad, ut, dh_prev, batch, gates, units, 1);
    float* swap = dh;
    dh = dh_prev;
    dh_prev = swap;
  }
}
