#pragma once
// NITRO-D: integer-only MLP trained block by block from local losses
// (Pirillo, Colombo & Roveri, "NITRO-D: Native Integer-only Training of Deep
// Convolutional Neural Networks", arXiv 2407.11698), implemented from the
// equations in /work/shared/reference/kernels.md §2 (MLP variant, no bias,
// no dropout). Every division is truncation toward zero (C++ `/`), as the
// reference's `truncated_division` (kernels.md §0).
//
// Network d_0 - H_1 [- H_2 [- H_3]] - C. Hidden block l (d_in → H_l):
//   z = x·W_lᵀ                                   (W_l: H_l×d_in int32, no bias)
//   s = clip(trunc(z / (256·d_in)), −127, 127)   NITRO scaling
//   h = clamp(s,0,127) + trunc(clamp(s,−127,0)/4) − 36   NITRO-LeakyReLU, α_inv = 4
// Learning layer of block l (its local loss, kernels.md §2(b)):
//   ŷ_l = clip(trunc(h·W_pᵀ / (256·H_l)), −127, 127)   (W_p: C×H_l int32)
//   δ = ŷ_l − t,  t = 32·onehot(y)  (int16: §2(f), the reference's int8 overflows)
//   δ_h = δ·W_p (int32, with W_p before its update: optimizer step after backward)
//   δ_z = trunc(δ_h / g), g = 1 (0 ≤ s < 127), 4 (−127 ≤ s < 0), INT32_MAX (s ≥ 127)
// Output layer (H_L → C): ŷ = scale(h_L·W_oᵀ), trained on the global δ = ŷ − t.
// No error crosses blocks. IntegerSGD (kernels.md §2(b)), batch SUM:
//   W ← W − trunc(δᵀ·x / (η_inv·AF)) − trunc(W / λ_inv)
// AF = 64·C for block forward layers, 1 for learning and output layers;
// λ_inv = decay_fwd for forward layers, decay_learn for learning and output
// layers (0 disables decay). Since a block only consumes the previous block's
// output computed before any update, a minibatch is trained block by block
// (forward, local update, next block): identical to forward-all/backward-all
// and it frees each block's cache right after its update (§2(c)).
// Init (kernels.md §2(b)): integer Kaiming-uniform,
//   bound = min(64, (1372·128·1732) / (isqrt(fan_in)·10^6)),  W ~ U{−bound..bound},
// drawn from the learner's seed.
// Input: the reference normalises each channel to std ≈ 64 with
// trunc((x − mean)·51/MAD); a stream only gives [lo, hi], so the range centre
// m = (lo+hi)/2 and half-width r = (hi−lo)/2 map it to
//   x_q = clip(trunc((x − m)·127 / r), −127, 127)  (int8).
//
// Streaming: learn() quantises the sample into a buffer of `buffer` samples;
// when full, `epochs` epochs over it in minibatches of `batch` (arrival order,
// a trailing partial minibatch trained too), then it is emptied.
//
// Operation counting (as executed):
//   quantise: d_0·(1 Fp32Mac + 2 Compare + 1 Store).
//   linear+scale (d_in → d_out), per sample: d_in·d_out Int32Mac,
//     d_in·d_out + d_in Load, d_out·(1 Div + 2 Compare + 1 Store (s)).
//   LeakyReLU, per unit: 1 Compare, 1 Div if s < 0, 1 Add, 1 Store (h).
//   predict: quantise + forward of every block and the output + argmax
//     (C Load, C−1 Compare).
//   learn: frozen → nothing; else quantise + 1 Store (label) + 1 Add +
//     1 Compare (buffer full?); a full buffer trains.
//   training, per sample and loss layer (local or output): error C·(1 Load,
//     1 Compare (c == y), 1 Add, 1 Store); per block and sample δ_z:
//     H·C Int32Mac + H·C Load + H·(1 Load (s), 1..2 Compare, 1 Div, 1 Store).
//   IntegerSGD of an out×in matrix over N samples: per weight N Int32Mac,
//     2N Load, then 1 Load, 1 Div (+1 Div with decay), 1 Add (+1 with decay),
//     1 Store.
//   on_drift (`on_drift`, below): frozen or none → nothing; else per re-drawn
//     weight 4 Add + 1 Int32Mac (SplitMix64 draw and Lemire's multiply-shift)
//     + 1 Add (− bound) + 1 Store; + 1 Store (buffer emptied).
//
// Drift handling (`on_drift`; the reference has none, kernels.md §2 trains
// offline): a detected change (or a fleet reset) re-draws weights to the
// kernel's own Kaiming init, replaying its seeded stream from a saved 8-byte
// RNG state, and empties the stream buffer:
//   none        passive adaptation only (IntegerSGD keeps training);
//   reset_head  the output layer W_o only: the hidden blocks' features, learnt
//               from local losses, stay; only the class mapping is relearnt
//               (the "retrain the last layer" reaction of TinyOL-style
//               on-device learners, kernels.md §6, applied after a detection
//               as in TML-CD's active adaptation, §4);
//   reset       every layer (a fresh network).
// Re-drawn values equal the construction's, so a reset net is the initial net.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drift/rng.hpp"
#include "learners/confidence.hpp"
#include "learners/learner.hpp"

namespace tinyfleet {

enum class NitroDriftAction : uint8_t { None, ResetHead, Reset };

struct NitroConfig {
  std::vector<int> hidden = {64};  // hidden block widths (1..3 blocks)
  int lr_inv = 512;                // η_inv
  int decay_fwd = 12000;           // λ_inv of block forward layers (0: none)
  int decay_learn = 3000;          // λ_inv of learning and output layers (0: none)
  int batch = 16;
  int buffer = 16;
  int epochs = 1;
  NitroDriftAction on_drift = NitroDriftAction::None;
};

class NitroLearner final : public Learner {
 public:
  // Throws std::invalid_argument on a bad config or StreamInfo.
  NitroLearner(const NitroConfig& config, const StreamInfo& info, uint64_t seed);

  static std::vector<ParamSpec> param_specs();
  static NitroConfig config_from(const Params& params);

  int predict(const float* x, OpCounter& ops) override;
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  void on_drift(const DriftInfo& info, OpCounter& ops) override;
  bool adapts_on_drift() const override { return cfg_.on_drift != NitroDriftAction::None; }
  // Softmax of the last predict()'s output scores, unit = the training target
  // 32 (learners/confidence.hpp).
  double confidence() const override {
    return anchored_confidence(p_out_.data(), static_cast<std::size_t>(classes_), 32.0);
  }
  // 4·(Σ_blocks (d_in·H + H·C) + H_L·C)   int32 weights (forward, learning, output)
  // + buffer·(d_0 + w_y)                  stream buffer (int8 features, label w_y = 1 if C ≤ 256
  // else 2)
  // + N·H_max·(1+1+1+4)                   training: two int8 h ping-pong, int8 s, int32 δ_z
  // + N·C·2                               training: ŷ/δ (int16)
  // + d_0 + 2·H_max + C                   inference scratch (int8 input, h ping-pong, output)
  // + 8·d_0                               quantisation centre and scale (fp32)
  // + kStateBytes                         counters, sizes, divisors
  // + 16 with on_drift ≠ none              saved RNG states (init, output layer)
  std::size_t memory_bytes() const override;
  static constexpr std::size_t kStateBytes = 32;

  // --- Lower-level access (tests, benchmarks) ----------------------------
  void quantise(const float* x, int8_t* out, OpCounter& ops) const;
  void train_minibatch(const int8_t* x, const int* y, int n, OpCounter& ops);
  // Forward of one quantised sample; returns argmax; `out` (C) gets ŷ if non-null.
  int predict_quantised(const int8_t* x, OpCounter& ops, int8_t* out = nullptr);
  int blocks() const { return static_cast<int>(fwd_.size()); }
  // Weight matrices (row-major out×in): forward of block b, learning layer
  // of block b, output layer.
  std::vector<int32_t>& forward_weights(int b) { return fwd_[static_cast<std::size_t>(b)].w; }
  std::vector<int32_t>& learning_weights(int b) { return lrn_[static_cast<std::size_t>(b)].w; }
  std::vector<int32_t>& output_weights() { return out_.w; }
  int buffered() const { return buffered_; }
  const NitroConfig& config() const { return cfg_; }
  // Learning-rate schedules (e.g. the reference's ReduceLROnPlateau) change η_inv between
  // minibatches. Throws std::invalid_argument if lr_inv < 1.
  void set_lr_inv(int lr_inv);

  // Kernels (kernels.md §2(b)), exposed for tests.
  static int nitro_scale(int64_t z, int64_t sf);  // clip(trunc(z/sf), −127, 127)
  static int leaky_relu(int s);                   // α_inv = 4, mean correction −36
  static int leaky_grad_inv(int s);               // g: 1, 4 or INT32_MAX
  static int kaiming_bound(int fan_in);
  static int64_t isqrt(int64_t n);

 private:
  struct Mat {
    int in = 0, out = 0;
    std::vector<int32_t> w;  // out×in
  };
  // y[o] = scale(Σ_i W[o,i]·a[i]) for one sample; counts ops.
  static void linear_scale(const Mat& m, const int8_t* a, int8_t* y, OpCounter& ops);
  // W ← W − trunc(δᵀ·x / div) − trunc(W / decay) over n samples.
  static void sgd(Mat& m, const int32_t* delta, int dstride, const int8_t* x, int xstride, int n,
                  int64_t div, int decay, OpCounter& ops);
  // δ = ŷ − 32·onehot(y) into err_ (n×C), from yhat (n×C int8).
  void loss_error(const int8_t* yhat, const int* y, int n, OpCounter& ops);
  void train_buffer(OpCounter& ops);
  // Kaiming-uniform draw of m's weights from rng (kernels.md §2(b)); returns
  // the number of weights drawn.
  static uint64_t init_mat(Mat& m, SplitMix64& rng);

  NitroConfig cfg_;
  int d0_ = 0, classes_ = 0, hmax_ = 0;
  std::vector<Mat> fwd_, lrn_;
  Mat out_;
  SplitMix64 init_rng_, head_rng_;  // RNG states before the first / the output layer's draws
  std::vector<float> mid_, inv_half_;
  std::vector<int8_t> buf_x_;
  std::vector<int> buf_y_;
  int buffered_ = 0;
  // Training caches (N = batch).
  std::vector<int8_t> h_a_, h_b_, s_;
  std::vector<int32_t> dz_;
  std::vector<int8_t> yhat_;
  std::vector<int32_t> err_;  // device: int16 (|δ| ≤ 159); int32 on the host for sgd()
  // Inference scratch.
  std::vector<int8_t> q_, p_a_, p_b_, p_out_;
};

}  // namespace tinyfleet
