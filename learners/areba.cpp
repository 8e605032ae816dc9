#include "learners/areba.hpp"

#include "learners/param_read.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tinyfleet {

namespace {

int queues_for(const StreamInfo& info) {
  return std::max(info.classes, 2);
}
// One sigmoid unit for binary (the paper's d-8-1), softmax beyond.
int outputs_for(const StreamInfo& info) {
  return info.classes > 2 ? info.classes : 1;
}

}  // namespace

std::vector<ParamSpec> ArebaLearner::param_specs(bool hareba) {
  using T = ParamSpec::Type;
  std::vector<ParamSpec> specs = {
      {"budget", T::Int, 2, 10000, 20, {}, "total queue budget B (items over all class queues)"},
      {"hidden", T::Int, 1, 256, 8, {}, "hidden units of the d-H-1 LeakyReLU MLP"},
      {"lr", T::Real, 1e-6, 1, 0.01, {}, "Adam learning rate"},
  };
  if (hareba)
    specs.push_back({"keep",
                     T::Int,
                     0,
                     10000,
                     1,
                     {},
                     "items each queue keeps (newest) when the detector fires"});
  return specs;
}

ArebaConfig ArebaLearner::config_from(const Params& p, RebalanceRule rule, bool hareba) {
  ArebaConfig c;
  c.rule = rule;
  c.budget = learner_params::int_of(p, "budget", 2, 10000);
  c.hidden = learner_params::int_of(p, "hidden", 1, 256);
  c.lr = learner_params::real_of(p, "lr", 1e-6, 1);
  c.flush_on_drift = hareba;
  if (hareba) c.keep = learner_params::int_of(p, "keep", 0, 10000);
  return c;
}

ArebaLearner::ArebaLearner(const ArebaConfig& config, const StreamInfo& info, uint64_t seed)
    : cfg_(config),
      d_(info.features),
      classes_(queues_for(info)),
      scaler_(info),
      mlp_(info.features, config.hidden, outputs_for(info), static_cast<float>(config.lr), seed) {
  if (cfg_.budget < 2 || cfg_.budget > 10000)
    throw std::invalid_argument("areba: budget must be in [2, 10000]");
  if (cfg_.keep < 0) throw std::invalid_argument("areba: keep must be >= 0");
  if (!(cfg_.theta > 0 && cfg_.theta < 1)) throw std::invalid_argument("areba: theta in (0, 1)");
  if (classes_ > 1000) throw std::invalid_argument("areba: at most 1000 classes");
  const std::size_t B = static_cast<std::size_t>(cfg_.budget);
  const std::size_t C = static_cast<std::size_t>(classes_);
  // The live items never exceed the sum of the capacities, which is at most
  // B + C − 1 (a lone class grown to B, every other capacity still 1) or
  // C·max(1, ceil(B/C)) (after any rebalancing, and for QBR).
  const std::size_t per_class = std::max<std::size_t>(1, (B + C - 1) / C);
  pool_ = std::max(B + C - 1, C * per_class);
  if (pool_ > std::numeric_limits<uint16_t>::max())
    throw std::invalid_argument("areba: budget too large for the class count");
  ring_ = B;
  const std::size_t d = static_cast<std::size_t>(d_);
  xs_.assign(d, 0.f);
  pool_x_.assign(pool_ * d, 0.f);
  pool_y_.assign(pool_, 0);
  ring_slot_.assign(C * ring_, 0);
  free_.resize(pool_);
  for (std::size_t i = 0; i < pool_; ++i) free_[i] = static_cast<uint16_t>(pool_ - 1 - i);
  free_n_ = pool_;
  head_.assign(C, 0);
  len_.assign(C, 0);
  cap_.assign(C, 1);
  size_.assign(C, 0.f);
}

std::size_t ArebaLearner::slot_of(int c, int i) const {
  const std::size_t cc = static_cast<std::size_t>(c);
  return ring_slot_[cc * ring_ +
                    (static_cast<std::size_t>(head_[cc]) + static_cast<std::size_t>(i)) % ring_];
}

float ArebaLearner::queue_item(int c, int i, int j) const {
  return pool_x_[slot_of(c, i) * static_cast<std::size_t>(d_) + static_cast<std::size_t>(j)];
}

int ArebaLearner::predict(const float* x, OpCounter& ops) {
  ops.add(Op::Compare);  // trained yet?
  if (!trained_) {
    confidence_ = 1.0 / classes_;
    return 0;
  }
  scaler_.apply(x, xs_.data(), ops);
  const int c = mlp_.predict(xs_.data(), ops);
  confidence_ = mlp_.confidence();
  return c;
}

void ArebaLearner::shrink(int c, int cap, OpCounter& ops) {
  const std::size_t cc = static_cast<std::size_t>(c);
  cap_[cc] = cap;
  ops.add(Op::Store);
  while (len_[cc] > cap) {  // drop the oldest: deque(q, cap) keeps the newest
    free_[free_n_++] = static_cast<uint16_t>(slot_of(c, 0));
    head_[cc] = static_cast<int>((static_cast<std::size_t>(head_[cc]) + 1) % ring_);
    --len_[cc];
    ops.add(Op::Load, 2);
    ops.add(Op::Store, 2);
    ops.add(Op::Add);
  }
}

void ArebaLearner::append(const float* xs, int y, OpCounter& ops) {
  const std::size_t c = static_cast<std::size_t>(y), d = static_cast<std::size_t>(d_);
  std::size_t s;
  if (len_[c] == cap_[c]) {  // full: the oldest item's slot takes the new one
    s = slot_of(y, 0);
    head_[c] = static_cast<int>((static_cast<std::size_t>(head_[c]) + 1) % ring_);
    --len_[c];
  } else {
    if (free_n_ == 0) throw std::logic_error("areba: queue pool exhausted (invariant broken)");
    s = free_[--free_n_];
  }
  ring_slot_[c * ring_ + (static_cast<std::size_t>(head_[c]) + static_cast<std::size_t>(len_[c])) %
                             ring_] = static_cast<uint16_t>(s);
  ++len_[c];
  std::copy(xs, xs + d, pool_x_.begin() + static_cast<std::ptrdiff_t>(s * d));
  pool_y_[s] = static_cast<int16_t>(y);
  ops.add(Op::Compare, 2);
  ops.add(Op::Store, d + 1 + 3);
  ops.add(Op::Load, 3);
  ops.add(Op::Add);
}

void ArebaLearner::adapt_areba(OpCounter& ops) {
  const int C = classes_, B = cfg_.budget;
  ops.add(Op::Load, 2 * static_cast<uint64_t>(C));
  ops.add(Op::Compare, 2 * static_cast<uint64_t>(C));
  int active = 0, only = -1;
  for (int c = 0; c < C; ++c)
    if (len_[static_cast<std::size_t>(c)] > 0) ++active, only = c;
  if (active == 1 && cap_[static_cast<std::size_t>(only)] < B) {
    ++cap_[static_cast<std::size_t>(only)];  // a lone class grows towards the whole budget
    ops.add(Op::Store);
    return;
  }
  // Minority by the class-size trackers among the active classes; `<` keeps
  // the lowest index on ties (binary: s_neg <= s_pos → neg is the minority).
  int m = -1;
  for (int c = 0; c < C; ++c) {
    if (len_[static_cast<std::size_t>(c)] == 0) continue;
    if (m < 0 || size_[static_cast<std::size_t>(c)] < size_[static_cast<std::size_t>(m)]) m = c;
  }
  ops.add(Op::Compare, static_cast<uint64_t>(C - 1) + 1);
  const std::size_t mm = static_cast<std::size_t>(m);
  if (len_[mm] != cap_[mm]) return;  // only a full minority queue triggers rebalancing
  const double share = static_cast<double>(B) / C;  // B/2 for binary (a real number)
  const int old = cap_[mm];
  ops.add(Op::Compare);
  if (old < share) {
    for (int c = 0; c < C; ++c)
      if (c != m) shrink(c, old, ops);
    cap_[mm] = old + 1;
    ops.add(Op::Store);
  } else if (old == share) {
    ops.add(Op::Compare);
    for (int c = 0; c < C; ++c) {
      if (c == m) continue;
      ops.add(Op::Compare);
      if (cap_[static_cast<std::size_t>(c)] != old) shrink(c, old, ops);
    }
  }
}

void ArebaLearner::train(OpCounter& ops) {
  const std::size_t d = static_cast<std::size_t>(d_);
  int n = 0;
  for (int c = 0; c < classes_; ++c) n += len_[static_cast<std::size_t>(c)];
  const float scale = 1.f / static_cast<float>(n);
  ops.add(Op::Add, static_cast<uint64_t>(classes_));
  ops.add(Op::Div);
  mlp_.zero_grad(ops);
  for (int c = 0; c < classes_; ++c) {
    for (int i = 0; i < len_[static_cast<std::size_t>(c)]; ++i) {
      const std::size_t s = slot_of(c, i);
      mlp_.accumulate(pool_x_.data() + s * d, pool_y_[s], scale, ops);
      ops.add(Op::Load, 2);  // slot index, label
    }
  }
  mlp_.adam_step(ops);
}

void ArebaLearner::learn(const float* x, int y, uint64_t, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("areba: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  scaler_.apply(x, xs_.data(), ops);
  // 1. class-size trackers (run_main_synthetic.py update_delayed_metric).
  const float th = static_cast<float>(cfg_.theta);
  for (int c = 0; c < classes_; ++c) {
    float& s = size_[static_cast<std::size_t>(c)];
    s = (1.f - th) * (c == y ? 1.f : 0.f) + th * s;
  }
  ops.add(Op::Fp32Mac, static_cast<uint64_t>(classes_));
  ops.add(Op::Load, static_cast<uint64_t>(classes_));
  ops.add(Op::Store, static_cast<uint64_t>(classes_));
  // 2.–3. append, then rebalance.
  append(xs_.data(), y, ops);
  if (cfg_.rule == RebalanceRule::Areba) {
    adapt_areba(ops);
  } else {
    const std::size_t c = static_cast<std::size_t>(y);
    const double share = static_cast<double>(cfg_.budget) / classes_;
    ops.add(Op::Compare, 2);
    if (len_[c] == cap_[c] && cap_[c] < share) {
      ++cap_[c];
      ops.add(Op::Store);
    }
  }
  // 4. one full-batch epoch on the union of the queues.
  train(ops);
  trained_ = true;
}

void ArebaLearner::on_drift(const DriftInfo&, OpCounter& ops) {
  if (!cfg_.flush_on_drift || frozen_) return;
  for (int c = 0; c < classes_; ++c) {
    const std::size_t cc = static_cast<std::size_t>(c);
    ops.add(Op::Compare);
    while (len_[cc] > cfg_.keep) {  // drop the oldest, capacities unchanged
      free_[free_n_++] = static_cast<uint16_t>(slot_of(c, 0));
      head_[cc] = static_cast<int>((static_cast<std::size_t>(head_[cc]) + 1) % ring_);
      --len_[cc];
      ops.add(Op::Load, 2);
      ops.add(Op::Store, 2);
      ops.add(Op::Add);
    }
    // An emptied queue (keep = 0) starts again at capacity 1, so the restart
    // follows AREBA's rule from its initial state (and the pool bound holds).
    if (len_[cc] == 0 && cap_[cc] != 1) {
      cap_[cc] = 1;
      ops.add(Op::Store);
    }
  }
}

std::size_t ArebaLearner::memory_bytes() const {
  const std::size_t d = static_cast<std::size_t>(d_), C = static_cast<std::size_t>(classes_);
  return pool_ * (d + 1) * sizeof(float) + C * ring_ * sizeof(uint16_t) + pool_ * sizeof(uint16_t) +
         C * (sizeof(float) + 3 * sizeof(uint16_t)) + mlp_.memory_bytes() + scaler_.memory_bytes() +
         d * sizeof(float) + kStateBytes;
}

void FadingGMean::update(int y, int prediction) {
  const double correct = y == prediction ? 1.0 : 0.0;
  if (y == 1) {
    rec_s = correct + f * rec_s;
    rec_n = 1.0 + f * rec_n;
    recall = rec_s / rec_n;
  } else {
    spec_s = correct + f * spec_s;
    spec_n = 1.0 + f * spec_n;
    specificity = spec_s / spec_n;
  }
}

double FadingGMean::gmean() const {
  return std::sqrt(recall * specificity);
}

}  // namespace tinyfleet
