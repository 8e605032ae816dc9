#include "drift/gen_hyperplane.hpp"

#include <cmath>
#include <stdexcept>

namespace tinyfleet {

HyperplaneGenerator::HyperplaneGenerator(int features, int drift_features, double mag_change,
                                         int noise_percent, int sigma_percent, int64_t seed)
    : rng_(seed),
      drift_features_(drift_features),
      mag_change_(mag_change),
      noise_percent_(noise_percent),
      sigma_percent_(sigma_percent) {
  if (features < 1) throw std::invalid_argument("hyperplane: features must be >= 1");
  // MOA indexes weights[i] for i < k, so k > d would be out of bounds there.
  if (drift_features < 0 || drift_features > features)
    throw std::invalid_argument("hyperplane: drift_features must be in [0, features]");
  if (noise_percent < 0 || noise_percent > 100 || sigma_percent < 0 || sigma_percent > 100)
    throw std::invalid_argument("hyperplane: percentages must be 0..100");
  // MOA restart(): w_i = nextDouble() for every attribute, s_i = 1 for the
  // first k (drifting) attributes, 0 otherwise.
  weights_.resize(static_cast<std::size_t>(features));
  sigma_.resize(static_cast<std::size_t>(features));
  for (int i = 0; i < features; ++i) {
    weights_[static_cast<std::size_t>(i)] = rng_.next_double();
    sigma_[static_cast<std::size_t>(i)] = i < drift_features ? 1 : 0;
  }
  info_.features = features;
  info_.classes = 2;
  info_.lo.assign(static_cast<std::size_t>(features), 0.0f);
  info_.hi.assign(static_cast<std::size_t>(features), 1.0f);
}

int HyperplaneGenerator::next(float* x) {
  // MOA HyperplaneGenerator.nextInstance(): d × nextDouble() for the
  // attributes, summing w_i x_i and w_i in attribute order (same rounding as
  // MOA); label; ONE nextInt(100) for the noise; then addDrift(), which draws
  // one nextInt(100) per drifting weight even when t = 0.
  const std::size_t d = weights_.size();
  double sum = 0.0, sum_weights = 0.0;
  for (std::size_t i = 0; i < d; ++i) {
    const double v = rng_.next_double();
    x[i] = static_cast<float>(v);
    sum += weights_[i] * v;
    sum_weights += weights_[i];
  }
  int label = (sum >= sum_weights * 0.5) ? 1 : 0;
  if (1 + rng_.next_int(100) <= noise_percent_) label = 1 - label;
  for (int i = 0; i < drift_features_; ++i) {
    const auto k = static_cast<std::size_t>(i);
    weights_[k] += static_cast<double>(sigma_[k]) * mag_change_;
    if (1 + rng_.next_int(100) <= sigma_percent_) sigma_[k] = -sigma_[k];
  }
  return label;
}

ComponentInfo hyperplane_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "hyperplane",
      "rotating hyperplane (Hulten et al. 2001), MOA-exact: x ~ U[0,1)^d, class 1 iff "
      "sum w_i x_i >= sum w_i / 2; incremental drift of k weights per sample",
      {
          {"features", T::Int, 1, 1024, 10, {}, "number of attributes d (MOA -a)"},
          {"drift_features", T::Int, 0, 1024, 2, {}, "drifting weights k <= d (MOA -k)"},
          {"mag_change", T::Real, 0, 1, 0.0, {}, "weight change t per sample (MOA -t)"},
          {"noise", T::Real, 0, 1, 0.05, {}, "label flip prob. (MOA -n, integer %)"},
          {"sigma", T::Real, 0, 1, 0.1, {}, "drift reversal prob. (MOA -s, integer %)"},
      }};
}

std::unique_ptr<Generator> make_hyperplane(const Params& params, uint64_t seed) {
  // MOA's noise and sigma options are integer percentages.
  return std::make_unique<HyperplaneGenerator>(
      static_cast<int>(params.number("features")),
      static_cast<int>(params.number("drift_features")), params.number("mag_change"),
      static_cast<int>(std::lround(params.number("noise") * 100)),
      static_cast<int>(std::lround(params.number("sigma") * 100)), static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
