#pragma once
// Rotating hyperplane (Hulten, Spencer & Domingos, KDD 2001), a sample-exact
// port of MOA's moa.streams.generators.HyperplaneGenerator (streams.md §2).
#include <cstdint>
#include <memory>
#include <vector>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

// x ~ U[0,1)^d; label 1 iff Σ w_i x_i ≥ ½ Σ w_i. Incremental drift happens
// inside the generator, after every sample, as in MOA: the first k weights
// move by s_i·t and each s_i reverses with probability sigma.
class HyperplaneGenerator final : public Generator {
 public:
  // features = MOA -a, drift_features = MOA -k (≤ features), mag_change = -t,
  // noise_percent / sigma_percent = MOA -n / -s (integer percentages). The
  // JavaRandom is seeded with `seed` (MOA instanceRandomSeed); it also draws
  // the initial weights, as MOA restart() does.
  HyperplaneGenerator(int features, int drift_features, double mag_change, int noise_percent,
                      int sigma_percent, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  const std::vector<double>& weights() const { return weights_; }

 private:
  StreamInfo info_;
  JavaRandom rng_;
  int drift_features_;
  double mag_change_;
  int noise_percent_, sigma_percent_;
  std::vector<double> weights_;
  std::vector<int> sigma_;  // direction of change of each drifting weight (±1)
};

ComponentInfo hyperplane_info();
// `params` resolved against hyperplane_info().params.
std::unique_ptr<Generator> make_hyperplane(const Params& params, uint64_t seed);

}  // namespace tinyfleet
