#pragma once
// The "static" baseline: a kNN (learners/knn.hpp, same parameters) that learns
// from the first `warmup` labelled samples and then never again, and ignores
// detected changes. It is the train-once-deploy model that TML-CD (Disabato &
// Roveri, arXiv 2107.14759) compares its adaptive kNN against, so the two
// differ only in adaptation.
#include <cstdint>
#include <vector>

#include "learners/knn.hpp"

namespace tinyfleet {

class StaticLearner final : public Learner {
 public:
  StaticLearner(const KnnConfig& config, uint64_t warmup, const StreamInfo& info);

  // The kNN parameters plus "warmup" (labelled samples learnt from, default 200).
  static std::vector<ParamSpec> param_specs();
  static uint64_t warmup_from(const Params& params);  // std::invalid_argument if bad

  int predict(const float* x, OpCounter& ops) override { return knn_.predict(x, ops); }
  // The first `warmup` labels (counted whether or not the kNN keeps them) go
  // to the kNN; later ones cost one compare and are dropped.
  void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) override;
  void on_drift(const DriftInfo&, OpCounter&) override {}
  bool adapts_on_drift() const override { return false; }
  double uncertainty() const override { return knn_.uncertainty(); }
  double confidence() const override { return knn_.confidence(); }  // the kNN's vote fraction
  // The kNN's bytes plus the 8-byte label counter.
  std::size_t memory_bytes() const override { return knn_.memory_bytes() + sizeof(seen_); }

  uint64_t labels_seen() const { return seen_; }
  bool warm() const { return seen_ >= warmup_; }
  const KnnLearner& knn() const { return knn_; }

 private:
  KnnLearner knn_;
  uint64_t warmup_ = 0;
  uint64_t seen_ = 0;  // labelled samples accepted so far (<= warmup_)
};

}  // namespace tinyfleet
