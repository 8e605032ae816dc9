#include "learners/mlp_sgd.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include "learners/param_read.hpp"

namespace tinyfleet {
using namespace learner_params;

namespace {
constexpr int kMaxWidth = 65536;
constexpr std::size_t kCounterBytes = 16;  // buffered, fresh, session set, flags
}  // namespace

std::vector<ParamSpec> MlpSgdLearner::param_specs() {
  using T = ParamSpec::Type;
  return {
      {"hidden", T::Int, 1, kMaxWidth, 200, {}, "units of the hidden layer"},
      {"lr",
       T::Real,
       1e-6,
       10,
       0.05,
       {},
       "SGD learning rate (TIFeD's float FedAvg baseline: 0.1, 0.05, 0.01)"},
      {"momentum", T::Real, 0, 0.999, 0.5, {}, "SGD momentum (TIFeD's float baseline: 0.5)"},
      {"batch", T::Int, 1, 100000, 25, {}, "minibatch size"},
      {"epochs_per_batch", T::Int, 1, 1000, 5, {}, "epochs over each filled buffer"},
      {"buffer",
       T::Int,
       1,
       1000000,
       50,
       {},
       "local stream buffer (samples); trained on when full, then emptied"},
      {"init_seed",
       T::Int,
       0,
       2147483647,
       1,
       {},
       "seed of the initial weights (equal on every device of a federation)"},
      {"on_drift",
       T::Choice,
       0,
       0,
       0,
       {"none", "reset"},
       "none: adapt passively; reset: a detected change (or a fleet reset) restores the initial "
       "weights and empties the buffer"},
  };
}

MlpSgdConfig MlpSgdLearner::config_from(const Params& p) {
  MlpSgdConfig c;
  c.hidden = static_cast<int>(int_of(p, "hidden", 1, kMaxWidth));
  c.lr = real_of(p, "lr", 1e-6, 10);
  c.momentum = real_of(p, "momentum", 0, 0.999);
  c.batch = static_cast<int>(int_of(p, "batch", 1, 100000));
  c.epochs_per_batch = static_cast<int>(int_of(p, "epochs_per_batch", 1, 1000));
  c.buffer = static_cast<int>(int_of(p, "buffer", 1, 1000000));
  c.init_seed = static_cast<uint64_t>(int_of(p, "init_seed", 0, 2147483647));
  c.reset_on_drift = choice_of(p, "on_drift", {"none", "reset"}) == "reset";
  return c;
}

MlpSgdLearner::MlpSgdLearner(const MlpSgdConfig& config, const StreamInfo& info)
    : cfg_(config),
      d_(info.features),
      classes_(std::max(info.classes, 1)),
      scaler_(info),
      // Always a softmax output (FloatMlp's single unit would be a sigmoid, i.e. two classes).
      net_(info.features, config.hidden, std::max(info.classes, 2), static_cast<float>(config.lr),
           config.init_seed) {
  if (cfg_.batch < 1 || cfg_.buffer < 1 || cfg_.epochs_per_batch < 1)
    throw std::invalid_argument("mlp: batch, buffer and epochs_per_batch must be >= 1");
  if (!(cfg_.momentum >= 0 && cfg_.momentum < 1))
    throw std::invalid_argument("mlp: momentum must be in [0, 1)");
  init_ = net_.theta();
  const auto d = static_cast<std::size_t>(d_);
  xs_.assign(d, 0.f);
  buf_.reset(cfg_.buffer, d_);
}

int MlpSgdLearner::predict(const float* x, OpCounter& ops) {
  scaler_.apply(x, xs_.data(), ops);
  const int c = net_.predict(xs_.data(), ops);
  return classes_ > 1 ? c : 0;  // a one-class stream has one answer
}

void MlpSgdLearner::learn(const float* x, int y, uint64_t, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("mlp: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  if (federated_ && buf_.full()) buf_.drop_oldest(ops);  // keep the newest
  scaler_.apply(x, buf_.next_x(), ops);
  buf_.push(y);
  ops.add(Op::Store);
  ops.add(Op::Add);
  ops.add(Op::Compare);
  if (!federated_) {
    if (buf_.full()) {
      train(buf_.size(), cfg_.epochs_per_batch, -1, ops);
      buf_.clear();
    }
    return;
  }
  if (local_learning_ && ++fresh_ == cfg_.buffer) {
    fresh_ = 0;
    train_round(cfg_.epochs_per_batch, -1, ops);
  }
}

void MlpSgdLearner::pretrain(const LabelledSet& set, int epochs, uint64_t seed, OpCounter& ops) {
  Learner::pretrain(set, epochs, seed, ops);
  if (buf_.size() > 0 && !frozen_) {
    train(buf_.size(), cfg_.epochs_per_batch, -1, ops);
    buf_.clear();
  }
}

void MlpSgdLearner::on_drift(const DriftInfo&, OpCounter& ops) {
  if (!cfg_.reset_on_drift || frozen_) return;
  net_.theta() = init_;
  ops.add(Op::Store, init_.size() + static_cast<uint64_t>(buf_.size()));
  buf_.clear();
}

void MlpSgdLearner::train(int n, int epochs, int layer, OpCounter& ops) {
  if (frozen_ || n == 0) return;
  const std::size_t begin = layer_begin(layer);
  const std::size_t end = layer == 0 ? layer_begin(1) : net_.parameters();
  net_.reset_momentum(ops);
  const auto lr = static_cast<float>(cfg_.lr), mu = static_cast<float>(cfg_.momentum);
  for (int e = 0; e < epochs; ++e)
    for (int s = 0; s < n; s += cfg_.batch) {
      const int m = std::min(cfg_.batch, n - s);
      net_.zero_grad(ops);
      for (int i = s; i < s + m; ++i)
        net_.accumulate(buf_.x(i), *buf_.y(i), 1.f / static_cast<float>(m), ops);
      net_.sgd_step(lr, mu, begin, end, ops);
    }
}

void MlpSgdLearner::set_federated(bool local_learning) {
  federated_ = true;
  local_learning_ = local_learning;
  fresh_ = 0;
}

void MlpSgdLearner::end_session(bool consume) {
  buf_.end_session(consume);
}

void MlpSgdLearner::train_round(int epochs, int layer, OpCounter& ops) {
  train(session_samples(), epochs, layer, ops);
}

std::size_t MlpSgdLearner::layer_begin(int layer) const {
  if (layer <= 0) return 0;
  return static_cast<std::size_t>(cfg_.hidden) * static_cast<std::size_t>(d_ + 1);
}

std::size_t MlpSgdLearner::param_count(int layer) const {
  if (layer < 0) return net_.parameters();
  if (layer == 0) return layer_begin(1);
  if (layer == 1) return net_.parameters() - layer_begin(1);
  throw std::invalid_argument("mlp: no layer " + std::to_string(layer));
}

std::vector<int32_t> MlpSgdLearner::export_params(int layer) const {
  const std::size_t begin = layer_begin(layer), n = param_count(layer);
  std::vector<int32_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = std::bit_cast<int32_t>(net_.theta()[begin + i]);
  return out;
}

void MlpSgdLearner::import_params(const std::vector<int32_t>& params, int layer) {
  const std::size_t begin = layer_begin(layer), n = param_count(layer);
  if (params.size() != n)
    throw std::invalid_argument("mlp: import of " + std::to_string(params.size()) +
                                " parameters, expected " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i) net_.theta()[begin + i] = std::bit_cast<float>(params[i]);
}

std::size_t MlpSgdLearner::memory_bytes() const {
  const auto d = static_cast<std::size_t>(d_);
  return net_.memory_bytes() - sizeof(float) * net_.parameters() + scaler_.memory_bytes() +
         sizeof(float) * d + static_cast<std::size_t>(cfg_.buffer) * (4 * d + 2) + kCounterBytes;
}

}  // namespace tinyfleet
