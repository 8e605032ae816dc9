#include "learners/mlp_float.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tinyfleet {

MinMaxScaler::MinMaxScaler(const StreamInfo& info) {
  if (info.features < 0 || info.lo.size() != static_cast<std::size_t>(info.features) ||
      info.hi.size() != static_cast<std::size_t>(info.features))
    throw std::invalid_argument("StreamInfo lo/hi must have one value per feature");
  const std::size_t d = static_cast<std::size_t>(info.features);
  lo_.resize(d);
  scale_.resize(d);
  for (std::size_t j = 0; j < d; ++j) {
    const float lo = info.lo[j], span = info.hi[j] - info.lo[j];
    const bool ok = std::isfinite(lo) && std::isfinite(span) && span > 0.f;
    lo_[j] = ok ? lo : 0.f;
    scale_[j] = ok ? 1.f / span : 0.f;  // degenerate range: the feature carries nothing
  }
}

void MinMaxScaler::apply(const float* x, float* out, OpCounter& ops) const {
  const std::size_t d = lo_.size();
  for (std::size_t j = 0; j < d; ++j) {
    const float v = (x[j] - lo_[j]) * scale_[j];
    out[j] = std::isfinite(v) ? v : 0.f;  // NaN/inf inputs must not poison the model
  }
  ops.add(Op::Fp32Mac, d);
  ops.add(Op::Load, 2 * d);
  ops.add(Op::Store, d);
}

double standard_normal(SplitMix64& rng) {
  // Box–Muller; 1 − u keeps the log argument in (0, 1].
  const double u1 = 1.0 - rng.next_double();
  const double u2 = rng.next_double();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

FloatMlp::FloatMlp(int in, int hidden, int out, float lr, uint64_t seed)
    : in_(in), hidden_(hidden), out_(out), lr_(lr) {
  if (in < 0 || hidden < 1 || out < 1) throw std::invalid_argument("mlp: bad layer sizes");
  if (!(lr > 0.f) || !std::isfinite(lr)) throw std::invalid_argument("mlp: lr must be > 0");
  const std::size_t H = static_cast<std::size_t>(hidden), K = static_cast<std::size_t>(out),
                    D = static_cast<std::size_t>(in);
  const std::size_t n = H * D + H + K * H + K;
  theta_.assign(n, 0.f);
  g_.assign(n, 0.f);
  m_.assign(n, 0.f);
  v_.assign(n, 0.f);
  a_.assign(H, 0.f);
  h_.assign(H, 0.f);
  dh_.assign(H, 0.f);
  p_.assign(K, 0.f);
  dout_.assign(K, 0.f);

  // He-normal truncated at 2σ, biases zero (see the header).
  SplitMix64 rng(seed);
  auto he = [&rng](float* w, std::size_t count, std::size_t fan_in) {
    const double sigma = std::sqrt(2.0 / static_cast<double>(std::max<std::size_t>(fan_in, 1)));
    for (std::size_t i = 0; i < count; ++i) {
      double z;
      do z = standard_normal(rng);
      while (std::fabs(z) > 2.0);
      w[i] = static_cast<float>(sigma * z);
    }
  };
  he(theta_.data(), H * D, D);
  he(theta_.data() + w2_offset(), K * H, H);
}

const float* FloatMlp::forward(const float* x, OpCounter& ops) {
  const std::size_t H = static_cast<std::size_t>(hidden_), K = static_cast<std::size_t>(out_),
                    D = static_cast<std::size_t>(in_);
  const float* w1 = theta_.data();
  const float* b1 = w1 + H * D;
  const float* w2 = theta_.data() + w2_offset();
  const float* b2 = w2 + K * H;
  for (std::size_t j = 0; j < H; ++j) {
    float s = b1[j];
    const float* row = w1 + j * D;
    for (std::size_t i = 0; i < D; ++i) s += row[i] * x[i];
    a_[j] = s;
    h_[j] = s > 0.f ? s : kLeak * s;
  }
  for (std::size_t k = 0; k < K; ++k) {
    float s = b2[k];
    const float* row = w2 + k * H;
    for (std::size_t j = 0; j < H; ++j) s += row[j] * h_[j];
    p_[k] = s;  // logits for now
  }
  ops.add(Op::Fp32Mac, D * H + H + H * K);
  ops.add(Op::Load, 2 * D * H + H + 2 * H * K + K);
  ops.add(Op::Store, H + H + K);
  ops.add(Op::Compare, H);
  apply_output(p_.data(), K, K == 1, ops);
  return p_.data();
}

int FloatMlp::predict(const float* x, OpCounter& ops) {
  const float* p = forward(x, ops);
  if (out_ == 1) {
    ops.add(Op::Compare);
    return p[0] > 0.5f ? 1 : 0;
  }
  int best = 0;
  for (int k = 1; k < out_; ++k)
    if (p[k] > p[best]) best = k;
  ops.add(Op::Compare, static_cast<uint64_t>(out_ - 1));
  return best;
}

void FloatMlp::zero_grad(OpCounter& ops) {
  std::fill(g_.begin(), g_.end(), 0.f);
  ops.add(Op::Store, g_.size());
}

void FloatMlp::accumulate(const float* x, int y, float scale, OpCounter& ops) {
  forward(x, ops);
  const std::size_t H = static_cast<std::size_t>(hidden_), K = static_cast<std::size_t>(out_),
                    D = static_cast<std::size_t>(in_);
  // Output error of the fused sigmoid+BCE / softmax+CE: p − y, times 1/n.
  for (std::size_t k = 0; k < K; ++k) {
    const float target = K == 1 ? static_cast<float>(y) : (static_cast<int>(k) == y ? 1.f : 0.f);
    dout_[k] = (p_[k] - target) * scale;
  }
  const float* w2 = theta_.data() + w2_offset();
  float* gw1 = g_.data();
  float* gb1 = gw1 + H * D;
  float* gw2 = g_.data() + w2_offset();
  float* gb2 = gw2 + K * H;
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < H; ++j) gw2[k * H + j] += dout_[k] * h_[j];
    gb2[k] += dout_[k];
  }
  for (std::size_t j = 0; j < H; ++j) {
    float s = 0.f;
    for (std::size_t k = 0; k < K; ++k) s += w2[k * H + j] * dout_[k];
    dh_[j] = a_[j] > 0.f ? s : kLeak * s;
  }
  for (std::size_t j = 0; j < H; ++j) {
    for (std::size_t i = 0; i < D; ++i) gw1[j * D + i] += dh_[j] * x[i];
    gb1[j] += dh_[j];
  }
  const uint64_t grad_macs = H * K + K + H * D + H;
  ops.add(Op::Fp32Mac, K + grad_macs + H * K + H);
  ops.add(Op::Load, 3 * grad_macs + 2 * H * K);
  ops.add(Op::Store, K + grad_macs + H);
  ops.add(Op::Compare, H);
}

void FloatMlp::adam_step(OpCounter& ops) {
  ++t_;
  b1t_ *= kBeta1;
  b2t_ *= kBeta2;
  const float lr_t = lr_ * std::sqrt(1.f - b2t_) / (1.f - b1t_);
  const std::size_t n = theta_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const float g = g_[i];
    m_[i] = kBeta1 * m_[i] + (1.f - kBeta1) * g;
    v_[i] = kBeta2 * v_[i] + (1.f - kBeta2) * g * g;
    theta_[i] -= lr_t * m_[i] / (std::sqrt(v_[i]) + kEps);
  }
  ops.add(Op::Fp32Mac, 3 + 7 * n);
  ops.add(Op::Div, 2 + 2 * n);
  ops.add(Op::Load, 4 * n);
  ops.add(Op::Store, 3 * n);
}

void FloatMlp::sgd_step(float lr, float momentum, std::size_t begin, std::size_t end,
                        OpCounter& ops) {
  end = std::min(end, theta_.size());
  for (std::size_t i = begin; i < end; ++i) {
    m_[i] = momentum * m_[i] + g_[i];
    theta_[i] -= lr * m_[i];
  }
  const uint64_t n = end > begin ? end - begin : 0;
  ops.add(Op::Fp32Mac, 2 * n);
  ops.add(Op::Load, 3 * n);
  ops.add(Op::Store, 2 * n);
}

void FloatMlp::reset_momentum(OpCounter& ops) {
  std::fill(m_.begin(), m_.end(), 0.f);
  ops.add(Op::Store, m_.size());
}

void apply_output(float* p, std::size_t k, bool sigmoid, OpCounter& ops) {
  if (sigmoid) {
    p[0] = 1.f / (1.f + std::exp(-p[0]));
    ops.add(Op::Fp32Mac, kExpFp32Macs + 1);
    ops.add(Op::Div);
    return;
  }
  float mx = p[0];
  for (std::size_t i = 1; i < k; ++i) mx = std::max(mx, p[i]);
  float sum = 0.f;
  for (std::size_t i = 0; i < k; ++i) {
    p[i] = std::exp(p[i] - mx);
    sum += p[i];
  }
  const float inv = 1.f / sum;
  for (std::size_t i = 0; i < k; ++i) p[i] *= inv;
  ops.add(Op::Compare, k - 1);
  ops.add(Op::Fp32Mac, k * kExpFp32Macs + 2 * k);
  ops.add(Op::Div);
}

std::size_t FloatMlp::memory_bytes() const {
  const std::size_t H = static_cast<std::size_t>(hidden_), K = static_cast<std::size_t>(out_);
  return sizeof(float) * (4 * theta_.size() + 3 * H + 2 * K) + sizeof(uint32_t) + 3 * sizeof(float);
}

double output_confidence(const float* p, std::size_t k, bool sigmoid) {
  if (sigmoid) return std::max(static_cast<double>(p[0]), 1.0 - static_cast<double>(p[0]));
  double best = k > 0 ? static_cast<double>(p[0]) : 1.0;
  for (std::size_t c = 1; c < k; ++c) best = std::max(best, static_cast<double>(p[c]));
  return best;
}

}  // namespace tinyfleet
