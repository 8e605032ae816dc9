#pragma once
// Factory pre-training (scenario key `learner.pretrain`, scenarios/FORMAT.md):
// before deployment a group's learner is trained on labelled data the device
// never sees in its stream — taxonomy.md §2 E1 (Vowel speakers 0–7 train the
// model deployed on speakers 8–14) and E2 (TyBox's pre-trained static model).
//
// The factory set: `samples` labelled samples of the pretrain stream, drawn
// round-robin over partitions 0..P−1 of its split (P = `partitions`; the
// generator's `device`/`devices` set to p/P), so a column split over speakers
// "0-7" with P = 8 pools all eight speakers. The group's drifts never apply
// (the factory data are pre-deployment); the pretrain stream's own `priors`
// do. Then `epochs` passes
// in seeded orders (a fresh Fisher–Yates permutation per pass).
//
// Determinism and cost: every draw comes from the seed the caller passes (the
// simulator derives it per group, so every device of a group gets the same
// factory model). The operations go to an OpCounter the caller keeps apart —
// factory work is never charged to the device's energy — while the model's
// bytes count in the device's RAM from the start (memory_bytes()).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "devices/op_counter.hpp"
#include "drift/stream.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

class Learner;

// Labelled samples held in memory (row-major features).
struct LabelledSet {
  int features = 0;
  std::vector<float> x;  // size() · features
  std::vector<int> y;
  std::size_t size() const { return y.size(); }
  const float* row(std::size_t i) const {
    return x.data() + i * static_cast<std::size_t>(features);
  }
};

// Draws the factory set. Throws std::invalid_argument if its samples do not
// fit the device's stream (other feature count, labels outside its classes)
// or the stream cannot give `samples` samples (a single pass that ends).
LabelledSet draw_factory_set(const PretrainSpec& spec, const StreamInfo& device, uint64_t seed);

// Pass `epoch` of n samples: a permutation of 0..n−1 drawn from (seed, epoch).
std::vector<std::size_t> epoch_order(std::size_t n, uint64_t seed, int epoch);

// Draws the factory set and trains `learner` on it (Learner::pretrain);
// returns the factory's operation count (not the device's).
OpCounter pretrain_learner(Learner& learner, const PretrainSpec& spec, const StreamInfo& device,
                           uint64_t seed);

}  // namespace tinyfleet
