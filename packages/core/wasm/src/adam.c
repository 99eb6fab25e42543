/*
 * One Adam step over n floats, torch.optim.Adam's update (1.13, amsgrad off)
 * with the float32 operations in the order of @polyfuse/trainer's Adam, so
 * the values are that update's to the bit (adamStepSimd.test.ts):
 *   mode 1 (L2):      g = g + p·wd
 *   mode 2 (AdamW):   p = p·(1 − lr·wd)
 *   m' = m·β1 + g·(1 − β1)          (m = 0 and v = 0 when null: the first step)
 *   v' = v·β2 + (g·g)·(1 − β2)
 *   p' = p − (m' / (sqrt(v' / bc2) + ε))·(lr / bc1)
 * One pass instead of about 12 kernels per variable, each reading and
 * writing the whole tensor. Constants arrive already rounded to float32,
 * as the scalars of the tensor ops are.
 */
#include "simd.h"

EXPORT(adam_step)
void adam_step(const float* p, const float* g, const float* m, const float* v, float* p_out, float* m_out, float* v_out, int n,
               float beta1, float one_minus_beta1, float beta2, float one_minus_beta2, float bias_correction2, float epsilon,
               float step_size, float decay, int mode) {
  const f32x4 b1 = splat(beta1), c1 = splat(one_minus_beta1), b2 = splat(beta2), c2 = splat(one_minus_beta2);
  const f32x4 bc2 = splat(bias_correction2), eps = splat(epsilon), size = splat(step_size), wd = splat(decay);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    f32x4 pv = load4(p + i), gv = load4(g + i);
    if (mode == 1) gv = add(gv, mul(pv, wd));
    else if (mode == 2) pv = mul(pv, wd);
    const f32x4 mv = add(m ? mul(load4(m + i), b1) : splat(0.0f), mul(gv, c1));
    const f32x4 vv = add(v ? mul(load4(v + i), b2) : splat(0.0f), mul(mul(gv, gv), c2));
    const f32x4 denominator = add(wasm_f32x4_sqrt(wasm_f32x4_div(vv, bc2)), eps);
    store4(m_out + i, mv);
    store4(v_out + i, vv);
    store4(p_out + i, sub(pv, mul(wasm_f32x4_div(mv, denominator), size)));
  }
  for (; i < n; i++) {
    float pv = p[i], gv = g[i];
    if (mode == 1) gv = gv + pv * decay;
    else if (mode == 2) pv = pv * decay;
    const float mv = (m ? m[i] * beta1 : 0.0f) + gv * one_minus_beta1;
    const float vv = (v ? v[i] * beta2 : 0.0f) + (gv * gv) * one_minus_beta2;
    const float denominator = __builtin_sqrtf(vv / bias_correction2) + epsilon;
    m_out[i] = mv;
    v_out[i] = vv;
    p_out[i] = pv - (mv / denominator) * step_size;
  }
}
