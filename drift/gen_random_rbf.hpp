#pragma once
// Random radial basis function stream, a sample-exact port of MOA's
// moa.streams.generators.RandomRBFGenerator and, with drift enabled, of its
// subclass RandomRBFGeneratorDrift (streams.md §2). This file registers
// `random_rbf`; gen_random_rbf_drift.{hpp,cpp} registers `random_rbf_drift`
// on the same class.
#include <cstdint>
#include <memory>
#include <vector>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

struct RandomRbfConfig {
  int centroids = 50;  // MOA -n
  int features = 10;   // MOA -a
  int classes = 2;     // MOA -c
  int64_t model_seed =
      1;  // MOA -r: the centroids; the instance stream uses the generator seed (-i)
  // RandomRBFGeneratorDrift only: the first `drift_centroids` centroids move
  // by speed × (their speed vector) per sample (MOA -s, -k).
  double speed = 0.0;
  int drift_centroids = 0;
};

class RandomRbfGenerator final : public Generator {
 public:
  RandomRbfGenerator(const RandomRbfConfig& config, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  // Centre coordinates of centroid c (for tests).
  const double* centre(int c) const {
    return &centres_[static_cast<std::size_t>(c) * static_cast<std::size_t>(d_)];
  }

 private:
  StreamInfo info_;
  JavaRandom rng_;
  int d_;
  double speed_;
  int drift_len_;                // min(drift_centroids, centroids), as MOA
  std::vector<double> centres_;  // centroids × d, row-major
  std::vector<int> labels_;
  std::vector<double> std_dev_;
  std::vector<double> cum_weights_;  // prefix sums of the centroid weights, in index order
  std::vector<double> speeds_;       // drift_len × d, unit vectors
  std::vector<double> dir_;          // per-sample scratch (sized once: no allocation per sample)
};

ComponentInfo random_rbf_info();
// `params` resolved against random_rbf_info().params.
std::unique_ptr<Generator> make_random_rbf(const Params& params, uint64_t seed);

}  // namespace tinyfleet
