#include "learners/tybox.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "learners/param_read.hpp"
#include "learners/pretrain.hpp"

namespace tinyfleet {

std::vector<ParamSpec> TyBoxLearner::param_specs() {
  using T = ParamSpec::Type;
  return {
      {"features_out",
       T::Int,
       1,
       4096,
       200,
       {},
       "feature vector length: width of the frozen extractor layer (TyBox E2: 200)"},
      {"buffer", T::Int, 1, 100000, 230, {}, "labelled feature vectors kept (FIFO; TyBox E2: 230)"},
      {"lr", T::Real, 1e-6, 10, 0.05, {}, "SGD learning rate of the head on the device"},
      {"epochs", T::Int, 1, 100, 1, {}, "passes of head SGD over the buffer per label"},
      {"pretrain_lr",
       T::Real,
       1e-6,
       10,
       0.01,
       {},
       "Adam learning rate of the factory pre-training (learner.pretrain)"},
      {"batch", T::Int, 1, 4096, 32, {}, "minibatch of the factory pre-training"},
      {"update",
       T::Choice,
       0,
       0,
       0,
       {"always", "on_detection"},
       "always: passive, every label retrains the head; on_detection: active-only, frozen "
       "while the buffer is full, an alarm of the detector flushes it and the next labels "
       "refill it"},
  };
}

TyBoxConfig TyBoxLearner::config_from(const Params& p) {
  TyBoxConfig c;
  c.features_out = static_cast<int>(learner_params::int_of(p, "features_out", 1, 4096));
  c.buffer = static_cast<int>(learner_params::int_of(p, "buffer", 1, 100000));
  c.lr = learner_params::real_of(p, "lr", 1e-6, 10);
  c.epochs = static_cast<int>(learner_params::int_of(p, "epochs", 1, 100));
  c.pretrain_lr = learner_params::real_of(p, "pretrain_lr", 1e-6, 10);
  c.batch = static_cast<int>(learner_params::int_of(p, "batch", 1, 4096));
  c.update = learner_params::choice_of(p, "update", {"always", "on_detection"}) == "always"
                 ? TyBoxUpdate::Always
                 : TyBoxUpdate::OnDetection;
  return c;
}

namespace {
int head_outputs(const StreamInfo& info) {
  return info.classes == 2 ? 1 : std::max(info.classes, 1);
}
}  // namespace

TyBoxLearner::TyBoxLearner(const TyBoxConfig& config, const StreamInfo& info, uint64_t seed)
    : cfg_(config),
      d_(info.features),
      f_(config.features_out),
      k_(head_outputs(info)),
      classes_(std::max(info.classes, 1)),
      sigmoid_(info.classes == 2),
      scaler_(info),
      mlp_(info.features, config.features_out, head_outputs(info),
           static_cast<float>(config.pretrain_lr), seed) {
  if (cfg_.buffer < 1 || cfg_.epochs < 1 || cfg_.batch < 1 || !(cfg_.lr > 0))
    throw std::invalid_argument("tybox: buffer, epochs, batch >= 1 and lr > 0");
  const std::size_t F = static_cast<std::size_t>(f_), B = static_cast<std::size_t>(cfg_.buffer);
  xs_.assign(static_cast<std::size_t>(d_), 0.f);
  feat_.assign(F, 0.f);
  p_.assign(static_cast<std::size_t>(k_), 0.f);
  buf_f_.assign(B * F, 0.f);
  buf_y_.assign(B, 0);
}

int TyBoxLearner::predict(const float* x, OpCounter& ops) {
  scaler_.apply(x, xs_.data(), ops);
  const float* p = mlp_.forward(xs_.data(), ops);
  confidence_ = mlp_.confidence();
  if (sigmoid_) {
    ops.add(Op::Compare);
    return p[0] > 0.5f ? 1 : 0;
  }
  int best = 0;
  for (int k = 1; k < k_; ++k)
    if (p[k] > p[best]) best = k;
  ops.add(Op::Compare, static_cast<uint64_t>(k_ - 1));
  return best;
}

void TyBoxLearner::extract(const float* x, float* f, OpCounter& ops) {
  scaler_.apply(x, xs_.data(), ops);
  const std::size_t D = static_cast<std::size_t>(d_), F = static_cast<std::size_t>(f_);
  const float* w1 = mlp_.theta().data();
  const float* b1 = w1 + F * D;
  for (std::size_t j = 0; j < F; ++j) {
    float s = b1[j];
    const float* row = w1 + j * D;
    for (std::size_t i = 0; i < D; ++i) s += row[i] * xs_[i];
    f[j] = s > 0.f ? s : FloatMlp::kLeak * s;
  }
  ops.add(Op::Fp32Mac, F * D + F);
  ops.add(Op::Load, 2 * F * D + F);
  ops.add(Op::Store, 2 * F);
  ops.add(Op::Compare, F);
}

void TyBoxLearner::push(const float* f, int y, OpCounter& ops) {
  const std::size_t F = static_cast<std::size_t>(f_), B = buf_y_.size();
  const std::size_t s = size_ < B ? slot(size_) : head_;
  std::copy(f, f + F, buf_f_.begin() + static_cast<std::ptrdiff_t>(s * F));
  buf_y_[s] = static_cast<int16_t>(y);
  if (size_ < B)
    ++size_;
  else
    head_ = (head_ + 1) % B;
  ops.add(Op::Load, F);
  ops.add(Op::Store, F + 1);
  ops.add(Op::Add);
}

void TyBoxLearner::retrain_head(OpCounter& ops) {
  const std::size_t F = static_cast<std::size_t>(f_), K = static_cast<std::size_t>(k_);
  float* w2 = mlp_.theta().data() + F * static_cast<std::size_t>(d_) + F;
  float* b2 = w2 + K * F;
  const float lr = static_cast<float>(cfg_.lr);
  for (int e = 0; e < cfg_.epochs; ++e) {
    for (std::size_t i = 0; i < size_; ++i) {
      const float* f = buf_f_.data() + slot(i) * F;
      const int y = buf_y_[slot(i)];
      for (std::size_t k = 0; k < K; ++k) {
        float s = b2[k];
        const float* row = w2 + k * F;
        for (std::size_t j = 0; j < F; ++j) s += row[j] * f[j];
        p_[k] = s;
      }
      apply_output(p_.data(), K, sigmoid_, ops);
      for (std::size_t k = 0; k < K; ++k) {
        const float target =
            sigmoid_ ? static_cast<float>(y) : (static_cast<int>(k) == y ? 1.f : 0.f);
        const float step = lr * (p_[k] - target);
        float* row = w2 + k * F;
        for (std::size_t j = 0; j < F; ++j) row[j] -= step * f[j];
        b2[k] -= step;
      }
    }
  }
  const uint64_t n = static_cast<uint64_t>(cfg_.epochs) * size_;
  ops.add(Op::Fp32Mac, n * (K * F + K + K * F + K));
  ops.add(Op::Load, n * (2 * K * F + K + 3 * K * F + 2 * K));
  ops.add(Op::Store, n * (K + K * F + K));
}

void TyBoxLearner::learn(const float* x, int y, uint64_t, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("tybox: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  ops.add(Op::Compare);  // still learning?
  if (!learning()) return;
  extract(x, feat_.data(), ops);
  push(feat_.data(), y, ops);
  retrain_head(ops);
}

void TyBoxLearner::on_drift(const DriftInfo&, OpCounter& ops) {
  if (frozen_ || cfg_.update != TyBoxUpdate::OnDetection) return;
  ops.add(Op::Compare);
  ops.add(Op::Store);
  head_ = 0;
  size_ = 0;
}

void TyBoxLearner::pretrain(const LabelledSet& set, int epochs, uint64_t seed, OpCounter& ops) {
  if (set.features != d_ || epochs < 1)
    throw std::invalid_argument("tybox: factory set of the wrong width, or no epoch");
  const std::size_t n = set.size(), D = static_cast<std::size_t>(d_);
  std::vector<float> scaled(n * D);
  for (std::size_t i = 0; i < n; ++i) scaler_.apply(set.row(i), scaled.data() + i * D, ops);
  const std::size_t batch = static_cast<std::size_t>(cfg_.batch);
  std::vector<std::size_t> order;
  for (int e = 0; e < epochs; ++e) {
    order = epoch_order(n, seed, e);
    for (std::size_t start = 0; start < n; start += batch) {
      const std::size_t end = std::min(n, start + batch);
      mlp_.zero_grad(ops);
      const float scale = 1.f / static_cast<float>(end - start);
      for (std::size_t i = start; i < end; ++i)
        mlp_.accumulate(scaled.data() + order[i] * D, set.y[order[i]], scale, ops);
      mlp_.adam_step(ops);
    }
  }
  // The buffer leaves the factory holding the last factory samples' features.
  head_ = size_ = 0;
  const std::size_t keep = std::min(n, buf_y_.size());
  for (std::size_t i = n - keep; i < n; ++i) {
    extract(set.row(order[i]), feat_.data(), ops);
    push(feat_.data(), set.y[order[i]], ops);
  }
}

const float* TyBoxLearner::buffered_features(std::size_t i) const {
  return buf_f_.data() + slot(i) * static_cast<std::size_t>(f_);
}

int TyBoxLearner::buffered_label(std::size_t i) const {
  return buf_y_[slot(i)];
}

std::size_t TyBoxLearner::extractor_bytes() const {
  return sizeof(float) * static_cast<std::size_t>(f_) * (static_cast<std::size_t>(d_) + 1);
}

std::size_t TyBoxLearner::memory_bytes() const {
  const std::size_t F = static_cast<std::size_t>(f_), K = static_cast<std::size_t>(k_),
                    D = static_cast<std::size_t>(d_), B = buf_y_.size();
  return sizeof(float) * (K * F + K) + B * (sizeof(float) * F + sizeof(int16_t)) + 8 +
         sizeof(float) * (D + F + K) + scaler_.memory_bytes() + kStateBytes;
}

}  // namespace tinyfleet
