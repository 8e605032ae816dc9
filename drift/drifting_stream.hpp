#pragma once
// A device's data stream over simulated time: a sequence of concepts (one
// Generator each) switched abruptly or gradually by the DriftSpecs that reach
// the device. Semantics follow MOA's ConceptDriftStream (streams.md §2, "Drift
// wrappers"), nested so that later drifts wrap earlier ones.
#include <cstdint>
#include <memory>
#include <vector>

#include "drift/rng.hpp"
#include "drift/stream.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

class DriftingStream {
 public:
  // `drifts` are the DriftSpecs that reach THIS device (sorted by at_s; they are
  // sorted again here, stably). Concept i (i = 0..n) uses the stream params
  // overlaid with the `to` params of drifts 1..i cumulatively; concept i's
  // generator is seeded with derive_seed(seed, i, seed_purpose::kConcept) and
  // the gradual-drift choice uses a JavaRandom seeded with
  // derive_seed(seed, 0, seed_purpose::kDriftSelection). A concept's generator
  // advances only when it is sampled (as MOA). Throws std::invalid_argument on
  // an unknown generator, invalid params, or a gradual drift with width_s <= 0.
  DriftingStream(const StreamSpec& spec, std::vector<DriftSpec> drifts, uint64_t seed);

  const StreamInfo& info() const { return info_; }

  // The sample observed at simulated time t (seconds; calls come with
  // non-decreasing t). Drifts are examined from the last to the first (MOA
  // nesting: the outermost ConceptDriftStream is the latest drift):
  //  - abrupt drift i: concept i when t >= at_s;
  //  - gradual drift i: MOA sigmoid P(new) = 1 / (1 + exp(-4 (t - at_s) / width_s)),
  //    one u = nextDouble() from the selection RNG, u > P → the concepts before
  //    it (continue with drift i-1), else concept i.
  // t is in seconds, so this equals MOA's rule (t = 1-based sample position,
  // p = position, w = width) when rate = 1 sample/s. As in MOA, every gradual
  // drift that is examined draws a u, even far from its centre.
  // Sample.x points into an internal buffer valid until the next call;
  // Sample.concept_id = the concept index used. No allocation.
  Sample next(double t);

  // Nominal concept (ignoring gradual randomness): the largest i such that
  // t >= at_s of drift i (1-based), 0 before the first drift.
  int concept_at(double t) const;

  int concepts() const { return static_cast<int>(generators_.size()); }
  const std::vector<DriftSpec>& drifts() const { return drifts_; }

 private:
  int choose(double t);

  std::vector<DriftSpec> drifts_;
  std::vector<std::unique_ptr<Generator>> generators_;  // concept i = generators_[i]
  std::vector<float> x_;
  StreamInfo info_;
  JavaRandom selection_;
};

// Which devices of a group (`count` devices) a selector picks: All → all;
// Fraction f → exactly round(f * count) devices (at least 1 if f > 0, at most
// count), the first ones of a Fisher–Yates shuffle driven by SplitMix64(seed);
// List → those indices (std::invalid_argument if out of range).
std::vector<bool> select_devices(const DeviceSelector& sel, int count, uint64_t seed);

}  // namespace tinyfleet
