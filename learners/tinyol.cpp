#include "learners/tinyol.hpp"

#include "learners/param_read.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tinyfleet {

std::vector<ParamSpec> TinyOlLearner::param_specs() {
  using T = ParamSpec::Type;
  return {
      {"features_out",
       T::Int,
       0,
       4096,
       0,
       {},
       "width of the frozen seeded random-projection+ReLU front end (0 = raw features)"},
      {"lr", T::Real, 1e-6, 10, 0.05, {}, "SGD learning rate of the trainable last layer"},
      {"l2", T::Real, 0, 1, 0, {}, "L2 weight decay of the last layer's weights"},
  };
}

TinyOlConfig TinyOlLearner::config_from(const Params& p) {
  TinyOlConfig c;
  c.features_out = learner_params::int_of(p, "features_out", 0, 4096);
  c.lr = learner_params::real_of(p, "lr", 1e-6, 10);
  c.l2 = learner_params::real_of(p, "l2", 0, 1);
  return c;
}

TinyOlLearner::TinyOlLearner(const TinyOlConfig& config, const StreamInfo& info, uint64_t seed)
    : cfg_(config), scaler_(info) {
  if (cfg_.features_out < 0) throw std::invalid_argument("tinyol: features_out must be >= 0");
  if (!(cfg_.lr > 0) || !(cfg_.l2 >= 0)) throw std::invalid_argument("tinyol: lr > 0, l2 >= 0");
  d_ = info.features;
  f_ = cfg_.features_out;
  din_ = f_ > 0 ? f_ : d_;
  classes_ = std::max(info.classes, 1);
  k_ = info.classes == 2 ? 1 : classes_;
  const std::size_t d = static_cast<std::size_t>(d_), F = static_cast<std::size_t>(f_),
                    D = static_cast<std::size_t>(din_), K = static_cast<std::size_t>(k_);
  proj_.assign(F * d + F, 0.f);
  SplitMix64 rng(seed);
  const double sigma = 1.0 / std::sqrt(static_cast<double>(std::max<std::size_t>(d, 1)));
  for (std::size_t i = 0; i < F * d; ++i)
    proj_[i] = static_cast<float>(sigma * standard_normal(rng));
  for (std::size_t i = 0; i < F; ++i)
    proj_[F * d + i] = static_cast<float>(rng.next_double() - 0.5);
  w_.assign(K * D + K, 0.f);
  xs_.assign(F > 0 ? d : 0, 0.f);  // the projection's input; unused without one
  a_.assign(D, 0.f);
  p_.assign(K, 0.f);
}

const float* TinyOlLearner::forward(const float* x, OpCounter& ops) {
  front_end(x, ops);
  return layer_forward(ops);
}

const float* TinyOlLearner::front_end(const float* x, OpCounter& ops) {
  const std::size_t d = static_cast<std::size_t>(d_), F = static_cast<std::size_t>(f_);
  if (F == 0) {
    scaler_.apply(x, a_.data(), ops);
  } else {
    scaler_.apply(x, xs_.data(), ops);
    const float* bias = proj_.data() + F * d;
    for (std::size_t i = 0; i < F; ++i) {
      float s = bias[i];
      const float* row = proj_.data() + i * d;
      for (std::size_t j = 0; j < d; ++j) s += row[j] * xs_[j];
      a_[i] = s > 0.f ? s : 0.f;
    }
    ops.add(Op::Fp32Mac, F * d);
    ops.add(Op::Load, 2 * F * d + F);
    ops.add(Op::Compare, F);
    ops.add(Op::Store, F);
  }
  return a_.data();
}

const float* TinyOlLearner::layer_forward(OpCounter& ops) {
  const std::size_t D = static_cast<std::size_t>(din_), K = static_cast<std::size_t>(k_);
  const float* bias = w_.data() + K * D;
  for (std::size_t k = 0; k < K; ++k) {
    float s = bias[k];
    const float* row = w_.data() + k * D;
    for (std::size_t j = 0; j < D; ++j) s += row[j] * a_[j];
    p_[k] = s;
  }
  ops.add(Op::Fp32Mac, K * D);
  ops.add(Op::Load, 2 * K * D + K);
  ops.add(Op::Store, K);
  apply_output(p_.data(), K, K == 1 && classes_ == 2, ops);
  return p_.data();
}

int TinyOlLearner::predict(const float* x, OpCounter& ops) {
  const float* p = forward(x, ops);
  confidence_ = output_confidence(p, static_cast<std::size_t>(k_), k_ == 1 && classes_ == 2);
  if (k_ == 1 && classes_ == 2) {
    ops.add(Op::Compare);
    return p[0] > 0.5f ? 1 : 0;
  }
  int best = 0;
  for (int k = 1; k < k_; ++k)
    if (p[k] > p[best]) best = k;
  ops.add(Op::Compare, static_cast<uint64_t>(k_ - 1));
  return best;
}

void TinyOlLearner::learn(const float* x, int y, uint64_t, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("tinyol: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  forward(x, ops);
  sgd_step(y, ops);
}

void TinyOlLearner::learn_latent(const float* a, int y, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("tinyol: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  if (a != a_.data()) std::copy(a, a + din_, a_.begin());  // a may be front_end()'s output
  layer_forward(ops);
  sgd_step(y, ops);
}

void TinyOlLearner::sgd_step(int y, OpCounter& ops) {
  const std::size_t D = static_cast<std::size_t>(din_), K = static_cast<std::size_t>(k_);
  const float lr = static_cast<float>(cfg_.lr), l2 = static_cast<float>(cfg_.l2);
  float* bias = w_.data() + K * D;
  for (std::size_t k = 0; k < K; ++k) {
    const float target =
        K == 1 && classes_ == 2 ? static_cast<float>(y) : (static_cast<int>(k) == y ? 1.f : 0.f);
    const float delta = p_[k] - target;
    float* row = w_.data() + k * D;
    if (l2 > 0.f) {
      for (std::size_t j = 0; j < D; ++j) row[j] -= lr * (delta * a_[j] + l2 * row[j]);
    } else {
      for (std::size_t j = 0; j < D; ++j) row[j] -= lr * delta * a_[j];
    }
    bias[k] -= lr * delta;
  }
  ops.add(Op::Fp32Mac, K + K * D * (l2 > 0.f ? 2 : 1) + K);
  ops.add(Op::Load, 3 * K * D + 2 * K);
  ops.add(Op::Store, K * D + K);
}

std::size_t TinyOlLearner::memory_bytes() const {
  return sizeof(float) * (w_.size() + proj_.size() + xs_.size() + a_.size() + p_.size()) +
         scaler_.memory_bytes() + kStateBytes;
}

}  // namespace tinyfleet
