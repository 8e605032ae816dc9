#pragma once
// AREBA, QBR and HAREBA: online learning on class queues rebalanced under a
// memory budget.
//  - AREBA: Malialis, Panayiotou & Polycarpou, "Online Learning With Adaptive
//    Rebalancing in Nonstationary Environments", IEEE TNNLS 2020
//    (doi 10.1109/TNNLS.2020.3017863); rule read in kmalialis/areba
//    class_areba.py / run_main_synthetic.py (kernels.md §5).
//  - QBR: the same queues with fixed growth to B/2 per class
//    (kmalialis/queue_based_resampling class_qbr.py).
//  - HAREBA: Malialis, Roveri, Alippi, Panayiotou & Polycarpou, SSCI 2022
//    (arXiv 2210.04949): AREBA plus a detector-triggered adaptation. The
//    on-detection action is [unverified] in the reference; OUR CHOICE (the
//    plausible implementation kernels.md §5 names): flush every queue down to
//    its `keep` most recent items and keep the model, the capacities and the
//    class-size trackers (keep = 0 empties the queues; an emptied queue's
//    capacity returns to 1, i.e. the queues restart from AREBA's initial state).
//
// Per labelled sample (x, y), in the reference order:
//  1. class-size trackers s_c ← θ·s_c + (1 − θ)·[y = c], θ = 0.99, all from 0;
//  2. append (x, y) to queue y (FIFO: a full queue drops its oldest item);
//  3. adapt capacities (all start at 1):
//     AREBA (binary, exactly class_areba.py):
//       if pos is empty and c_neg < B: c_neg += 1; elif neg is empty and
//       c_pos < B: c_pos += 1; else let m be the minority by s (s_neg <= s_pos
//       → neg); only if queue m is full: if c_m < B/2 then c_M ← c_m (the old
//       value) and c_m ← c_m + 1; elif c_m == B/2 then c_M ← c_m.
//       (B/2 is a real number: an odd B never hits the equality.)
//     Shrinking keeps the newest items.
//     QBR: after appending to queue y: if it is full and c_y < B/C, c_y += 1.
//  4. one epoch of full-batch gradient descent (one Adam step on the mean
//     loss) over the union of the queues, class 0's queue first, each oldest
//     first (the reference's concatenation order).
// Prediction: the MLP's class (p > 0.5). Before the first labelled sample the
// model is untrained and the learner predicts 0 (1 Compare): our choice, so
// that an empty learner answers like every other kernel.
//
// C > 2 classes (OUR GENERALISATION; the papers are binary): one queue per
// class, B/C in place of B/2, and "active" classes = those with a non-empty
// queue: if exactly one class is active and its capacity is < B, it grows by
// one; otherwise the minority m = arg-min s over the active classes (ties →
// lowest class index, which is the binary tie rule) and, if queue m is full,
// c_m < B/C → every other class's capacity ← old c_m, c_m += 1; c_m == B/C →
// every other class's capacity ← c_m. For C = 2 this is the binary rule
// (an empty queue can never be a full minority). The model becomes d-H-C
// with softmax and cross-entropy. C <= 1 is treated as binary (only label 0).
//
// Inputs are min-max scaled with the stream's range (learners/mlp_float.hpp).
//
// Storage (preallocated, nothing allocates after construction): a pool of
// P = max(B + C − 1, C·max(1, ceil(B/C))) slots of (d floats + a label). The
// live items never exceed the sum of the capacities: a lone class can grow to
// B while every other capacity is still 1 (B + C − 1; B + 1 for binary), and
// after any rebalancing every capacity is <= ceil(B/C) (also QBR's bound).
// Queues never empty again once used (keep >= 1), so the lone phase cannot
// return; with keep = 0 a flushed-empty queue restarts at capacity 1. Plus a
// slot-index ring of B entries per class (uint16) and a free-slot stack.
//
// Operation counting (besides scaling and the MLP, see mlp_float.hpp):
//   trackers: C Fp32Mac + C Load + C Store.
//   append: 2 Compare (full? / slot), d + 1 Store (x', y), 3 Load + 3 Store
//     (ring and free-stack bookkeeping), 1 Add.
//   AREBA adaptation: 2·C Load + 2·C Compare (lengths and capacities),
//     C − 1 Compare (arg-min), 2 Compare (full?, c_m vs B/C), then 1 Store per
//     capacity written and 2 Load + 2 Store + 1 Add per item dropped.
//   QBR adaptation: 2 Compare + 1 Store when it grows.
//   training: C Add + 1 Div (1/n); per item 2 Load (slot, label) + the MLP's
//     accumulate() (forward + backward); then the MLP's zero_grad and Adam step.
//   on_drift (HAREBA): C Compare + per dropped item 2 Load + 2 Store + 1 Add
//     (+ 1 Store per emptied queue whose capacity returns to 1).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "learners/learner.hpp"
#include "learners/mlp_float.hpp"

namespace tinyfleet {

enum class RebalanceRule : uint8_t { Areba, Qbr };

struct ArebaConfig {
  RebalanceRule rule = RebalanceRule::Areba;
  int budget = 20;              // B, total queue budget (items)
  int hidden = 8;               // hidden units of the d-H-1 net
  double lr = 0.01;             // Adam learning rate
  double theta = 0.99;          // class-size tracker decay
  bool flush_on_drift = false;  // HAREBA
  int keep = 1;                 // HAREBA: items kept per queue at a detection
};

class ArebaLearner final : public Learner {
 public:
  // Throws std::invalid_argument on a bad config or StreamInfo.
  ArebaLearner(const ArebaConfig& config, const StreamInfo& info, uint64_t seed);

  // "budget", "hidden", "lr" (areba, qbr); hareba adds "keep".
  static std::vector<ParamSpec> param_specs(bool hareba);
  static ArebaConfig config_from(const Params& params, RebalanceRule rule, bool hareba);

  int predict(const float* x, OpCounter& ops) override;
  // Throws std::out_of_range if y is not in [0, max(classes, 2)).
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  // HAREBA: flush each queue to its `keep` newest items. AREBA/QBR: nothing.
  void on_drift(const DriftInfo& info, OpCounter& ops) override;
  bool adapts_on_drift() const override { return cfg_.flush_on_drift; }
  // The MLP's probability of the predicted class (sigmoid: max(p, 1 − p);
  // softmax: the largest); 1/C before the first labelled sample.
  double confidence() const override { return confidence_; }
  // pool P·(d + 1)·4 (features and label as fp32 words, kernels.md §5 "B·(d+1)
  // floats", plus the slack slot(s)) + C·B·2 (index rings) + P·2 (free stack)
  // + C·(4 + 2 + 2 + 2) (tracker, ring head, length, capacity) + the MLP
  // (θ, gradient, Adam m and v, activations, step scalars) + the scaler
  // (2·d·4) + d·4 (scaled input) + kStateBytes.
  std::size_t memory_bytes() const override;
  static constexpr std::size_t kStateBytes = 16;  // free count, flags, B, C

  // Introspection.
  int classes() const { return classes_; }
  int queue_capacity(int c) const { return cap_[static_cast<std::size_t>(c)]; }
  int queue_length(int c) const { return len_[static_cast<std::size_t>(c)]; }
  float class_size(int c) const { return size_[static_cast<std::size_t>(c)]; }
  // Feature j (scaled) of item i (0 = oldest) of queue c.
  float queue_item(int c, int i, int j) const;
  std::size_t pool_slots() const { return pool_; }
  const FloatMlp& model() const { return mlp_; }
  FloatMlp& model() { return mlp_; }
  const ArebaConfig& config() const { return cfg_; }

 private:
  std::size_t slot_of(int c, int i) const;
  void shrink(int c, int cap, OpCounter& ops);  // capacity ← cap, drop oldest beyond
  void adapt_areba(OpCounter& ops);
  void append(const float* xs, int y, OpCounter& ops);
  void train(OpCounter& ops);

  ArebaConfig cfg_;
  int d_ = 0;
  int classes_ = 2;  // queues
  std::size_t pool_ = 0;
  std::size_t ring_ = 0;  // ring entries per class (= B)
  MinMaxScaler scaler_;
  FloatMlp mlp_;
  std::vector<float> xs_;            // scaled query
  std::vector<float> pool_x_;        // pool_·d
  std::vector<int16_t> pool_y_;      // pool_
  std::vector<uint16_t> ring_slot_;  // classes_·ring_
  std::vector<uint16_t> free_;       // free-slot stack
  std::size_t free_n_ = 0;
  std::vector<int> head_, len_, cap_;
  std::vector<float> size_;  // class-size trackers
  bool trained_ = false;
  double confidence_ = 0.5;  // of the last prediction
};

// Prequential recall/specificity with a fading factor (AREBA's evaluation,
// run_main_synthetic.py): S ← correct + f·S, N ← 1 + f·N, metric = S/N, both
// metrics start at 1.0 before their class is seen; G-mean = sqrt(rec·spec).
// Class 1 is the positive (minority) class. Host-side evaluation helper, not a
// device structure.
struct FadingGMean {
  double f = 0.99;
  double rec_s = 0, rec_n = 0, spec_s = 0, spec_n = 0, recall = 1, specificity = 1;
  void update(int y, int prediction);
  double gmean() const;
};

}  // namespace tinyfleet
