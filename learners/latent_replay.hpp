#pragma once
// Quantized latent replay for class-incremental learning of a last layer
// (Ravaglia et al., "A TinyML Platform for On-Device Continual Learning with
// Quantized Latent Replays", IEEE JETCAS 2021, arXiv 2110.10486; kernels.md §6).
//
// The network is TinyOL's (learners/tinyol.hpp): a frozen front end (seeded
// random projection + ReLU, or the scaled raw features) and one fp32 trainable
// last layer. The latent activations a (D values) of labelled samples are kept
// in a replay buffer of `buffer` slots, each stored with `bits` bits per value
// (8: 4× less than fp32, the paper's setting; the paper also tries 7 and
// fewer; 32: the fp32 vectors as they are): with L = 2^bits − 1, per vector
//   lo = min a, s = (max a − lo)/L (s = 0 for a constant vector),
//   code_j = round((a_j − lo)/s) in [0, L],  â_j = lo + code_j·s,
// i.e. an asymmetric per-vector scale (our choice: the paper quantizes with the
// front end's fixed activation range, which a random projection does not have).
//
// learn(x, y): front end → a; one SGD step on (a, y); then `replays` SGD steps
// on buffer entries drawn uniformly with replacement (dequantized â and their
// stored labels), so old classes keep being rehearsed; then (a, y) enters the
// buffer by reservoir sampling (Vitter's algorithm R: the n-th labelled sample
// replaces slot j = U{0..n−1} if j < buffer), which keeps a uniform sample of
// the whole labelled history. All draws come from SplitMix64 seeded from the
// learner seed. buffer = 0 is plain TinyOL.
//
// Operation counting (as executed), on top of TinyOL's (front end, SGD step
// per new or replayed sample, as tinyol.hpp): quantise D·(1 Load + 2 Compare)
// for min/max, 1 Div (scale), D·(1 Fp32Mac + 1 Compare (clamp) + 1 Store);
// per replayed entry 1 Add + 1 Div (index draw) and D·(1 Load + 1 Fp32Mac)
// dequantise + 2 Load (lo, s, label); reservoir 1 Add + 1 Div + 1 Compare, and
// for an insert D + 3 Store.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drift/rng.hpp"
#include "learners/learner.hpp"
#include "learners/tinyol.hpp"

namespace tinyfleet {

struct LatentReplayConfig {
  TinyOlConfig layer;
  int buffer = 200;  // replay slots (0: no replay)
  int replays = 2;   // replayed entries per labelled sample
  int bits = 8;      // per stored latent value: 1..8 (quantized) or 32 (fp32)
};

class LatentReplayLearner final : public Learner {
 public:
  LatentReplayLearner(const LatentReplayConfig& config, const StreamInfo& info, uint64_t seed);

  // TinyOL's "features_out", "lr", "l2" plus "buffer", "replays".
  static std::vector<ParamSpec> param_specs();
  static LatentReplayConfig config_from(const Params& params);

  int predict(const float* x, OpCounter& ops) override { return net_.predict(x, ops); }
  // Throws std::out_of_range if y is not a class of the stream.
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  void on_drift(const DriftInfo&, OpCounter&) override {}
  bool adapts_on_drift() const override { return false; }
  double confidence() const override { return net_.confidence(); }  // TinyOL's
  // TinyOL's bytes + buffer·(⌈D·bits/8⌉ + 4 + 4 + 2) (codes packed as a device
  // would store them, lo, s as fp32, label as int16; fp32: buffer·(4·D + 2))
  // + D·4 (dequantised scratch) + D (codes of the new sample; not for fp32)
  // + kStateBytes. The simulator itself keeps one code per byte.
  std::size_t replay_bytes() const;  // the buffer's share of memory_bytes()
  std::size_t memory_bytes() const override;
  static constexpr std::size_t kStateBytes = 24;  // counters, RNG state, sizes

  // Quantise D values into codes, returning (lo, s); dequantise back (tests).
  static void quantise(const float* a, int d, uint8_t* codes, float& lo, float& scale,
                       int levels = 255);
  static void dequantise(const uint8_t* codes, int d, float lo, float scale, float* out);
  int stored() const { return static_cast<int>(labels_.size()); }
  int stored_label(int slot) const { return labels_[static_cast<std::size_t>(slot)]; }
  const TinyOlLearner& layer() const { return net_; }

 private:
  LatentReplayConfig cfg_;
  TinyOlLearner net_;
  int din_ = 0;
  std::vector<uint8_t> codes_;  // buffer × D
  std::vector<float> fp_;       // buffer × D (bits = 32)
  std::vector<float> lo_, scale_;
  std::vector<int> labels_;
  std::vector<uint8_t> new_codes_;
  std::vector<float> replay_a_;
  uint64_t seen_ = 0;
  SplitMix64 rng_;
};

}  // namespace tinyfleet
