#pragma once
// kNN over a bounded int8 knowledge base (KB), after TML-CD (Disabato & Roveri,
// "Tiny Machine Learning for Concept Drift", arXiv 2107.14759): a kNN whose KB
// is updated passively with supervised samples (condensed-NN "add if
// misclassified") and actively on a detected change (entries older than the
// estimated change time are dropped). The paper puts a frozen feature extractor
// in front; our streams already deliver features, so the KB stores the
// quantised stream features directly.
//
// Quantisation (int8, per feature j, with the StreamInfo range [lo_j, hi_j]):
//   q_j = clamp(round((x_j − lo_j) / (hi_j − lo_j) · 255) − 128, −128, 127)
// round() is half away from zero. A degenerate range (hi_j <= lo_j, or a
// non-finite one) maps every value to −128; NaN maps to −128.
//
// Storage: one flat std::vector<int8_t> holding the KB feature-major (feature
// j of slot s at [j·stride + s], stride = budget rounded up to a multiple of
// 64 so that distances are computed in fixed-size blocks the compiler
// vectorises; the padding is a host artefact and is not reported as device
// memory), an int16 label per entry and the uint64 sample index at which the
// entry was added, all preallocated at construction. When the KB is full the
// oldest entry is replaced (ring buffer / FIFO). Nothing allocates after
// construction.
//
// Distances (int8 features, integer accumulator): L1 = Σ|q_j − e_j|,
// L2 = Σ(q_j − e_j)² (squared; the root does not change the ranking).
// Prediction: majority vote of the k nearest entries. Equal distances prefer
// the newer entry (recency matters under drift). Equal vote counts go to the
// class of the nearest neighbour among the tied classes. An empty KB predicts 0.
//
// Operation counting (as really executed; OpCounter classes). Loads/stores
// count one per int8 feature (byte accesses, no SIMD packing assumed), one per
// label/top-k word, two per 64-bit sample index (32-bit MCUs).
//   quantise(x):      per feature: 1 Fp32Mac, 2 Compare (clamp), 1 Store.
//   predict(x):       1 Compare (empty-KB check); if the KB is empty, stop.
//                     Otherwise quantise(x), then for n entries:
//                       k Store (top-k init to a sentinel),
//                       n·d Int8Mac, n·d Load (KB bytes), n Compare (against
//                       the current k-th best).
//                     Each accepted entry (enters the top-k): 1 Load (label),
//                       1 Compare per ordering test evaluated while walking
//                       the top-k array, 2 Load + 2 Store per shifted element,
//                       2 Store to place it.
//                     Vote over the c = min(n, k) neighbours: c Store (reset
//                       the counters), c·(1 Load + 1 Add + 1 Store) (count),
//                       (c − 1)·(1 Load + 1 Compare) (arg-max with tie rule).
//   learn(x, y, i):   frozen → nothing. `all`: quantise(x) + insert.
//                     `misclassified`: 1 Compare (size < k); if so quantise +
//                       insert; else predict(x) + 1 Compare (prediction ≠ y)
//                       and insert if it differs (reuses the quantised query).
//   insert:           1 Compare (full?), d Load + d Store (features), 1 Store
//                     (label), 2 Store (index), 1 Add (ring bookkeeping).
//   on_drift(info):   frozen → nothing. Per live entry: 2 Load + 1 Compare
//                     (index vs the estimate); per kept entry that moves:
//                     (d + 3) Load + (d + 3) Store; then 1 Store (new size).
//                     With change_time: refine, first the refinement below.
//
// Change-time refinement (`change_time: refine`). A detector's own estimate
// (e.g. Page-Hinkley's argmin) is poor on a noisy 0/1 error stream, so
// dropping "entries older than the estimate" removes little. TML-CD
// (kernels.md §4(b), [unverified] there) refines the change time after an
// alarm; the JIT-classifier line it comes from (Alippi, Boracchi & Roveri,
// "Just-in-time classifiers for recurrent concepts", IEEE TNNLS 24(4), 2013)
// runs a change-point method on the stored sequence once the ICI-CDT has
// fired. We do the same on the KB's own prequential errors: the learner keeps
// the last `refine_window` (sample index, error bit) pairs, the error bit
// being whether the KB (before learning the sample) misclassified it. After
// an alarm whose detector estimate falls inside that history, the change
// point is the maximum of the change-point-model statistic for a shift of the
// mean (Hawkins, Qiu & Kang, J. Quality Technology 35(4), 2003; Hinkley,
// Biometrika 57(1), 1970), over the n stored bits e_1..e_n with S_t = Σ_{i≤t} e_i:
//   T_t = (n·S_t − t·S_n)² / (t·(n − t)),  t = 1..n−1, only where the error
//         rate rose (n·S_t − t·S_n < 0);
//   τ̂ = the sample index of e_{t*+1}, t* = the first maximiser.
// All integer (|n·S_t − t·S_n| ≤ n² ≤ 2^20, fractions compared by cross
// multiplication within int64). No candidate (history < 2, or the rate never
// rose) keeps the detector's estimate; so does an estimate newer than the
// whole history (a fleet reset: forget everything). The history before τ̂ is
// dropped with the KB entries (it is the old concept's).
// Validation (`validate_z` > 0), the second layer of a hierarchical CDT
// (Alippi, Boracchi & Roveri, "Hierarchical change-detection tests", IEEE
// TNNLS 28(2), 2017), here as a two-proportion z test on the same stored
// bits split at t*: with e_1 = S_t*, e_2 = S_n − S_t*, p_1 = e_1/t*,
// p_2 = e_2/(n − t*), p = S_n/n, the alarm stands only if
//   (p_2 − p_1) / sqrt(p(1 − p)(1/t* + 1/(n − t*))) >= validate_z;
// otherwise (or with no candidate) it is a false alarm: nothing is dropped.
// Since t* maximises the split statistic, the test is optimistic under no
// change; thresholds of 3–4 keep false acceptances rare (tested).
//   validation: 7 Div (rates, reciprocals, sqrt, ratio) + 4 Fp32Mac +
//     1 Compare.
//   learning with refine: the error bit needs the KB's prediction, so `add:
//     all` and a KB smaller than k also predict (counted as predict()), then
//     1 Compare + 2 Store (index) + 1 Store (bit) + 1 Add (ring).
//   refinement: 2 Load + 1 Compare (newest index vs the estimate); n Load +
//     n Add (S_n); per candidate t 1 Load + 3 Add + 6 Int32Mac + 2 Compare; then
//     the history compaction as the KB's: per entry 2 Load + 1 Compare, per
//     moved entry 3 Load + 3 Store, 1 Store.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "learners/learner.hpp"
#include "learners/reconfigurable.hpp"

namespace tinyfleet {

enum class KnnDistance : uint8_t { L1, L2 };
enum class KnnAddRule : uint8_t { Misclassified, All };
enum class KnnChangeTime : uint8_t { Detector, Refine };

struct KnnConfig {
  int k = 3;
  int budget = 64;
  KnnDistance distance = KnnDistance::L1;
  KnnAddRule add = KnnAddRule::Misclassified;
  KnnChangeTime change_time = KnnChangeTime::Detector;
  int refine_window = 256;  // error history of the refinement (entries, <= kMaxRefineWindow)
  double validate_z = 0;    // > 0: reject alarms the stored errors do not support (refine only)
};

// Knob (learners/knn_knobs.cpp): "kb_budget", the live knowledge-base capacity
// in [k, budget]. Shrinking keeps the newest entries (ring compaction, counted
// like on_drift's); memory_bytes() reports the live capacity (the rest of the
// preallocated arena is given back to the application).
class KnnLearner final : public Learner, public Reconfigurable {
 public:
  // Throws std::invalid_argument on a bad config or StreamInfo (lo/hi sizes
  // must equal `features`; features <= kMaxFeatures; classes <= 32767).
  KnnLearner(const KnnConfig& config, const StreamInfo& info);

  // Parameters "k", "budget", "distance", "add" (shared with the static learner),
  // "change_time", "refine_window".
  static std::vector<ParamSpec> param_specs();
  // Reads and validates resolved params; std::invalid_argument names the bad one.
  static KnnConfig config_from(const Params& params);
  // Only k, budget, distance, add (the static learner's share; it never adapts).
  static KnnConfig base_config_from(const Params& params);

  int predict(const float* x, OpCounter& ops) override;
  // Throws std::out_of_range if y is not in [0, max(classes, 1)).
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  void on_drift(const DriftInfo& info, OpCounter& ops) override;
  bool adapts_on_drift() const override { return true; }
  // budget·(d + 2 + 8)   KB: int8 features, int16 label, uint64 added-index
  // + d                  quantised query buffer
  // + 8·d                per-feature lo and scale (fp32)
  // + 6·k                top-k distances (uint32) and labels (int16)
  // + 2·max(classes, 1)  vote counters (uint16)
  // + kStateBytes        head, size, k, d, budget, flags
  // + refine_window·9 + 8   with change_time: refine: error history (uint64
  //                         index + uint8 bit), its head and size
  std::size_t memory_bytes() const override;
  // Least-confidence uncertainty over the k neighbour slots: 1 − winner's
  // votes / k. Empty slots of a knowledge base with fewer than k entries count
  // as dissent, so it stays uncertain (1 when empty) and active labelling
  // keeps asking; dividing by the entries found would call one entry certain.
  double uncertainty() const override {
    return found_ == 0 ? 1.0 : 1.0 - static_cast<double>(win_votes_) / best_d_.size();
  }
  // Vote fraction of the winning class among the neighbours found; an empty
  // knowledge base has no opinion: 1/C.
  double confidence() const override {
    return found_ == 0 ? 1.0 / classes_ : static_cast<double>(win_votes_) / found_;
  }
  Reconfigurable* reconfigurable() override { return this; }
  std::vector<KnobInfo> knobs() const override;
  double knob(const std::string& name) const override;
  double set_knob(const std::string& name, double value, OpCounter& ops) override;
  static constexpr std::size_t kStateBytes = 24;
  static constexpr int kMaxFeatures = 65535;     // keeps the L2 sum within uint32
  static constexpr int kMaxRefineWindow = 1024;  // keeps the refinement within int64
  static constexpr std::size_t kBlock = 64;      // slots per distance block (host vectorisation)

  // Quantises x into out[0..d) (formula above) and counts its ops.
  void quantise(const float* x, int8_t* out, OpCounter& ops) const;

  // Introspection, logical order: entry 0 is the oldest live entry.
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return live_capacity_; }
  int features() const { return d_; }
  const KnnConfig& config() const { return cfg_; }
  int entry_feature(std::size_t i, std::size_t j) const { return kb_[j * stride_ + slot(i)]; }
  int entry_label(std::size_t i) const { return labels_[slot(i)]; }
  uint64_t entry_index(std::size_t i) const { return added_[slot(i)]; }
  uint64_t entries_added() const { return total_added_; }  // inserts ever made
  // The change time the last on_drift used (the detector's or the refined one).
  uint64_t last_change_estimate() const { return last_estimate_; }
  uint64_t alarms_rejected() const { return rejected_; }  // by validation
  std::size_t error_history() const { return hist_size_; }
  // The refinement on a given error sequence (bits, their sample indices);
  // returns false if there is no candidate. Exposed for tests.
  // `split` (if non-null) gets t*, the number of entries before the change.
  static bool refine_change(const uint8_t* bits, const uint64_t* index, std::size_t n,
                            uint64_t& estimate, OpCounter& ops, std::size_t* split = nullptr);
  // The validation's z statistic for e1 errors in n1 entries before and e2 in n2 after.
  static double validation_z(uint64_t e1, uint64_t n1, uint64_t e2, uint64_t n2);

  struct TopK;  // implementation detail of predict (top-k selection state)

 private:
  std::size_t dim() const { return static_cast<std::size_t>(d_); }
  std::size_t slot(std::size_t i) const { return (head_ + i) % capacity(); }
  int predict_quantised(OpCounter& ops);  // on q_, KB non-empty (memoised)
  int compute_prediction(OpCounter& ops);
  void insert(int y, uint64_t sample_index, OpCounter& ops);
  void set_capacity(std::size_t cap, OpCounter& ops);  // learners/knn_knobs.cpp
  void record_error(bool error, uint64_t sample_index, OpCounter& ops);
  // False if validation rejects the alarm; else `change` = the change time to use.
  bool refined_estimate(uint64_t detector_estimate, uint64_t& change, OpCounter& ops);

  template <bool kL2>
  void scan(std::size_t from, std::size_t to, TopK& top) const;  // slots [from, to)

  KnnConfig cfg_;
  int d_ = 0;
  int classes_ = 1;
  std::size_t live_capacity_ = 0;  // kb_budget knob, <= cfg_.budget
  std::size_t stride_ = 0;         // slots per feature row (budget rounded up to 64)
  std::vector<int8_t> kb_;         // stride·d, feature-major
  std::vector<int16_t> labels_;    // budget
  std::vector<uint64_t> added_;    // budget
  std::size_t head_ = 0;           // slot of the oldest live entry
  std::size_t size_ = 0;
  uint64_t total_added_ = 0;
  std::vector<float> lo_, scale_;  // quantisation: (x − lo)·scale ∈ [0, 255]
  std::vector<int8_t> q_;          // the current query, quantised once
  std::vector<uint32_t> best_d_;   // top-k, ascending distance
  std::vector<int16_t> best_l_;
  std::vector<uint16_t> votes_;  // per class
  // Error history of the change-time refinement (ring, oldest at hist_head_).
  std::vector<uint64_t> hist_index_;
  std::vector<uint8_t> hist_bit_;
  std::size_t hist_head_ = 0, hist_size_ = 0;
  uint64_t last_estimate_ = 0, rejected_ = 0;
  // Host-side memo of the last prediction (not device state, not reported):
  // the condensed-NN rule re-predicts a sample when its label arrives, usually
  // with the KB unchanged since the sample was predicted. A prediction and its
  // op counts are a function of (KB contents, quantised query), so replaying
  // them is exact.
  uint64_t kb_version_ = 0;  // bumped on every KB change
  uint64_t memo_version_ = ~uint64_t{0};
  std::vector<int8_t> memo_q_;
  int memo_pred_ = 0;
  int win_votes_ = 0, found_ = 0;  // last prediction: winner's votes, neighbours found
  int memo_win_votes_ = 0, memo_found_ = 0;
  OpCounter memo_ops_;
};

}  // namespace tinyfleet
