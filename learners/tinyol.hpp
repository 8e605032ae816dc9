#pragma once
// TinyOL (Ren, Anicic & Runkler, "TinyOL: TinyML with Online-Learning on
// Microcontrollers", IJCNN 2021, arXiv 2103.08295; kernels.md §6): one
// trainable fp32 layer appended to a frozen model and trained on the stream
// one sample at a time with SGD, W ← W − η·δ·aᵀ.
//
// Frozen front end. The paper's frozen part is a pretrained TFLite-Micro
// model; ours is a FIXED, SEEDED RANDOM PROJECTION + ReLU (a random-features
// front end; it is frozen, never trained, and its cost and memory are
// counted — it is a real front end, not a mock):
//   x' = min-max scaled x (learners/mlp_float.hpp)
//   features_out = 0: a = x' (the raw scaled features, no projection)
//   features_out = F > 0: a = ReLU(P·x' + b), P_ij ~ N(0, 1/d), b_i ~ U(−0.5, 0.5),
//     drawn once from SplitMix64(seed).
// Trainable layer (zero-initialised — our choice: the problem is convex, and
// the initial prediction is then class 0):
//   C == 2: the paper's single output unit, p = σ(w·a + b), predict p > 0.5,
//     logistic loss: δ = p − y.
//   otherwise: softmax regression over K = max(C, 1) classes, δ_k = p_k − [k = y],
//     predict arg-max (ties → lowest class).
// SGD step per labelled sample (learn() runs the forward pass itself):
//   W_k ← W_k − η·(δ_k·a + λ·W_k),  b_k ← b_k − η·δ_k   (λ = l2, bias not decayed).
//
// Operation counting: scaling and the output activations as in
// mlp_float.hpp (sigmoid: exp + 1 Fp32Mac + 1 Div; softmax: K − 1 Compare,
// K·(exp + 2) Fp32Mac, 1 Div). Projection: F·d Fp32Mac, 2·F·d + F Load,
// F Compare (ReLU), F Store. Output layer: K·D Fp32Mac, 2·K·D + K Load,
// K Store (D = trainable-layer inputs). Decision: 1 or K − 1 Compare.
// SGD: K Fp32Mac (δ), per weight 2 Fp32Mac (λ·w, then −η·(…)) or 1 when
// λ = 0, 3 Load + 1 Store; per bias 1 Fp32Mac, 2 Load, 1 Store.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "learners/learner.hpp"
#include "learners/mlp_float.hpp"

namespace tinyfleet {

struct TinyOlConfig {
  int features_out = 0;  // 0: raw features; > 0: random-projection width
  double lr = 0.05;
  double l2 = 0.0;
};

class TinyOlLearner final : public Learner {
 public:
  TinyOlLearner(const TinyOlConfig& config, const StreamInfo& info, uint64_t seed);

  // "features_out", "lr", "l2".
  static std::vector<ParamSpec> param_specs();
  static TinyOlConfig config_from(const Params& params);

  int predict(const float* x, OpCounter& ops) override;
  // Throws std::out_of_range if y is not in [0, max(classes, 1)).
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  void on_drift(const DriftInfo&, OpCounter&) override {}  // passive: SGD tracks the stream
  bool adapts_on_drift() const override { return false; }
  // The output probability of the predicted class (sigmoid: max(p, 1 − p)).
  double confidence() const override { return confidence_; }
  // 4·(D + 1)·K (trainable layer, kernels.md §6) + 4·(F·d + F) (frozen
  // projection, F = features_out) + 4·(d·[F > 0] + D + K) (scaled input when
  // projecting, layer inputs, outputs) + 8·d (scaler) + kStateBytes.
  std::size_t memory_bytes() const override;
  static constexpr std::size_t kStateBytes = 16;  // η, λ, sizes

  int layer_inputs() const { return din_; }
  int outputs() const { return k_; }
  // Trainable weights: W [K × D] row-major then b [K].
  const std::vector<float>& weights() const { return w_; }
  std::vector<float>& weights() { return w_; }
  const std::vector<float>& projection() const { return proj_; }  // P [F × d] then b [F]
  // Front end + forward pass; returns the output probabilities.
  const float* forward(const float* x, OpCounter& ops);
  // The frozen front end alone: the D latent activations the last layer sees.
  const float* front_end(const float* x, OpCounter& ops);
  // One SGD step of the last layer on a latent vector a (D values) with label y,
  // as learn() does after its front end (latent replay, learners/latent_replay.hpp).
  void learn_latent(const float* a, int y, OpCounter& ops);

 private:
  const float* layer_forward(OpCounter& ops);  // last layer on a_ → p_
  void sgd_step(int y, OpCounter& ops);        // SGD on a_, p_ from layer_forward
  TinyOlConfig cfg_;
  int d_ = 0, f_ = 0, din_ = 0, k_ = 1, classes_ = 1;
  MinMaxScaler scaler_;
  std::vector<float> proj_;  // F·d + F
  std::vector<float> w_;     // K·D + K
  std::vector<float> xs_, a_, p_;
  double confidence_ = 1.0;  // of the last prediction
};

}  // namespace tinyfleet
