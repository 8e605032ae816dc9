#pragma once
// Fully binary MLP trained with random local binary error signals
// (Colombo, Pittorino & Roveri, arXiv 2412.00119), implemented from the
// description in /work/shared/reference/kernels.md §3.
//
// Network: a chain of L subnets; subnet k = trainable hidden layer H_k
// (fan_in n_k → width units) + a frozen random binary classifier C_k
// (width → classes). Every value on the forward path is ±1, stored as a bit
// (1 = +1, 0 = −1) packed in uint32 words.
//
// Input binarisation (the reference uses the per-feature median; a stream has
// no median up front, so we use the StreamInfo range): with `thermometer` = T
// each feature f becomes T bits, bit t = [x_f > lo_f + (t+1)·(hi_f − lo_f)/(T+1)].
// T = 1 is the mid-range threshold x_f > (lo_f + hi_f)/2. n_0 = d·T (a stream
// with no features gets one constant +1 bit, n_0 = 1). Before the first label
// is learnt predict() runs (and counts) the forward but returns class 0.
// Degenerate stream (no feature with lo < hi: the binarised input is constant,
// the net cannot separate anything): the net still trains, but predict()
// returns the last learnt label (a deviation, outside kernels.md §3).
//
// Forward (kernels.md §3(b)): the binary weights are the signs of integer
// hidden weights W_k (int16, per unit j a column of n_k values); their sign
// bits are kept packed per unit. pre_j = n_k − 2·popcount(x XOR wbits_j) and
// h_j = sign(pre_j) with sign(0) = +1 (kernels.md §3(f): underspecified; only
// possible for even fan-in, the default width is odd). Scores of C_k:
// s_c = width − 2·popcount(h XOR cbits_c); prediction = argmax of the last
// subnet's scores (first maximum on ties).
//
// Learning, per subnet k (local, no backpropagation), for a training sample:
//   wrong  ⇔ argmax(s) ≠ y  or  top-2 margin (s_top1 − s_top2) < floor(rob·width)
//   τ = C_k[:, y] (bits of the true class's classifier row: the binary error signal)
//   units split into consecutive groups of `group` units (last may be shorter);
//   in each group choose the unit j with h_j ≠ τ_j and the smallest |pre_j|
//   (first such unit on ties); then W_k[:, j] += 2·x·τ_j, x the subnet's ±1 input.
// (With sign(0) = +1, "wrong sign" is h_j ≠ τ_j, which equals pre_j·τ_j < 0
// whenever pre_j ≠ 0.) Minibatch: `batch` samples are buffered; at the end the
// selections of every sample are made with the weights of the batch start
// (pass 1) and then all increments applied (pass 2) = the reference's sum.
// Metaplastic reinforcement after each minibatch update: every hidden weight
// independently with probability p_r = p·sqrt(1 − acc_prev)·sqrt(2/(π·n_k))
// gets w += 2·sign(w) (never changes the sign bit). acc_prev (the reference's
// previous-epoch training accuracy) is the training accuracy of the last
// subnet's predictions over the previous window of `acc_window` learned
// samples (0 before the first window closes). The Bernoulli draws are made by
// geometric skip sampling from a SplitMix64 stream (kernels.md §3(f): RNG
// underspecified), so cost scales with the number of reinforced weights.
// Init: W ~ N(0, 64²) (standard deviation 64, as the reference's
// cp.random.normal(0, 64)) truncated toward zero (Box–Muller on SplitMix64); C_k
// uniform random bits. Hidden weights saturate at ±32767 (int16; the
// reference has no clip, kernels.md §3(c) says int16 is ample).
//
// Operation counting (as executed):
//   binarise: d·T (1 Load + 1 Compare) + 1 Store per input word.
//   hidden layer k, per unit: words(n_k)·(1 Load + 1 Add (xor) + 1 Popcount
//     + 1 Add (accumulate)) + 1 Add (n − 2·pc) + 1 Compare (sign) + 1 Store (pre);
//     + 1 Store per output word (h bits).
//   classifier: per class words(width)·(1 Load + 1 Add + 1 Popcount + 1 Add)
//     + 1 Add; top-2 search: 2 Compare per class.
//   learn (not frozen): binarise + 1 Store per input word + 1 Store (label);
//     at a full batch, per sample: forward (as above, every subnet) + 1 Compare
//     (correct?) + 1 Compare (margin) per subnet; per wrong subnet: per unit
//     1 Load (pre) + 1 Compare (h ≠ τ), per mismatching unit 1 Add (|pre|) +
//     1 Compare, 1 Store per group (choice); pass 2 per chosen unit and input:
//     1 Load + 1 Add + 1 Compare (saturate) + 1 Store + 1 Compare (sign flip?),
//     a flipped sign 1 Load + 1 Store (bit word).
//   reinforcement: per layer 1 Div (p_r); per reinforced weight 4 Add (RNG) +
//     1 Div (skip length) + 1 Load + 1 Compare (sign/saturate) + 1 Add + 1 Store.
//   on_drift: frozen or none → nothing. reset: per hidden weight 8 Add (two
//     SplitMix64 draws) + 1 Div + 16 Fp32Mac (Box–Muller's log, sqrt and cos as
//     short polynomials) + 1 Compare (sign) + 1 Store, + 1 Store per sign-bit
//     word; soften: per hidden weight 1 Load + 2 Compare + 1 Store; both then
//     4 Store (accuracy window, buffer).
//
// Drift handling (`on_drift`; the reference trains offline, kernels.md §3):
// metaplastic reinforcement grows |w| of weights that kept their sign, so an
// old concept's weights become hard to flip — the consolidation that
// metaplastic BNNs use against forgetting (Laborieux et al., Nature Commun.
// 12:2549, 2021) is what slows adaptation after a change. On a detected
// change (or a fleet reset):
//   none    passive adaptation only;
//   soften  clip every hidden weight to ±soften_bound keeping its sign: the
//           net predicts exactly as before but any weight flips again within
//           a few ±2 updates (consolidation undone, knowledge kept);
//   reset   re-draw the hidden weights to their seeded init (a fresh net;
//           the frozen classifiers never change).
// Either action restarts the accuracy window (acc_prev = 0: the new concept's
// accuracy is unknown, full reinforcement strength as at the start) and
// drops the samples buffered for the pending minibatch.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "learners/confidence.hpp"
#include "learners/learner.hpp"

namespace tinyfleet {

enum class BnnDriftAction : uint8_t { None, Soften, Reset };

struct BnnConfig {
  int width = 255;  // hidden units per subnet (odd: pre-activations never 0)
  int layers = 1;   // number of subnets (≥ 1); the paper's FMNIST net is width 1035, layers 2
  int group = 0;    // group size G of the sparse update; 0 = ceil(width/9) (paper: 1035/115 = 9)
  double rob = 0.25;
  double p = 0.5;  // metaplasticity strength (p = 0 disables reinforcement)
  int batch = 1;
  int acc_window = 100;
  int thermometer = 1;
  BnnDriftAction on_drift = BnnDriftAction::None;
  int soften_bound = 64;  // |w| cap of on_drift: soften
  uint64_t seed = 1;
};

class BnnLearner final : public Learner {
 public:
  // Throws std::invalid_argument on a bad config or StreamInfo.
  BnnLearner(const BnnConfig& config, const StreamInfo& info);

  static std::vector<ParamSpec> param_specs();
  static BnnConfig config_from(const Params& params, uint64_t seed);

  int predict(const float* x, OpCounter& ops) override;
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  void on_drift(const DriftInfo& info, OpCounter& ops) override;
  bool adapts_on_drift() const override { return cfg_.on_drift != BnnDriftAction::None; }
  // 1 − margin/(2·width) of the last prediction's top-2 scores.
  double uncertainty() const override { return last_uncertainty_; }
  // Softmax of the last subnet's scores s_c, unit = width (full agreement;
  // learners/confidence.hpp). No opinion (nothing learnt, constant input): 1/C.
  double confidence() const override {
    if (!learned_ || !informative_) return 1.0 / std::max(classes_, 1);
    return anchored_confidence(scores_.back().data(), static_cast<std::size_t>(classes_),
                               static_cast<double>(cfg_.width));
  }
  // Σ_k n_k·width·2                         integer hidden weights (int16)
  // + Σ_k width·words(n_k)·4                packed sign bits (uint32)
  // + L·C·words(width)·4                    frozen classifiers (packed)
  // + n_0·4                                 binarisation thresholds (fp32)
  // + words(n_0)·4 + L·(width·2 + words(width)·4)   scratch: input bits, pre (int16), h bits
  // + batch·(Σ_k words(n_k)·4 + L·groups·2 + 2)     minibatch: layer inputs, choices, label
  // + kStateBytes                           counters, RNG state, acc_prev, last label
  std::size_t memory_bytes() const override;
  static constexpr std::size_t kStateBytes = 32;

  // --- Lower-level access (tests) -----------------------------------------
  static int words(int bits) { return (bits + 31) / 32; }
  int fan_in(int k) const { return k == 0 ? n0_ : cfg_.width; }
  int group_size() const { return group_; }
  int classes() const { return classes_; }
  int16_t weight(int k, int j, int i) const;  // subnet k, unit j, input i
  void set_weight(int k, int j, int i, int16_t w);
  bool weight_bit(int k, int j, int i) const;
  bool classifier_bit(int k, int c, int j) const;
  void set_classifier_bit(int k, int c, int j, bool b);
  // Binarised input bit i of x.
  void binarise(const float* x, uint32_t* out, OpCounter& ops) const;
  // Pre-activation / hidden bit of unit j of subnet k after the last forward.
  int pre(int k, int j) const {
    return pre_[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)];
  }
  bool hidden_bit(int k, int j) const;
  // Scores of subnet k's classifier for the last forward.
  int score(int k, int c) const;
  double acc_prev() const { return acc_prev_; }
  uint64_t updates() const { return updates_; }

 private:
  // Forward of subnet k from packed input `in` into pre_[k] / h_[k]; returns argmax class,
  // fills top-1/top-2 scores if non-null.
  void hidden_forward(int k, const uint32_t* in, OpCounter& ops);
  int classify(int k, int& margin, OpCounter& ops);
  void train_batch(OpCounter& ops);
  void reinforce(OpCounter& ops);
  // Draws subnet k's hidden weights (and sign bits) from its seeded init stream;
  // returns the number of weights.
  uint64_t init_hidden(int k);
  std::size_t widx(int k, int j, int i) const {
    return static_cast<std::size_t>(j) * static_cast<std::size_t>(fan_in(k)) +
           static_cast<std::size_t>(i);
  }

  BnnConfig cfg_;
  int d_ = 0, n0_ = 0, classes_ = 0, group_ = 1, groups_ = 1, rob_thr_ = 0;
  std::vector<float> thr_;                    // d·T thresholds
  std::vector<std::vector<int16_t>> w_;       // per subnet: width × n_k (unit-major)
  std::vector<std::vector<uint32_t>> wbits_;  // per subnet: width × words(n_k)
  std::vector<std::vector<uint32_t>> cbits_;  // per subnet: C × words(width)
  std::vector<std::vector<int16_t>> pre_;     // per subnet: width
  std::vector<std::vector<uint32_t>> h_;      // per subnet: words(width)
  std::vector<std::vector<int>> scores_;      // per subnet: C (host scratch)
  std::vector<uint32_t> xin_;                 // words(n0)
  // Minibatch
  std::vector<std::vector<uint32_t>> bin_;  // per subnet: batch × words(n_k)
  std::vector<uint16_t> choice_;            // batch × L × groups (0xFFFF: none)
  std::vector<int> by_;
  int buffered_ = 0;
  // Metaplasticity
  uint64_t rng_state_ = 0;
  double acc_prev_ = 0.0;
  int win_seen_ = 0, win_correct_ = 0;
  uint64_t updates_ = 0;
  double last_uncertainty_ = 1.0;
  bool learned_ = false;      // a label was learnt (before: predict returns 0)
  bool informative_ = false;  // some feature has lo < hi
  int last_label_ = 0;
};

}  // namespace tinyfleet
