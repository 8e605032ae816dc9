#pragma once
// TyBox (Pavan, Ostrovan, Caltabiano & Roveri, "TyBox: an automatic design and
// code generation toolbox for TinyML incremental on-device learning", ACM TECS
// 2024; taxonomy.md §2 E2): a static model split into a frozen feature
// extractor and a trainable head; on the device a FIFO buffer of B labelled
// feature vectors, and the head retrained by SGD over the buffer each time a
// labelled sample arrives. Passive: no change detector (E2's published setting:
// B = 230 feature vectors of 200 values, lr 0.05).
//
// Network: min-max scaled input (mlp_float.hpp) → dense d→F + LeakyReLU (the
// extractor; F = features_out) → dense F→K + softmax (the head; K = classes,
// or one sigmoid unit for 2 classes) — FloatMlp's layout and initialisation
// (He-normal from the learner's seed). Factory pre-training (Learner::pretrain,
// learners/pretrain.hpp) trains BOTH layers with Adam (pretrain_lr) on
// minibatches of `batch`, then fills the buffer with the features of the last
// min(B, n) factory samples of the last pass, so the device's first retraining
// does not start from an empty buffer [I: our choice]. Without pre-training
// the extractor is its random initialisation (a random-features front end, as
// TinyOL's) and the buffer starts empty. On the device the extractor never
// changes.
//
// learn(x, y): features f = extractor(x) enter the FIFO (the oldest leaves
// when full); then `epochs` passes over the buffer, oldest first, of one SGD
// step each on the head: p = head(f_i), δ = p − onehot(y_i),
// W ← W − lr·δ·f_iᵀ, b ← b − lr·δ [I: per-sample SGD, one pass per label; the
// paper's exact schedule was not retrieved].
//
// update: on_detection — the active-only learner of taxonomy E2 ("CDT → flush
// → relearn"): the model is frozen while the buffer is full; an alarm of the
// group's detector flushes the buffer (keeping the head's weights) and the
// next B labels refill it, each retraining the head as above; when it is full
// again the model freezes until the next alarm. A buffer not yet full (no or
// short pre-training) learns the same way from the start.
//
// Operation counting (mlp_float.hpp's conventions): predict = scaler + the
// full forward pass (FloatMlp::forward) + K − 1 Compare (1 for a sigmoid).
// learn: 1 Compare (update mode), then if it learns: scaler + extractor (F·d
// Fp32Mac, 2·F·d + F Load, F Store; LeakyReLU F Compare + F Fp32Mac + F Store),
// FIFO insert (F Load + F Store + 1 Store label + 1 Add), and per buffer entry
// and pass: head forward (K·F Fp32Mac, 2·K·F + K Load, K Store, output
// activation), the SGD step as TinyOL's (K + K·F + K Fp32Mac, 3·K·F + 2·K
// Load, K·F + K Store). on_drift: 1 Compare + 1 Store (flush).
//
// Memory (device RAM): the head 4·(K·F + K), the buffer B·(4·F + 2) + 8 (fp32
// features, int16 labels, head and size), activations 4·(d + F + K), the
// scaler 8·d, kStateBytes. The frozen extractor's 4·(F·d + F) bytes are flash
// (TyBox's generated code keeps the static part as constants [I]) and are not
// RAM: extractor_bytes() reports them. The factory's Adam state is host-side.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "learners/learner.hpp"
#include "learners/mlp_float.hpp"

namespace tinyfleet {

enum class TyBoxUpdate : uint8_t { Always, OnDetection };

struct TyBoxConfig {
  int features_out = 200;  // F: extractor width = feature vector length
  int buffer = 230;        // B: feature vectors kept
  double lr = 0.05;        // head SGD on the device
  int epochs = 1;          // passes over the buffer per label
  double pretrain_lr = 0.01;
  int batch = 32;  // factory minibatch
  TyBoxUpdate update = TyBoxUpdate::Always;
};

class TyBoxLearner final : public Learner {
 public:
  TyBoxLearner(const TyBoxConfig& config, const StreamInfo& info, uint64_t seed);

  // "features_out", "buffer", "lr", "epochs", "pretrain_lr", "batch", "update".
  static std::vector<ParamSpec> param_specs();
  static TyBoxConfig config_from(const Params& params);

  int predict(const float* x, OpCounter& ops) override;
  // Throws std::out_of_range if y is not in [0, max(classes, 1)).
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  void on_drift(const DriftInfo& info, OpCounter& ops) override;
  bool adapts_on_drift() const override { return cfg_.update == TyBoxUpdate::OnDetection; }
  // The output probability of the predicted class (sigmoid: max(p, 1 − p)).
  double confidence() const override { return confidence_; }
  std::size_t memory_bytes() const override;
  void pretrain(const LabelledSet& set, int epochs, uint64_t seed, OpCounter& ops) override;
  static constexpr std::size_t kStateBytes = 16;  // lr, mode, sizes

  std::size_t extractor_bytes() const;
  std::size_t buffered() const { return size_; }
  bool learning() const {
    return cfg_.update == TyBoxUpdate::Always || size_ < static_cast<std::size_t>(cfg_.buffer);
  }
  const FloatMlp& network() const { return mlp_; }
  // The buffer's i-th entry, oldest first.
  const float* buffered_features(std::size_t i) const;
  int buffered_label(std::size_t i) const;

 private:
  void extract(const float* x, float* f, OpCounter& ops);  // scaler + extractor
  void push(const float* f, int y, OpCounter& ops);
  void retrain_head(OpCounter& ops);
  std::size_t slot(std::size_t i) const { return (head_ + i) % buf_y_.size(); }

  TyBoxConfig cfg_;
  int d_ = 0, f_ = 0, k_ = 1, classes_ = 1;
  bool sigmoid_ = false;
  MinMaxScaler scaler_;
  FloatMlp mlp_;
  std::vector<float> xs_, feat_, p_;
  std::vector<float> buf_f_;    // B·F
  std::vector<int16_t> buf_y_;  // B
  std::size_t head_ = 0, size_ = 0;
  double confidence_ = 1.0;
};

}  // namespace tinyfleet
