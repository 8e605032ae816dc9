#pragma once
// Float32 building blocks shared by the float learners (AREBA/QBR/HAREBA,
// TinyOL, NCM): an input scaler, a one-hidden-layer MLP trained with Adam,
// fp32 op-cost constants and parameter readers.
//
// FloatMlp: in → hidden (LeakyReLU, α = 0.01) → out. out == 1 is a sigmoid
// unit with binary cross-entropy (AREBA's 2-8-1 net, kernels.md §5, read in
// kmalialis/areba class_nn_standard.py); out > 1 is softmax with categorical
// cross-entropy. Both losses fuse with their output activation, so the output
// error is p − y (one-hot y for softmax); the loss value itself is never
// needed, so no log is computed. Gradients are averaged over the batch (mean
// loss, as Keras does).
//
// Init: weights He-normal, σ = sqrt(2 / fan_in), truncated at 2σ (redrawn
// beyond; Keras 2.2.4's he_normal, which AREBA used), biases zero. Every draw
// comes from a SplitMix64 seeded by the constructor's seed (Box–Muller), so a
// learner's seed fixes its initial weights.
//
// Adam (Kingma & Ba 2015) in the Keras 2.2.4 form AREBA ran:
//   t ← t + 1;  lr_t = lr·sqrt(1 − β2^t)/(1 − β1^t)
//   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  θ ← θ − lr_t·m/(sqrt(v) + ε)
// with β1 = 0.9, β2 = 0.999, ε = 1e-7 (Keras' K.epsilon()). β1^t and β2^t are
// kept as running products.
//
// Operation counting (a scalar fp32 loop on an MCU; each multiply-add loads
// its two operands):
//   dense layer in→out: in·out Fp32Mac; 2·in·out + out Load (weights,
//     inputs, biases); out Store.
//   LeakyReLU (n units): n Compare + n Fp32Mac (branch-free select) + n Store.
//   exp(x): kExpFp32Macs Fp32Mac (range reduction + polynomial; the op
//     classes have no transcendental class). sqrt counts as one Div (VSQRT
//     and VDIV cost about the same on Cortex-M4F/M7).
//   sigmoid: exp + 1 Fp32Mac + 1 Div.  softmax (K): (K − 1) Compare (max),
//     K exp + K Fp32Mac (sum), 1 Div (reciprocal), K Fp32Mac (scale).
//   backward, one sample (after its forward pass): K Fp32Mac + K Store
//     (output error); per gradient multiply-add (H·K + K + H·in + H of them)
//     1 Fp32Mac + 3 Load + 1 Store; hidden error H·K Fp32Mac + 2·H·K Load,
//     then H Compare + H Fp32Mac + H Store (LeakyReLU derivative).
//   Adam step over P parameters: P Store (gradient reset, counted at
//     zero_grad), per parameter 7 Fp32Mac + 2 Div (sqrt, divide) + 4 Load +
//     3 Store; per step 3 Fp32Mac + 2 Div (bias-correction factor).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "devices/op_counter.hpp"
#include "drift/rng.hpp"
#include "drift/stream.hpp"
#include "scenarios/params.hpp"

namespace tinyfleet {

inline constexpr uint64_t kExpFp32Macs = 8;  // cost of one expf, in Fp32Mac

// Min-max scaling with the stream's declared range: x' = (x − lo)·(1/(hi − lo)),
// the sensor front end's normalisation (AREBA's synthetic data are in [0, 1];
// SEA's raw range is [0, 10]). A degenerate or non-finite range maps the
// feature to 0. Costs per feature 1 Fp32Mac + 2 Load + 1 Store.
class MinMaxScaler {
 public:
  MinMaxScaler() = default;
  explicit MinMaxScaler(const StreamInfo& info);  // std::invalid_argument on bad lo/hi sizes
  void apply(const float* x, float* out, OpCounter& ops) const;
  int features() const { return static_cast<int>(lo_.size()); }
  std::size_t memory_bytes() const { return 2 * sizeof(float) * lo_.size(); }

 private:
  std::vector<float> lo_, scale_;
};

// Probability of the predicted class from apply_output's result: max(p, 1 − p)
// for a sigmoid unit, else the largest softmax probability (Learner::confidence).
double output_confidence(const float* p, std::size_t k, bool sigmoid);

class FloatMlp {
 public:
  // Throws std::invalid_argument unless in >= 0, hidden >= 1, out >= 1, lr > 0.
  FloatMlp(int in, int hidden, int out, float lr, uint64_t seed);

  static constexpr float kLeak = 0.01f;
  static constexpr float kBeta1 = 0.9f, kBeta2 = 0.999f, kEps = 1e-7f;

  int in() const { return in_; }
  int hidden() const { return hidden_; }
  int out() const { return out_; }
  std::size_t parameters() const { return theta_.size(); }

  // Forward pass; leaves the hidden activations and the output probabilities
  // (sigmoid or softmax) in internal buffers; returns a pointer to the outputs.
  const float* forward(const float* x, OpCounter& ops);
  // Class decision: out == 1 → p > 0.5 (numpy's round-half-even as in AREBA:
  // 0.5 → 0); else arg-max (ties → lowest class). 1 Compare or K − 1 Compare.
  int predict(const float* x, OpCounter& ops);
  // Probability of the class the last forward pass predicts (output_confidence).
  double confidence() const {
    return output_confidence(p_.data(), static_cast<std::size_t>(out_), out_ == 1);
  }

  // Full-batch training: zero_grad(), accumulate() per sample with
  // scale = 1/n, then adam_step().
  void zero_grad(OpCounter& ops);
  void accumulate(const float* x, int y, float scale, OpCounter& ops);
  void adam_step(OpCounter& ops);
  // SGD with momentum in PyTorch's form over parameters [begin, end):
  //   v ← μ·v + g;  θ ← θ − lr·v   (v in the Adam first-moment buffer m).
  // Per parameter 2 Fp32Mac + 3 Load + 2 Store. reset_momentum() zeroes v
  // (P Store): a fresh optimiser, as a FedAvg client starts each local update.
  void sgd_step(float lr, float momentum, std::size_t begin, std::size_t end, OpCounter& ops);
  void reset_momentum(OpCounter& ops);

  // Parameter layout: W1 [hidden × in] row-major, b1 [hidden], W2 [out × hidden], b2 [out].
  std::vector<float>& theta() { return theta_; }
  const std::vector<float>& theta() const { return theta_; }
  const std::vector<float>& grad() const { return g_; }
  const std::vector<float>& adam_m() const { return m_; }
  const std::vector<float>& adam_v() const { return v_; }
  uint64_t steps() const { return t_; }
  const float* hidden_act() const { return h_.data(); }

  // 4 bytes per θ, g, m, v + activations (hidden pre-act and act, output,
  // output error, hidden error) + 4 scalars (t, β1^t, β2^t, lr).
  std::size_t memory_bytes() const;

 private:
  std::size_t w2_offset() const { return static_cast<std::size_t>(hidden_) * (in_ + 1); }
  int in_, hidden_, out_;
  float lr_;
  std::vector<float> theta_, g_, m_, v_;
  std::vector<float> a_, h_, p_, dout_, dh_;
  uint64_t t_ = 0;
  float b1t_ = 1.f, b2t_ = 1.f;
};

// Draws a standard normal (Box–Muller, one of the pair) from a SplitMix64.
double standard_normal(SplitMix64& rng);

// Output activation in place, ops counted: the logistic sigmoid of p[0] when
// `sigmoid`, else a max-shifted softmax over p[0..k).
void apply_output(float* p, std::size_t k, bool sigmoid, OpCounter& ops);

}  // namespace tinyfleet
