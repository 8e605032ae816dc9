#pragma once
// Which samples of a device get a label, and when the label arrives
// (label scarcity + fixed delay, like CapyMOA's prequential_ssl_evaluation
// label_probability / delay_length; streams.md §4).
#include <cstdint>
#include <optional>

#include "drift/rng.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

class LabelPolicy {
 public:
  // `seed`: the device's own stream, e.g. derive_seed(device_seed, 0, seed_purpose::kLabels).
  LabelPolicy(const LabelSpec& spec, uint64_t seed);
  // One draw per sample, in sample order: with probability `fraction` the
  // label is delivered at sample_time + delay_s; otherwise never (nullopt).
  std::optional<double> arrival_time(double sample_time) {
    // u in [0, 1): u < fraction is exactly probability `fraction`, never for 0, always for 1.
    if (rng_.next_double() < spec_.fraction) return sample_time + spec_.delay_s;
    return std::nullopt;
  }
  const LabelSpec& spec() const { return spec_; }

 private:
  LabelSpec spec_;
  SplitMix64 rng_;
};

}  // namespace tinyfleet
