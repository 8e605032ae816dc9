#pragma once
// Self-labelling: pseudo-labels for the samples the label policy leaves
// unlabelled, from the distance to class prototypes (kernels.md §6, Rusci et
// al., self-learning personalised KWS, arXiv 2408.12481), feeding any learner.
//
// Prototypes: user-provided (one feature vector per class, read by the
// scenario loader from `labels.self.prototypes`), or built on the device from
// true labels: with `from_first_labels` = K, class c's prototype is the mean of
// the first K labelled samples of class c and takes part once all K arrived.
//
// Rule for an unlabelled sample x (Euclidean distance d_c = ‖x − p_c‖, c* the
// nearest active prototype, first on ties):
//   d_c* < positive                           → pseudo-label c*        (positive)
//   d_c* > negative (negative > 0, and a
//   negative_class is set)                    → pseudo-label negative_class (negative)
//   otherwise                                 → no label (discarded)
// This is the reference's positive/negative threshold rule generalised from
// one keyword prototype to one prototype per class; the reference's moving
// average of the distance and its threshold calibration from α_p/α_n are not
// modelled: the thresholds are given directly.
//
// Operation counting (as executed): per active prototype and feature 2 Load +
// 2 Fp32Mac (difference, squared accumulate), per prototype 1 Compare
// (argmin); 2 Compare for the thresholds (on squared distances, no sqrt).
// Observing a true label with from_first_labels, while its class still needs
// shots: d Load + d Fp32Mac + d Store (running sum) + 1 Add; the K-th shot
// adds d Div (mean).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "devices/op_counter.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

class SelfLabeller {
 public:
  explicit SelfLabeller(const SelfLabelSpec& spec);

  // Pseudo-label for x (d features), or nullopt. Throws std::invalid_argument
  // if user prototypes do not have d features.
  std::optional<int> label(const float* x, int d, OpCounter& ops);
  // A true label arrived (builds from_first_labels prototypes; no-op otherwise).
  void observe(const float* x, int d, int y, OpCounter& ops);

  // Bytes on the device: active prototypes (C·d fp32 + C class ids int16) and,
  // with from_first_labels, the running sums (fp32) and shot counts (int16) of
  // the classes still collecting shots.
  std::size_t memory_bytes() const;
  int prototypes() const { return static_cast<int>(labels_.size()); }
  uint64_t positives() const { return positives_; }
  uint64_t negatives() const { return negatives_; }
  uint64_t discarded() const { return discarded_; }

 private:
  SelfLabelSpec spec_;
  int d_ = -1;                  // feature count, fixed by the first call
  std::vector<float> protos_;   // active prototypes, row-major
  std::vector<int> labels_;     // class of each active prototype
  std::vector<float> sums_;     // from_first_labels: per class running sum (class-major)
  std::vector<int> shots_;      // per class shots so far
  std::size_t collecting_ = 0;  // classes with 0 < shots < K
  uint64_t positives_ = 0, negatives_ = 0, discarded_ = 0;
  void fix_width(int d);
};

}  // namespace tinyfleet
