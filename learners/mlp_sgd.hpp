#pragma once
// Float MLP learner (`kind: mlp`): the fp32 counterpart of the TIFeD learner,
// for float FedAvg (McMahan et al., AISTATS 2017) beside TIFeD's integer
// rounds. The network is FloatMlp (learners/mlp_float.hpp: d - hidden -
// classes, LeakyReLU, softmax + cross-entropy, He init) on min-max scaled
// inputs, trained by minibatch SGD with momentum — the optimiser of the
// float FedAvg baseline of the TIFeD repository (kernels.md §1(d): SGD,
// momentum 0.5, lr ∈ {0.1, 0.05, 0.01}; the defaults take momentum 0.5 and
// the middle rate 0.05). Gradients are the batch mean (PyTorch's
// cross-entropy), and each local training run (a full buffer, or a
// federated round) starts with zero momentum, as a client that builds its
// optimiser per local update.
//
// Buffering is TIFeD's (learners/tifed.hpp): learn() appends the scaled
// sample to a buffer of `buffer`; when full, `epochs_per_batch` epochs in
// minibatches of `batch` (arrival order, a trailing partial batch too), then
// the buffer is emptied. Federated use (learners/federable.hpp) keeps the
// newest samples instead and trains only in rounds.
//
// Federation: layer 0 is W1 (hidden × d, row-major) then b1, layer 1 is W2
// (classes × hidden) then b2 — FloatMlp's layout; each float travels as its
// IEEE-754 bit pattern in an int32 (4 bytes on air), and the server averages
// them as floats weighted by session_samples() (federation_rules.hpp).
//
// Operation counting: scaling d·(1 Fp32Mac + 2 Load + 1 Store) per sample
// (MinMaxScaler) + d Store into the buffer + 1 Store (label) + 1 Add +
// 1 Compare; training per minibatch of n: zero_grad (P Store), n ×
// accumulate (FloatMlp), one sgd_step; a momentum reset (P Store) per run.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "learners/federable.hpp"
#include "learners/learner.hpp"
#include "learners/mlp_float.hpp"
#include "learners/session_buffer.hpp"

namespace tinyfleet {

struct MlpSgdConfig {
  int hidden = 200;
  double lr = 0.05;
  double momentum = 0.5;
  int batch = 25;
  int epochs_per_batch = 5;
  int buffer = 50;
  uint64_t init_seed = 1;       // every device of a federation starts from the same weights
  bool reset_on_drift = false;  // on_drift: back to the initial weights, buffer emptied
};

class MlpSgdLearner final : public Learner, public Federable {
 public:
  // Throws std::invalid_argument on a bad config or StreamInfo.
  MlpSgdLearner(const MlpSgdConfig& config, const StreamInfo& info);

  static std::vector<ParamSpec> param_specs();
  static MlpSgdConfig config_from(const Params& params);

  int predict(const float* x, OpCounter& ops) override;
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  // As TIFeD's: a trailing partial buffer is trained too, so a device starts empty.
  void pretrain(const LabelledSet& set, int epochs, uint64_t seed, OpCounter& ops) override;
  void on_drift(const DriftInfo& info, OpCounter& ops) override;
  bool adapts_on_drift() const override { return cfg_.reset_on_drift; }
  double confidence() const override { return net_.confidence(); }
  // FloatMlp's θ, g, momentum (its Adam v is not used: P floats fewer),
  // activations and scalars + the scaler + buffer·(4·d + 2) + 16 B of counters.
  std::size_t memory_bytes() const override;

  // --- Federation -------------------------------------------------------
  int layers() const override { return 2; }
  std::size_t param_count(int layer = -1) const override;
  std::vector<int32_t> export_params(int layer = -1) const override;
  void import_params(const std::vector<int32_t>& params, int layer = -1) override;
  int wire_bytes_per_param() const override { return 4; }
  bool float_params() const override { return true; }
  void set_federated(bool local_learning) override;
  void begin_session() override { buf_.begin_session(); }
  void end_session(bool consume) override;
  void train_round(int epochs, int layer, OpCounter& ops) override;
  int buffered() const override { return buf_.size(); }
  int session_samples() const override { return buf_.session_samples(); }
  Federable* federable() override { return this; }

  const FloatMlp& net() const { return net_; }

 private:
  std::size_t layer_begin(int layer) const;  // offset of `layer` in θ (−1: 0)
  void train(int n, int epochs, int layer, OpCounter& ops);

  MlpSgdConfig cfg_;
  int d_ = 0, classes_ = 0;
  MinMaxScaler scaler_;
  FloatMlp net_;
  std::vector<float> init_;   // the initial θ (on_drift: reset)
  std::vector<float> xs_;     // scaled input scratch
  SessionBuffer<float> buf_;  // scaled samples
  bool federated_ = false, local_learning_ = true;
  int fresh_ = 0;  // samples taken in since the last local training (federated use)
};

}  // namespace tinyfleet
