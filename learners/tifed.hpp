#pragma once
// TIFeD: integer-only MLP trained with integer Direct Feedback Alignment
// (Colombo, Falcetta & Roveri, "TIFeD: a Tiny Integer-based Federated
// learning algorithm with Direct feedback alignment", arXiv 2411.16442),
// implemented from the equations in /work/shared/reference/kernels.md §1.
//
// Network d_0 - H_1 [- H_2] - C, every layer "FC + pocket tanh" (also the
// output layer, kernels.md §1(b)):
//   z = a·W + b                        (W: d_in×d_out int32, b: d_out int32)
//   v = floor(z / (256·d_in))          (kernels.md §0: the reference's `//` is floor)
//   (y, g) = pocket_tanh(v)            (table below; g = 2× the inverse slope)
//     v ≥ 128: (128, 128)   75..127: (floor(v/4)+88, 8)   32..74: (v+32, 2)
//     -31..31: (2v, 1)      -74..-32: (v−32, 2)           -127..-75: (floor(v/4)−88, 8)
//     v < −127: (−127, 128)
// Input: x_q = pixel − 128 (int8); for a general stream the StreamInfo range
// [lo, hi] is mapped to [−128, 127] (same formula as the kNN learner, so a
// [0, 255] pixel p quantises to exactly p − 128 as in the reference).
// Training on a minibatch of N samples (target t = 16·onehot(y)):
//   e = y_L − t;  δ_L = floor(e / g_L);  δ_l = floor((e·B_l) / g_l) (hidden)
//   W_l −= floor((a_{l−1}ᵀ·δ_l) / η_inv);  b_l −= floor((1ᵀ·δ_l) / η_inv)
// with the batch SUM (not the mean), zero initial W and b (DFA breaks the
// symmetry), and fixed feedback matrices B_l ∈ Z^{C×H_l}, B ~ U{−r..r−1},
// r = isqrt(floor(12·32767 / (C + H_l))), drawn from `feedback_seed` so that
// every device of a federation shares them (kernels.md §1: "every worker uses
// the same B").
//
// `arithmetic: pocketnn` switches to PocketNN's conventions (kernels.md §1,
// PocketNN notes): truncation toward zero everywhere instead of floor,
// saturation at +127 (g = 127 at both ends), target 15, and W, b clamped to
// [−32767, 32767] after each update.
//
// Streaming use: learn() quantises the sample into a local buffer of
// `buffer` samples; when it is full the learner runs `epochs_per_batch`
// epochs over it in minibatches of `batch` (in arrival order, as the
// reference; a trailing partial minibatch is trained too) and empties it.
// Defaults are the reference FFNN schedule: buffer 50, batch 25, 5 epochs.
//
// Federation: export_params / import_params give the integer parameters
// (layer l: W row-major d_in×d_out, then b) of one layer or of the whole
// network (layers in order); FedAvg itself (trunc(Σ W_k / K)) is the
// caller's job. `train_layer` ≥ 0 is single-layer mode: only that layer is
// updated (every node still runs the full forward pass and the global error).
//
// Integer widths (host = device widths): W, b int32 (pocketnn: values fit
// int16, still stored int32); accumulators int64 on the host (the reference
// uses int64; an MCU would use int32 with the PocketNN-style clamps); B int8
// when r ≤ 128, else int16; activations int16; g uint8; δ int32; e int16;
// buffer int8 features + uint8/int16 labels.
//
// Operation counting (as executed; OpCounter classes):
//   quantise(x): d_0·(1 Fp32Mac + 2 Compare + 1 Store).
//   forward, per sample and layer (d_in → d_out):
//     d_in·d_out Int32Mac, d_in·d_out + d_in + d_out Load (W, a, b),
//     d_out Div (÷256·d_in), per unit the pocket-tanh compares actually
//     evaluated (1..6, chain from the top) + 1 Add for the offset/shift of the
//     piece (2 for the floor(v/4)±88 pieces), 2·d_out Store (y, g).
//   predict: quantise + forward + argmax (C Load, C−1 Compare).
//   learn: frozen → nothing; else quantise + 1 Store (label) + 1 Add +
//     1 Compare (buffer full?); a full buffer trains (below).
//   train minibatch (N samples): forward of each; error: N·C (2 Load,
//     1 Add, 1 Store); δ_L: N·C (1 Div, 2 Load, 1 Store); hidden δ_l:
//     N·C·H_l Int32Mac + N·C·H_l Load (B) + N·H_l (1 Div + 1 Load + 1 Store);
//     update of layer l: N·d_in·d_out Int32Mac + N·(d_in + d_in·d_out) Load
//     (a, δ), d_in·d_out (1 Div, 1 Add, 1 Load, 1 Store); bias: N·d_out Add,
//     d_out (1 Div, 1 Add, 1 Load, 1 Store); pocketnn adds 2 Compare per
//     updated weight/bias (clamp).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "learners/confidence.hpp"
#include "learners/federable.hpp"
#include "learners/learner.hpp"
#include "learners/session_buffer.hpp"

namespace tinyfleet {

enum class TifedArithmetic : uint8_t { Tifed, PocketNN };

struct TifedConfig {
  int hidden = 200;  // first hidden layer (≥ 1)
  int hidden2 = 0;   // second hidden layer (0 = none)
  int eta_inv = 2048;
  int batch = 25;
  int epochs_per_batch = 5;
  int buffer = 50;
  int train_layer = -1;  // −1: full network; l ≥ 0: single-layer mode, train layer l only
  uint64_t feedback_seed = 1;
  TifedArithmetic arithmetic = TifedArithmetic::Tifed;
  bool reset_on_drift = false;  // on_drift: back to the zero init, buffer emptied
};

// Integer helpers (kernels.md §0), exposed for tests. b > 0 is not required.
constexpr int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr int64_t trunc_div(int64_t a, int64_t b) {
  return a / b;
}
// isqrt(n) = floor(sqrt(n)) for n ≥ 0 (Newton, as the reference's DFA range).
int64_t tifed_isqrt(int64_t n);

class TifedLearner final : public Learner, public Federable {
 public:
  // Throws std::invalid_argument on a bad config or StreamInfo.
  TifedLearner(const TifedConfig& config, const StreamInfo& info);

  static std::vector<ParamSpec> param_specs();
  static TifedConfig config_from(const Params& params);

  int predict(const float* x, OpCounter& ops) override;
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  // Factory pre-training (Learner::pretrain: learn() per sample) that also
  // trains a trailing partial buffer, so a device starts with an empty buffer:
  // no factory sample is trained on, or sent in a session, on the device.
  void pretrain(const LabelledSet& set, int epochs, uint64_t seed, OpCounter& ops) override;
  // TIFeD adapts passively through training; with `on_drift: reset` a
  // detected change (or a fleet reset command) sends the network back to its
  // zero initialisation and empties the buffer, so it relearns from the new
  // concept only (1 Store per parameter and per buffered sample).
  void on_drift(const DriftInfo& info, OpCounter& ops) override;
  bool adapts_on_drift() const override { return cfg_.reset_on_drift; }
  // Softmax of the last predict()'s output activations, unit = the training
  // target 16 (pocketnn: 15), learners/confidence.hpp. The zero init gives 1/C.
  double confidence() const override {
    return anchored_confidence(s_act_.back().data(), static_cast<std::size_t>(classes_),
                               cfg_.arithmetic == TifedArithmetic::Tifed ? 16.0 : 15.0);
  }
  // Σ_l (d_{l−1}+1)·d_l·4        weights and biases (int32)
  // + C·Σ_hidden H_l·w_B         feedback matrices (w_B = 1 byte if r ≤ 128, else 2)
  // + N·Σ_l d_l·(2 + 1 + 4)      activations (int16), g (uint8), δ (int32)
  // + N·C·2                      error e (int16)
  // + buffer·(d_0 + w_y)         stream buffer: int8 features, label (w_y = 1 if C ≤ 256, else 2)
  // + d_0 + Σ_l d_l·2            single-sample inference scratch (int8 input, int16 activations)
  // + 8·d_0                      quantisation lo and scale (fp32)
  // + kStateBytes                counters, sizes, η_inv
  std::size_t memory_bytes() const override;
  static constexpr std::size_t kStateBytes = 32;

  // --- Federation -------------------------------------------------------
  // layer = −1: every layer in order; else layer l only. Layer l is W_l
  // (row-major d_in×d_out) followed by b_l. import_params throws
  // std::invalid_argument on a size mismatch or a bad layer.
  std::vector<int32_t> export_params(int layer = -1) const override;
  void import_params(const std::vector<int32_t>& params, int layer = -1) override;
  std::size_t param_count(int layer = -1) const override;
  int layers() const override { return static_cast<int>(sizes_.size()) - 1; }
  void set_train_layer(int layer);  // −1 or a valid layer (single-layer mode)
  Federable* federable() override { return this; }
  // int32 on the wire; PocketNN arithmetic keeps W, b within int16.
  int wire_bytes_per_param() const override {
    return cfg_.arithmetic == TifedArithmetic::PocketNN ? 2 : 4;
  }
  void set_federated(bool local_learning) override;
  void train_round(int epochs, int layer, OpCounter& ops) override;
  int buffered() const override { return buf_.size(); }
  int session_samples() const override { return buf_.session_samples(); }
  void begin_session() override { buf_.begin_session(); }
  void end_session(bool consume) override;

  // --- Lower-level access (benchmarks, tests, the federation driver) -----
  // Quantises x (d_0 floats) to out (int8).
  void quantise(const float* x, int8_t* out, OpCounter& ops) const;
  // Trains one minibatch of n quantised samples (row-major n×d_0) with labels y.
  void train_minibatch(const int8_t* x, const int* y, int n, OpCounter& ops);
  // Forward of one quantised sample; returns the argmax class. If `out` is
  // non-null it receives the C output activations.
  int predict_quantised(const int8_t* x, OpCounter& ops, int16_t* out = nullptr);
  // Activations and g of the last minibatch (sample s, layer l = 1..L).
  int activation(int s, int l, int j) const;
  int grad_inv(int s, int l, int j) const;
  // Feedback matrix of hidden layer l (1-based layer index, C×H_l row-major).
  const std::vector<int16_t>& feedback(int l) const;
  void set_feedback(int l, const std::vector<int16_t>& b);
  int feedback_range(int l) const;
  int32_t weight(int l, int i, int j) const;  // layer l (1-based), input i, unit j
  int32_t bias(int l, int j) const;
  uint64_t minibatches_trained() const { return minibatches_; }
  const TifedConfig& config() const { return cfg_; }

  // Pocket tanh on v (kernels.md §1 table); returns y, sets g, adds the
  // compares it evaluates to `compares` and the adds/shifts to `adds`.
  static int pocket_tanh(int64_t v, TifedArithmetic a, int& g, uint64_t& compares, uint64_t& adds);

 private:
  struct Layer {
    int in = 0, out = 0;
    std::vector<int32_t> w;   // in×out
    std::vector<int32_t> b;   // out
    std::vector<int16_t> fb;  // C×out (hidden layers only)
    int fb_range = 0;
    int64_t max_abs_w = 0;  // host: picks the int32 accumulation path when safe
  };
  std::size_t n_layers() const { return layers_.size(); }
  // Forward of one sample through every layer into act (per layer, d_l each)
  // and g; counts ops.
  void forward(const int8_t* x, int16_t* const* act, uint8_t* const* g, OpCounter& ops);
  void update_max_abs(Layer& L);
  int64_t div(int64_t a, int64_t b) const {
    return cfg_.arithmetic == TifedArithmetic::Tifed ? floor_div(a, b) : trunc_div(a, b);
  }
  void train_buffer(OpCounter& ops);

  TifedConfig cfg_;
  int d0_ = 0, classes_ = 0;
  std::vector<int> sizes_;  // d_0, H_1, [H_2], C
  std::vector<Layer> layers_;
  std::vector<float> lo_, scale_;
  // Stream buffer
  SessionBuffer<int8_t> buf_;  // quantised samples
  bool federated_ = false, local_learning_ = true;
  int fresh_ = 0;  // samples taken in since the last local training (federated use)
  // Minibatch state: per layer l (1..L), N×d_l activations / g / δ.
  std::vector<std::vector<int16_t>> act_;
  std::vector<std::vector<uint8_t>> g_;
  std::vector<std::vector<int32_t>> delta_;
  std::vector<int16_t> err_;  // N×C
  int last_n_ = 0;
  // Single-sample scratch
  std::vector<int8_t> q_;
  std::vector<std::vector<int16_t>> s_act_;
  std::vector<std::vector<uint8_t>> s_g_;
  // Host scratch (not device state)
  std::vector<int64_t> z_;
  std::vector<int32_t> z32_;
  std::vector<int64_t> acc_;
  uint64_t minibatches_ = 0;
};

}  // namespace tinyfleet
