/*
 * The whole recurrence of core's FusedLstm (PyTorch's LSTM equations, gate
 * order i, f, g, o) and its backward pass through time, each in one call, so
 * a 32-step sequence costs two calls instead of 64 matMul kernels plus gate
 * arithmetic in JavaScript. Same layouts and rules as the JavaScript path in
 * src/layers/fusedLstm.ts, which documents them; units a multiple of 4.
 */
#include "product.h"

static inline void copy(float* to, const float* from, int n) {
  for (int i = 0; i < n; i += 4) store4(to + i, load4(from + i));
}

static inline void zero(float* to, int n) {
  for (int i = 0; i < n; i += 4) store4(to + i, splat(0.0f));
}

/*
 * xp [B·T, 4H]: x·W + b_i of every step (rows b·T + t). h0, c0 [B, H] or 0
 * (zeros). Writes the gates i, f, g, o [B·T, 4H], the previous c, tanh of the
 * new c and the previous h ([B·T, H] each; rows b·T + t, masked rows only
 * the previous h) for the backward pass, and the output: the last h [B, H]
 * or every h [B, T, H]. h, c [B, H] and hp [B, 4H] are scratch (h and c are
 * updated in place: hp = h·U is taken before the gates read them).
 * mask [B·T] (0 = padding) or 0.
 */
EXPORT(lstm_forward)
void lstm_forward(const float* xp, const float* u, const float* bh, const float* mask, const float* h0, const float* c0,
                  float* h, float* c, float* hp, float* gates_saved, float* c_prev, float* tanh_c, float* h_prev,
                  float* out, int batch, int steps, int units, int go_backwards, int return_sequences, int time_order) {
  const int gates = 4 * units;
  if (h0) copy(h, h0, batch * units);
  else zero(h, batch * units);
  if (c0) copy(c, c0, batch * units);
  else zero(c, batch * units);
  for (int s = 0; s < steps; s++) {
    const int t = go_backwards ? steps - 1 - s : s;
    if (s == 0 && !h0) zero(hp, batch * gates);
    else product(h, u, hp, batch, units, gates, 0);
    for (int b = 0; b < batch; b++) {
      const int row = b * steps + t;
      const int h_off = b * units, s_off = row * units;
      copy(h_prev + s_off, h + h_off, units);
      if (!mask || mask[row] != 0.0f) {
        copy(c_prev + s_off, c + h_off, units);
        const float* x_row = xp + row * gates;
        const float* p_row = hp + b * gates;
        float* g_row = gates_saved + row * gates;
        for (int j = 0; j < units; j += 4) {
          const f32x4 i = sigmoid4(add(add(load4(x_row + j), load4(p_row + j)), load4(bh + j)));
          const f32x4 f = sigmoid4(add(add(load4(x_row + units + j), load4(p_row + units + j)), load4(bh + units + j)));
          const f32x4 g = tanh4(add(add(load4(x_row + 2 * units + j), load4(p_row + 2 * units + j)), load4(bh + 2 * units + j)));
          const f32x4 o = sigmoid4(add(add(load4(x_row + 3 * units + j), load4(p_row + 3 * units + j)), load4(bh + 3 * units + j)));
          const f32x4 c_next = add(mul(f, load4(c + h_off + j)), mul(i, g));
          const f32x4 tc = tanh4(c_next);
          store4(g_row + j, i);
          store4(g_row + units + j, f);
          store4(g_row + 2 * units + j, g);
          store4(g_row + 3 * units + j, o);
          store4(tanh_c + s_off + j, tc);
          store4(c + h_off + j, c_next);
          store4(h + h_off + j, mul(o, tc));
        }
      }
      if (return_sequences) copy(out + (b * steps + (time_order ? t : s)) * units, h + h_off, units);
    }
  }
  if (!return_sequences) copy(out, h, batch * units);
}

/*
 * dy: [B, H] (last h) or [B, T, H]; ut = Uᵀ [4H, H]. Writes d_gates =
 * d(x·W + b_i + h·U + b_h) [B·T, 4H] (rows b·T + t; zero at masked steps),
 * the gradient of both products and both biases. dh, dc [B, H] and
 * step_grad [B, 4H] are scratch; with initial_state, dh and dc end as the
 * gradients of h0 and c0.
 */
EXPORT(lstm_backward)
void lstm_backward(const float* dy, const float* ut, const float* mask, const float* gates_saved, const float* c_prev,
                   const float* tanh_c, float* d_gates, float* dh, float* dc, float* step_grad, int batch, int steps,
                   int units, int go_backwards, int return_sequences, int time_order, int initial_state) {
  const int gates = 4 * units;
  if (return_sequences) zero(dh, batch * units);
  else copy(dh, dy, batch * units);
  zero(dc, batch * units);
  const f32x4 one = splat(1.0f);
  for (int s = steps - 1; s >= 0; s--) {
    const int t = go_backwards ? steps - 1 - s : s;
    for (int b = 0; b < batch; b++) {
      const int h_off = b * units, row = b * steps + t, g_off = b * gates;
      if (return_sequences) {
        const float* y_row = dy + (b * steps + (time_order ? t : s)) * units;
        for (int j = 0; j < units; j += 4) store4(dh + h_off + j, add(load4(dh + h_off + j), load4(y_row + j)));
      }
      float* d_row = d_gates + row * gates;
      if (mask && mask[row] == 0.0f) {
        /* h and c were carried through this step: so are dh and dc. */
        zero(step_grad + g_off, gates);
        zero(d_row, gates);
        continue;
      }
      const float* g_row = gates_saved + row * gates;
      const int s_off = row * units;
      for (int j = 0; j < units; j += 4) {
        const f32x4 i = load4(g_row + j), f = load4(g_row + units + j);
        const f32x4 g = load4(g_row + 2 * units + j), o = load4(g_row + 3 * units + j);
        const f32x4 tc = load4(tanh_c + s_off + j);
        const f32x4 dhj = load4(dh + h_off + j);
        const f32x4 dc_total = add(load4(dc + h_off + j), mul(mul(dhj, o), sub(one, mul(tc, tc))));
        const f32x4 di = mul(mul(mul(dc_total, g), i), sub(one, i));
        const f32x4 df = mul(mul(mul(dc_total, load4(c_prev + s_off + j)), f), sub(one, f));
        const f32x4 dg = mul(mul(dc_total, i), sub(one, mul(g, g)));
        const f32x4 d_out = mul(mul(mul(dhj, tc), o), sub(one, o));
        store4(d_row + j, di);
        store4(d_row + units + j, df);
        store4(d_row + 2 * units + j, dg);
        store4(d_row + 3 * units + j, d_out);
        store4(step_grad + g_off + j, di);
        store4(step_grad + g_off + units + j, df);
        store4(step_grad + g_off + 2 * units + j, dg);
        store4(step_grad + g_off + 3 * units + j, d_out);
        store4(dc + h_off + j, mul(dc_total, f));
        store4(dh + h_off + j, splat(0.0f)); /* its part through h·U is added below */
      }
    }
    if (s > 0 || initial_state) product(step_grad, ut, dh, batch, gates, units, 1);
  }
}
