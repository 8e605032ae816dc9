#pragma once
// A device's data stream over simulated time: a sequence of concepts (one
// Generator each, plus optional class priors) switched abruptly or gradually
// by the DriftSpecs that reach the device. Semantics follow MOA's
// ConceptDriftStream (streams.md §2, "Drift wrappers"), nested so that later
// switches wrap earlier ones; class priors follow MOA's ImbalancedStream.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "drift/rng.hpp"
#include "drift/stream.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

// A change the device's detector should find: when it starts and what it is.
struct ChangePoint {
  double start_s = 0;
  const char* kind = "abrupt";
};

class DriftingStream {
 public:
  // `drifts` are the DriftSpecs that reach THIS device (sorted again here,
  // stably, by at_s). Each is expanded into elementary switches (abrupt or
  // gradual) between concepts:
  //  - abrupt / gradual: one switch to the params overlaid with `to`;
  //  - incremental: `steps` abrupt switches at at_s + k·width_s/steps
  //    (k = 1..steps), numeric params interpolated linearly from their current
  //    values (Int params rounded); a non-numeric param changes at the last step;
  //  - recurring: `repeat` switches at at_s + k·period_s, alternating between the
  //    new concept and the one before it (gradual when width_s > 0).
  // Concepts with the same params and priors share one generator, so a concept
  // that recurs continues its own random stream (as MOA's
  // RecurrentConceptDriftStream). Concept i's generator is seeded with
  // derive_seed(seed, i, seed_purpose::kConcept); the gradual choice uses a
  // JavaRandom seeded with derive_seed(seed, 0, seed_purpose::kDriftSelection).
  // Throws std::invalid_argument on an unknown generator, invalid params, a
  // gradual drift with width_s <= 0, or priors that do not fit the classes.
  DriftingStream(const StreamSpec& spec, std::vector<DriftSpec> drifts, uint64_t seed);

  const StreamInfo& info() const { return info_; }

  // The sample observed at simulated time t (seconds; calls come with
  // non-decreasing t). Switches are examined from the last to the first (MOA
  // nesting: the outermost ConceptDriftStream is the latest switch):
  //  - abrupt switch i: its concept when t >= at;
  //  - gradual switch i: MOA sigmoid P(new) = 1 / (1 + exp(-4 (t - at) / width)),
  //    one u = nextDouble() from the selection RNG, u > P → what was before it.
  // With class priors, a class is drawn by its prior and the concept's
  // generator is pulled until it yields that class; samples of other classes
  // wait in small per-class buffers (MOA ImbalancedStream; 64 per class, oldest
  // dropped beyond). Sample.x points into an internal buffer valid until the
  // next call. Allocates only to buffer a sample for later (priors only).
  Sample next(double t);

  // Nominal concept (ignoring gradual randomness) at time t.
  int concept_at(double t) const;
  int concepts() const { return static_cast<int>(concepts_.size()); }
  // The changes a detector should find, in time order (one per abrupt, gradual
  // or recurring switch; one per incremental drift, at its start).
  const std::vector<ChangePoint>& change_points() const { return change_points_; }
  // Places the changes a real data set carries (StreamInfo::changes, counted in
  // samples) on the clock of a device whose k-th sample is at
  // first_sample_s + k·period_s, up to end_s, among change_points(). Throws
  // std::invalid_argument if the stream is a single pass shorter than the run.
  void schedule_data_changes(double first_sample_s, double period_s, double end_s,
                             const std::string& stream_name);

 private:
  struct Switch {
    bool gradual = false;
    double at = 0, width = 0;
    int concept_id = 0;
  };
  struct Concept {
    Params params;
    std::vector<double> priors;  // cumulative; empty = natural class distribution
    std::unique_ptr<Generator> generator;
    std::vector<std::deque<std::vector<float>>> waiting;  // per-class buffers (priors only)
  };
  int add_concept(const StreamSpec& spec, Params params, std::vector<double> priors, uint64_t seed);
  void expand(const StreamSpec& spec, const DriftSpec& d, uint64_t seed);
  int choose(double t);
  int draw_with_priors(Concept& c);

  std::vector<Concept> concepts_;
  std::vector<Switch> switches_;
  std::vector<ChangePoint> change_points_;
  int current_ = 0;  // concept in force after the switches expanded so far
  std::vector<float> x_;
  StreamInfo info_;
  JavaRandom selection_;
  SplitMix64 class_draw_;
};

// Which devices of a group (`count` devices) a selector picks: All → all;
// Fraction f → exactly round(f * count) devices (at least 1 if f > 0, at most
// count), the first ones of a Fisher–Yates shuffle driven by SplitMix64(seed);
// List → those indices (std::invalid_argument if out of range).
std::vector<bool> select_devices(const DeviceSelector& sel, int count, uint64_t seed);

}  // namespace tinyfleet
