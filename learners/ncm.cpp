#include "learners/ncm.hpp"

#include "learners/param_read.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tinyfleet {

std::vector<ParamSpec> NcmLearner::param_specs() {
  using T = ParamSpec::Type;
  return {
      {"shots", T::Int, 1, 1000000, 5, {}, "labelled samples per class that form its prototype"},
      {"update",
       T::Choice,
       0,
       0,
       0,
       {"frozen", "running"},
       "after the shots: keep the prototype (frozen) or keep averaging (running)"},
      {"far",
       T::Real,
       0,
       1,
       0.05,
       {},
       "target rate: threshold = (1 - far) quantile of within-class distances"},
      {"reservoir", T::Int, 1, 100000, 64, {}, "within-class distances kept for the threshold"},
      {"max_classes", T::Int, 1, 32767, 32, {}, "prototype slots (classes added on device)"},
  };
}

NcmConfig NcmLearner::config_from(const Params& p) {
  NcmConfig c;
  c.shots = learner_params::int_of(p, "shots", 1, 1000000);
  c.update = learner_params::choice_of(p, "update", {"frozen", "running"}) == "running"
                 ? NcmUpdate::Running
                 : NcmUpdate::Frozen;
  c.far = learner_params::real_of(p, "far", 0, 1);
  c.reservoir = learner_params::int_of(p, "reservoir", 1, 100000);
  c.max_classes = learner_params::int_of(p, "max_classes", 1, 32767);
  return c;
}

NcmLearner::NcmLearner(const NcmConfig& config, const StreamInfo& info, uint64_t seed)
    : cfg_(config), scaler_(info), rng_(seed) {
  if (cfg_.shots < 1) throw std::invalid_argument("ncm: shots must be >= 1");
  if (!(cfg_.far >= 0 && cfg_.far <= 1)) throw std::invalid_argument("ncm: far in [0, 1]");
  if (cfg_.reservoir < 1) throw std::invalid_argument("ncm: reservoir must be >= 1");
  if (cfg_.max_classes < 1) throw std::invalid_argument("ncm: max_classes must be >= 1");
  if (info.classes > std::numeric_limits<int16_t>::max() - 1)
    throw std::invalid_argument("ncm: too many classes");
  d_ = info.features;
  classes_ = std::max(info.classes, 1);
  slots_ = std::min(cfg_.max_classes, classes_);
  const std::size_t d = static_cast<std::size_t>(d_), S = static_cast<std::size_t>(slots_);
  xs_.assign(d, 0.f);
  proto_.assign(S * d, 0.f);
  count_.assign(S, 0);
  slot_label_.assign(S, 0);
  stale_.assign(S, 0);
  class_slot_.assign(static_cast<std::size_t>(classes_), -1);
  res_.assign(static_cast<std::size_t>(cfg_.reservoir), 0.f);
}

float NcmLearner::prototype(int c, int j) const {
  const std::size_t s = static_cast<std::size_t>(class_slot_[static_cast<std::size_t>(c)]);
  return proto_[s * static_cast<std::size_t>(d_) + static_cast<std::size_t>(j)];
}

uint32_t NcmLearner::shots_seen(int c) const {
  const int s = class_slot_[static_cast<std::size_t>(c)];
  return s < 0 ? 0 : count_[static_cast<std::size_t>(s)];
}

bool NcmLearner::stale(int c) const {
  const int s = class_slot_[static_cast<std::size_t>(c)];
  return s >= 0 && stale_[static_cast<std::size_t>(s)] != 0;
}

float NcmLearner::threshold_sq() const {
  return res_n_ == 0 ? std::numeric_limits<float>::infinity() : thr_;
}

float NcmLearner::distance_sq(const float* a, const float* b, OpCounter& ops) const {
  const std::size_t d = static_cast<std::size_t>(d_);
  float s = 0.f;
  for (std::size_t j = 0; j < d; ++j) {
    const float diff = a[j] - b[j];
    s += diff * diff;
  }
  ops.add(Op::Fp32Mac, 2 * d);
  ops.add(Op::Load, 2 * d);
  return s;
}

int NcmLearner::predict(const float* x, OpCounter& ops) {
  ops.add(Op::Compare);
  if (used_ == 0) {
    confidence_ = 1.0 / classes_;
    return 0;
  }
  scaler_.apply(x, xs_.data(), ops);
  const std::size_t d = static_cast<std::size_t>(d_);
  int best = 0;
  float best_d = std::numeric_limits<float>::infinity();
  dist_.resize(static_cast<std::size_t>(used_));
  for (int s = 0; s < used_; ++s) {
    const float v = distance_sq(xs_.data(), proto_.data() + static_cast<std::size_t>(s) * d, ops);
    dist_[static_cast<std::size_t>(s)] = -static_cast<double>(v);
    if (v < best_d) best_d = v, best = s;  // `<`: ties keep the earlier prototype
  }
  ops.add(Op::Compare, static_cast<uint64_t>(used_) + 1);
  ops.add(Op::Load);
  const double median = res_n_ > 0 ? static_cast<double>(res_[res_n_ / 2]) : 0.0;
  const double tau = median > 0 ? median : static_cast<double>(d_) / 6.0;
  const double nearest = softmax_top(dist_.data(), dist_.size(), tau > 0 ? 1.0 / tau : 1.0);
  const bool rejected = res_n_ > 0 && best_d > thr_;  // open-set rejection
  confidence_ = rejected ? 1.0 - nearest : nearest;
  if (rejected) return unknown_label();
  return slot_label_[static_cast<std::size_t>(best)];
}

void NcmLearner::reservoir_add(float v, OpCounter& ops) {
  // Algorithm R (Vitter 1985): the first R values fill the reservoir; value
  // number n > R replaces a uniformly random member with probability R/n.
  // The reservoir is a set, so replacing its j-th smallest (j uniform) is the
  // same draw; the array then stays sorted by moving the new value into place.
  const std::size_t R = res_.size();
  ++offered_;
  ops.add(Op::Add);
  std::size_t i;
  if (res_n_ < R) {
    i = res_n_++;
  } else {
    const uint64_t j = rng_.next_below(offered_);
    ops.add(Op::Int32Mac);
    ops.add(Op::Compare);
    if (j >= R) return;
    i = static_cast<std::size_t>(j);
  }
  uint64_t tests = 0, shifts = 0;
  // Move left past larger values, or right past smaller ones.
  while (i > 0 && (++tests, res_[i - 1] > v)) res_[i] = res_[i - 1], --i, ++shifts;
  while (i + 1 < res_n_ && (++tests, res_[i + 1] < v)) res_[i] = res_[i + 1], ++i, ++shifts;
  res_[i] = v;
  ops.add(Op::Compare, tests);
  ops.add(Op::Load, tests);
  ops.add(Op::Store, shifts + 1);
  // (1 − far) quantile, inverted CDF.
  const double n = static_cast<double>(res_n_);
  const double k = std::ceil((1.0 - cfg_.far) * n - 1e-9) - 1.0;
  const std::size_t ki = k < 0 ? 0 : std::min(res_n_ - 1, static_cast<std::size_t>(k));
  thr_ = res_[ki];
  ops.add(Op::Fp32Mac);
  ops.add(Op::Compare);
  ops.add(Op::Load);
  ops.add(Op::Store);
}

void NcmLearner::learn(const float* x, int y, uint64_t, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("ncm: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  scaler_.apply(x, xs_.data(), ops);
  const std::size_t d = static_cast<std::size_t>(d_);
  int s = class_slot_[static_cast<std::size_t>(y)];
  ops.add(Op::Compare, 2);
  if (s < 0 || stale_[static_cast<std::size_t>(s)]) {
    if (s < 0) {
      if (used_ == slots_) return;  // no slot left: the new class is not learnt
      s = used_++;
      class_slot_[static_cast<std::size_t>(y)] = static_cast<int16_t>(s);
      slot_label_[static_cast<std::size_t>(s)] = static_cast<int16_t>(y);
    }
    // New class on device, or the first shot after a drift: x is the prototype.
    const std::size_t ss = static_cast<std::size_t>(s);
    std::copy(xs_.begin(), xs_.end(), proto_.begin() + static_cast<std::ptrdiff_t>(ss * d));
    count_[ss] = 1;
    stale_[ss] = 0;
    ops.add(Op::Load, d);
    ops.add(Op::Store, d + 2);
    return;
  }
  const std::size_t ss = static_cast<std::size_t>(s);
  float* mu = proto_.data() + ss * d;
  reservoir_add(distance_sq(xs_.data(), mu, ops), ops);
  ops.add(Op::Compare);
  if (count_[ss] < static_cast<uint32_t>(cfg_.shots) || cfg_.update == NcmUpdate::Running) {
    if (count_[ss] < std::numeric_limits<uint32_t>::max()) ++count_[ss];
    const float inv = 1.f / static_cast<float>(count_[ss]);
    for (std::size_t j = 0; j < d; ++j) mu[j] += (xs_[j] - mu[j]) * inv;
    ops.add(Op::Add);
    ops.add(Op::Div);
    ops.add(Op::Fp32Mac, 2 * d);
    ops.add(Op::Load, 2 * d);
    ops.add(Op::Store, d);
  }
}

void NcmLearner::on_drift(const DriftInfo&, OpCounter& ops) {
  if (frozen_) return;
  for (int s = 0; s < used_; ++s) stale_[static_cast<std::size_t>(s)] = 1;
  res_n_ = 0;
  offered_ = 0;
  ops.add(Op::Store, static_cast<uint64_t>(used_) + 2);
}

std::size_t NcmLearner::memory_bytes() const {
  const std::size_t d = static_cast<std::size_t>(d_), S = static_cast<std::size_t>(slots_);
  return S * (sizeof(float) * d + sizeof(uint32_t) + sizeof(int16_t) + sizeof(uint8_t)) +
         sizeof(int16_t) * static_cast<std::size_t>(classes_) + sizeof(float) * res_.size() +
         sizeof(uint64_t) + sizeof(uint64_t) + sizeof(float) + sizeof(float) * d +
         scaler_.memory_bytes() + kStateBytes;
}

}  // namespace tinyfleet
