#pragma once
// Nearest-class-mean (prototype) few-shot classifier with open-set rejection,
// after Rusci & Tuytelaars, "Few-Shot Open-Set Learning for On-Device
// Customization of KeyWord Spotting Systems" (Interspeech 2023; NCM classifier
// of mrusci/ondevice-learning-kws, kernels.md §6): a frozen encoder feeds
// class prototypes (means of the k-shot embeddings), prediction is the nearest
// prototype, and a sample farther than a threshold from every prototype is
// rejected as "unknown". Our streams deliver features, so the "embedding" is
// the min-max scaled feature vector (learners/mlp_float.hpp); we do not
// L2-normalise it (raw features carry information in their norm, unlike a
// trained metric embedding).
//
// Prototypes. A label of a class without a prototype adds the class on device
// (its first sample is the prototype) while fewer than `max_classes`
// prototypes exist; beyond that the label is ignored. The prototype is the
// running mean of the class's first `shots` labelled samples,
// μ ← μ + (x − μ)/n; with update = running every later sample keeps updating
// the mean (n grows on), with update = frozen the prototype stays fixed after
// `shots` samples.
//
// Threshold. The paper sets it for a 5 % false-acceptance rate measured on
// unknown utterances; a device never gets labelled unknowns, so (our
// calibration, as briefed) the threshold is the (1 − far) quantile of the
// within-class distances of the labelled samples seen so far: the squared L2
// distance of each labelled sample of a known class to its prototype, taken
// BEFORE the sample updates it (a held-out distance; a class's first sample
// gives none). Strictly this bounds the false-REJECTION rate of known
// classes at `far`. The distances live in a bounded reservoir of `reservoir`
// values (Vitter's Algorithm R, random draws from SplitMix64(seed)), kept
// sorted so the quantile is one read: with n values v_(0) <= … <= v_(n−1),
// threshold = v_(k), k = ceil((1 − far)·n) − 1 clamped to [0, n − 1] (the
// inverted-CDF quantile; a 1e-9 guard absorbs rounding of (1 − far)·n).
// An empty reservoir means no threshold: nothing is rejected.
// Distances are compared squared (no square root; the order is the same).
//
// Prediction: no prototype yet → 0. Otherwise the nearest prototype's class
// (ties → the prototype added first); if its squared distance is > the
// threshold, the sample is rejected and predict() returns `classes` (one past
// the last class label, with classes = max(StreamInfo::classes, 1)): the
// "unknown" label.
//
// on_drift (adapts_on_drift() is true): every prototype is marked stale and
// the reservoir is emptied. A stale prototype still serves predictions until
// its class's next labelled sample, which re-initialises it (n = 1); the
// following `shots` − 1 samples complete the new mean.
//
// Operation counting: scaling as in mlp_float.hpp; a distance is 2·d
// Fp32Mac + 2·d Load; predict: 1 Compare (any prototype?), one distance and
// 1 Compare per prototype, 1 Compare (reject?) + 1 Load (label). learn:
// 2 Compare (has a prototype? stale/full?), prototype init d Load + d Store
// + 2 Store; otherwise a distance, the reservoir insert (1 Add; once full,
// 1 Int32Mac + 1 Compare for the draw; per ordering test 1 Compare + 1 Load,
// per shifted value 1 Store, 1 Store to place), the quantile (1 Fp32Mac +
// 1 Compare + 1 Load + 1 Store), then 1 Compare (update?) and the mean update
// (1 Add + 1 Div + 2·d Fp32Mac + 2·d Load + d Store). on_drift: 1 Store per
// prototype + 2 Store.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drift/rng.hpp"
#include "learners/confidence.hpp"
#include "learners/learner.hpp"
#include "learners/mlp_float.hpp"

namespace tinyfleet {

enum class NcmUpdate : uint8_t { Frozen, Running };

struct NcmConfig {
  int shots = 5;
  NcmUpdate update = NcmUpdate::Frozen;
  double far = 0.05;
  int reservoir = 64;
  int max_classes = 32;
};

class NcmLearner final : public Learner {
 public:
  NcmLearner(const NcmConfig& config, const StreamInfo& info, uint64_t seed);

  // "shots", "update", "far", "reservoir", "max_classes".
  static std::vector<ParamSpec> param_specs();
  static NcmConfig config_from(const Params& params);

  // A class label, or unknown_label() for a rejected sample.
  int predict(const float* x, OpCounter& ops) override;
  // Throws std::out_of_range if y is not in [0, max(classes, 1)).
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  void on_drift(const DriftInfo& info, OpCounter& ops) override;
  bool adapts_on_drift() const override { return true; }
  // Softmax over the prototypes of −dist²/τ, τ = the median within-class
  // squared distance of the reservoir (the typical distance of a sample to its
  // own prototype; d/6, the mean squared distance of two uniform points of the
  // unit cube, while the reservoir is empty or its median is 0): the nearest
  // prototype's probability, or for a rejected sample the mass NOT on it (the
  // learner's belief that the sample is none of its known classes). No
  // prototype: 1/C.
  double confidence() const override { return confidence_; }
  // S·(4·d + 4 + 2 + 1) (prototypes, counts, labels, stale flags; S =
  // min(max_classes, classes) slots) + 2·classes (class → slot map) +
  // 4·reservoir + 8 (values offered) + 8 (RNG state) + 4 (threshold) + 4·d
  // (scaled query) + 8·d (scaler) + kStateBytes.
  std::size_t memory_bytes() const override;
  static constexpr std::size_t kStateBytes = 16;  // used slots, reservoir size, config

  int unknown_label() const { return classes_; }
  int prototypes() const { return used_; }
  bool has_prototype(int c) const { return class_slot_[static_cast<std::size_t>(c)] >= 0; }
  // Scaled prototype feature j of class c (must have a prototype).
  float prototype(int c, int j) const;
  uint32_t shots_seen(int c) const;  // n of the class's running mean
  bool stale(int c) const;
  // Squared-distance threshold; +inf when the reservoir is empty.
  float threshold_sq() const;
  std::size_t reservoir_size() const { return res_n_; }
  const float* reservoir() const { return res_.data(); }  // sorted ascending, reservoir_size()

 private:
  float distance_sq(const float* a, const float* b, OpCounter& ops) const;
  void reservoir_add(float v, OpCounter& ops);

  NcmConfig cfg_;
  int d_ = 0, classes_ = 1, slots_ = 1, used_ = 0;
  MinMaxScaler scaler_;
  std::vector<float> xs_, proto_;
  std::vector<uint32_t> count_;
  std::vector<int16_t> slot_label_, class_slot_;
  std::vector<uint8_t> stale_;
  std::vector<float> res_;  // sorted ascending
  std::size_t res_n_ = 0;
  uint64_t offered_ = 0;  // distances offered since the last reset (Algorithm R's n)
  float thr_ = 0.f;
  std::vector<double> dist_;  // host scratch: the last prediction's distances (confidence)
  double confidence_ = 1.0;
  SplitMix64 rng_;
};

}  // namespace tinyfleet
