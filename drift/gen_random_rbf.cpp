#include "drift/gen_random_rbf.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tinyfleet {

RandomRbfGenerator::RandomRbfGenerator(const RandomRbfConfig& c, int64_t seed)
    : rng_(seed), d_(c.features), speed_(c.speed) {
  if (c.centroids < 1) throw std::invalid_argument("random_rbf: centroids must be >= 1");
  if (c.features < 1) throw std::invalid_argument("random_rbf: features must be >= 1");
  if (c.classes < 2) throw std::invalid_argument("random_rbf: classes must be >= 2");
  if (!(c.speed >= 0)) throw std::invalid_argument("random_rbf: speed must be >= 0");
  if (c.drift_centroids < 0)
    throw std::invalid_argument("random_rbf: drift_centroids must be >= 0");
  const auto n = static_cast<std::size_t>(c.centroids);
  const auto d = static_cast<std::size_t>(c.features);

  // MOA RandomRBFGenerator.generateCentroids(), model RNG = Random(modelRandomSeed),
  // per centroid in order: d × nextDouble() (centre), nextInt(classes) (label),
  // nextDouble() (std dev), nextDouble() (weight).
  JavaRandom model(c.model_seed);
  centres_.resize(n * d);
  labels_.resize(n);
  std_dev_.resize(n);
  cum_weights_.resize(n);
  double running = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) centres_[i * d + j] = model.next_double();
    labels_[i] = model.next_int(c.classes);
    std_dev_[i] = model.next_double();
    running += model.next_double();  // same left-to-right sum as MOA's running `sum`
    cum_weights_[i] = running;
  }

  // MOA RandomRBFGeneratorDrift.generateCentroids(): a SECOND Random(modelRandomSeed)
  // (so the speeds replay the first model draws), d × nextDouble() per drifting
  // centroid, normalised to unit length. All components are >= 0, as in MOA.
  drift_len_ = std::min(c.drift_centroids, c.centroids);
  if (drift_len_ > 0) {
    JavaRandom speed_rng(c.model_seed);
    speeds_.resize(static_cast<std::size_t>(drift_len_) * d);
    for (std::size_t i = 0; i < static_cast<std::size_t>(drift_len_); ++i) {
      double norm = 0.0;
      for (std::size_t j = 0; j < d; ++j) {
        const double v = speed_rng.next_double();
        speeds_[i * d + j] = v;
        norm += v * v;
      }
      norm = std::sqrt(norm);
      for (std::size_t j = 0; j < d; ++j) speeds_[i * d + j] /= norm;
    }
  }
  dir_.resize(d);

  info_.features = c.features;
  info_.classes = c.classes;
  // Centres stay in [0,1] (drifting ones are reflected there); a sample is
  // centre + g·std·u/|u| with g ~ N(0,1), so each coordinate is within
  // 6·max std of [0,1] except with probability < 2e-9 (|g| > 6). This is the
  // quantisation range, not a hard bound: rarer values are clamped by learners.
  const double max_std = *std::max_element(std_dev_.begin(), std_dev_.end());
  info_.lo.assign(d, static_cast<float>(-6.0 * max_std));
  info_.hi.assign(d, static_cast<float>(1.0 + 6.0 * max_std));
}

int RandomRbfGenerator::next(float* x) {
  const auto d = static_cast<std::size_t>(d_);
  // RandomRBFGeneratorDrift.nextInstance(): move the drifting centres first
  // (no random draws), reflecting at 1 then at 0. With speed 0 this is an
  // exact no-op (centres stay in [0,1], nothing reflects), so it is skipped.
  // The drifting centroids are the first ones, so their coordinates are one
  // contiguous run; the selects below are MOA's two ifs, written branch-free
  // so the compiler can vectorise them (same values, same order).
  const std::size_t moving = speed_ > 0 ? static_cast<std::size_t>(drift_len_) * d : 0;
  double* ce = centres_.data();
  double* sp = speeds_.data();
  const double speed = speed_;
  for (std::size_t k = 0; k < moving; ++k) {
    double v = ce[k] + sp[k] * speed;
    double s = sp[k];
    const bool above = v > 1;
    v = above ? 1.0 : v;
    s = above ? -s : s;
    const bool below = v < 0;
    v = below ? 0.0 : v;
    s = below ? -s : s;
    ce[k] = v;
    sp[k] = s;
  }
  // MOA MiscUtils.chooseRandomIndexBasedOnWeights: val = nextDouble() · Σw; the
  // first index whose running sum exceeds val (the last if none does). The
  // prefix sums hold exactly MOA's running sums, so a binary search agrees.
  const double val = rng_.next_double() * cum_weights_.back();
  auto it = std::upper_bound(cum_weights_.begin(), cum_weights_.end(), val);
  if (it == cum_weights_.end()) --it;
  const auto c = static_cast<std::size_t>(it - cum_weights_.begin());
  // Direction: d × (2·nextDouble() − 1), then ONE nextGaussian() for the length.
  double magnitude = 0.0;
  for (std::size_t i = 0; i < d; ++i) dir_[i] = rng_.next_double() * 2.0 - 1.0;
  for (std::size_t i = 0; i < d; ++i) magnitude += dir_[i] * dir_[i];
  magnitude = std::sqrt(magnitude);
  const double desired = rng_.next_gaussian() * std_dev_[c];
  const double scale = desired / magnitude;
  const double* centre = &centres_[c * d];
  for (std::size_t i = 0; i < d; ++i) x[i] = static_cast<float>(centre[i] + dir_[i] * scale);
  return labels_[c];
}

namespace {
using T = ParamSpec::Type;
}  // namespace

ComponentInfo random_rbf_info() {
  return ComponentInfo{
      "random_rbf",
      "random RBF (MOA RandomRBFGenerator), MOA-exact: weighted centroids with a class and a "
      "std dev; x = centre + N(0,1)*std along a random direction",
      {
          {"centroids", T::Int, 1, 100000, 50, {}, "number of centroids (MOA -n)"},
          {"features", T::Int, 1, 1024, 10, {}, "number of attributes (MOA -a)"},
          {"classes", T::Int, 2, 1000, 2, {}, "number of classes (MOA -c)"},
          {"model_seed", T::Int, 0, 2147483647, 1, {}, "centroid model seed (MOA -r)"},
      }};
}

std::unique_ptr<Generator> make_random_rbf(const Params& params, uint64_t seed) {
  RandomRbfConfig c;
  c.centroids = static_cast<int>(params.number("centroids"));
  c.features = static_cast<int>(params.number("features"));
  c.classes = static_cast<int>(params.number("classes"));
  c.model_seed = static_cast<int64_t>(params.number("model_seed"));
  return std::make_unique<RandomRbfGenerator>(c, static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
