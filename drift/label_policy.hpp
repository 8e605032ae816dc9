#pragma once
// Which samples of a device get a label, and when the label arrives: label
// scarcity + delay, like CapyMOA's prequential_ssl_evaluation
// label_probability / delay_length (streams.md §4), plus a random part of the
// delay and a label budget per time window.
#include <cstdint>
#include <optional>

#include "drift/rng.hpp"
#include "drift/self_labelling.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

class LabelPolicy {
 public:
  // `seed`: the device's own stream, e.g. derive_seed(device_seed, 0, seed_purpose::kLabels).
  LabelPolicy(const LabelSpec& spec, uint64_t seed);
  // Called once per sample, in sample order, with the learner's uncertainty
  // about it. Draws u: the sample is labelled if u < fraction (never for 0,
  // always for 1); with active learning (query_uncertainty > 0), only if the
  // learner asks — its uncertainty is at least query_uncertainty (MOA's
  // fixed-uncertainty strategy, Žliobaitė et al. 2014); with a budget, only if
  // fewer than `budget` labels were granted in its window [k·W, (k+1)·W).
  // A granted label arrives at sample_time + delay_s + v·delay_jitter_s, with a
  // second draw v only when the jitter is non-zero. Otherwise: never (nullopt).
  std::optional<double> arrival_time(double sample_time, double uncertainty = 1.0) {
    if (!(rng_.next_double() < spec_.fraction)) return std::nullopt;
    if (spec_.query_uncertainty > 0 && uncertainty < spec_.query_uncertainty) {
      ++not_asked_;
      return std::nullopt;
    }
    if (spec_.budget > 0 && !within_budget(sample_time)) return std::nullopt;
    double arrival = sample_time + spec_.delay_s;
    if (spec_.delay_jitter_s > 0) arrival += rng_.next_double() * spec_.delay_jitter_s;
    return arrival;
  }
  // Self-labelling (drift/self_labelling.hpp) of the samples left unlabelled:
  // on when the spec has `self`. The device calls pseudo_label for a sample
  // arrival_time refused, and observe_label for every true label it learns.
  bool self_labelling() const { return spec_.self.enabled; }
  std::optional<int> pseudo_label(const float* x, int d, OpCounter& ops) {
    return self_.label(x, d, ops);
  }
  void observe_label(const float* x, int d, int y, OpCounter& ops) {
    if (spec_.self.enabled) self_.observe(x, d, y, ops);
  }
  const SelfLabeller& self_labeller() const { return self_; }
  // Device memory of the label path beyond the queue of pending labels.
  std::size_t memory_bytes() const { return spec_.self.enabled ? self_.memory_bytes() : 0; }
  const LabelSpec& spec() const { return spec_; }
  uint64_t refused_by_budget() const { return refused_; }
  uint64_t not_asked() const { return not_asked_; }

 private:
  bool within_budget(double t) {
    const auto window = static_cast<int64_t>(t / spec_.budget_window_s);
    if (window != window_) {
      window_ = window;
      granted_ = 0;
    }
    if (granted_ >= spec_.budget) {
      ++refused_;
      return false;
    }
    ++granted_;
    return true;
  }

  LabelSpec spec_;
  SelfLabeller self_;
  SplitMix64 rng_;
  int64_t window_ = -1;
  int granted_ = 0;
  uint64_t refused_ = 0, not_asked_ = 0;
};

}  // namespace tinyfleet
