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
// one keyword prototype to one prototype per class, with the thresholds given.
//
// Calibrated thresholds (`calibrate`, needs from_first_labels): the
// reference (kernels.md §6; Rusci et al.'s self_learning_personalized_kws.py)
// derives both thresholds from the few shots: with P = the largest distance
// of a positive shot to its prototype and N = the smallest distance of a
// negative shot to it, gap = N − P and
//   POS_THR = |P + min(α_p·gap, cap)|,   NEG_THR = |P + α_n·gap|
// (the reference writes this on negated distances: pos_dist = −P,
// neg_dist = −N; cap = 0.5 there, on L2-normalised embeddings). Per class c
// here: P_c over c's K shots to p_c, N_c over the true-labelled shots of every
// other class to p_c (shots seen before p_c was complete are kept for this,
// later ones update N_c as they come). A prototype with no negative shot yet
// (N_c = ∞) is not calibrated and labels nothing. Rule: nearest prototype c*
// calibrated and d_c* < POS_c* → c*; else, with a negative_class, every
// calibrated prototype other than negative_class's farther than its NEG_c
// (and at least one) → negative_class; else discarded.
// Units (`l2_normalize`): the reference compares L2-normalised embeddings
// (kernels.md §6: NCM on unit vectors, prototype = mean of the shots,
// normalised again), so its cap = 0.5 is half the norm of a vector and every
// distance lies in [0, 2]. On raw features (e.g. the 8×8 digits' pixel counts
// 0..16, shot-to-prototype distances 14..41) the same 0.5 binds for most
// classes (7–10 of 10, docs/FIDELITY.md) and POS = P + 0.5: the cap, not the
// gap, sets the threshold, which is not the reference's rule. With l2_normalize every
// sample, shot and prototype is divided by its norm before any distance, so
// P, N, the thresholds and the cap are in the reference's units (with the
// default α_p = 0.2 the cap then never binds: gap ≤ 2). Normalising the
// vectors rather than rescaling the cap by a statistic of the shots keeps the
// whole rule, nearest prototype included, the reference's.
// Not modelled: the reference's moving-average filter of length a_f (and its
// choice of a_f maximising the gap) smooths the distance over the sliding
// frames of ONE utterance; a stream sample here is one feature vector, and
// averaging over consecutive samples would mix different inputs (a_f = 1).
//
// Operation counting (as executed): with l2_normalize, normalising a vector
// (each sample to label, each shot collected, each completed prototype) is
// d Load + 2d Fp32Mac + 2 Div + d Store. Per active prototype and feature 2
// Load + 2 Fp32Mac (difference, squared accumulate), per prototype 1 Compare
// (argmin); 2 Compare for the thresholds (on squared distances, no sqrt).
// Observing a true label with from_first_labels, while its class still needs
// shots: d Load + d Fp32Mac + d Store (running sum) + 1 Add; the K-th shot
// adds d Div (mean).
// With calibrate, a distance is 2d Load + 2d Fp32Mac + 1 Div (square root):
//   label: per active prototype one distance + 2 Compare (argmin, NEG test);
//   a shot: d Store (kept), per active prototype of another class one
//     distance + 1 Compare (nearer negative?), and a threshold update if so;
//   a completed prototype: per kept shot one distance + 1 Compare (max/min),
//     then a threshold update;
//   threshold update: 4 Fp32Mac + 2 Compare (cap, |·|) + 2 Store.
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
  // the classes still collecting shots; with calibrate, the kept shots (K·d
  // fp32 per class that has any) and per prototype P, N and the two squared
  // thresholds (4 fp32); with l2_normalize, the normalised sample (d fp32).
  std::size_t memory_bytes() const;
  // Calibrated thresholds of active prototype i (infinite N: not calibrated).
  double pos_threshold(int i) const { return pos_thr_[static_cast<std::size_t>(i)]; }
  double neg_threshold(int i) const { return neg_thr_[static_cast<std::size_t>(i)]; }
  bool calibrated(int i) const;
  int prototype_class(int i) const { return labels_[static_cast<std::size_t>(i)]; }
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
  // Calibration: kept shots per class (class-major, K·d each), per active
  // prototype P, N and the thresholds (distances, not squared).
  std::vector<float> shot_x_;
  std::vector<double> pmax_, nmin_, pos_thr_, neg_thr_;
  std::vector<float> unit_;  // l2_normalize: the sample divided by its norm
  void fix_width(int d);
  // x, or with l2_normalize its normalised copy (valid until the next call).
  const float* input(const float* x, OpCounter& ops);
  double distance(const float* x, const float* p, OpCounter& ops) const;
  void set_thresholds(std::size_t i, OpCounter& ops);
  void complete_prototype(int y, OpCounter& ops);
  std::optional<int> calibrated_label(const float* x, OpCounter& ops);
};

}  // namespace tinyfleet
