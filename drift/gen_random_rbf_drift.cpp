#include "drift/gen_random_rbf_drift.hpp"

namespace tinyfleet {

ComponentInfo random_rbf_drift_info() {
  using T = ParamSpec::Type;
  ComponentInfo info = random_rbf_info();
  info.name = "random_rbf_drift";
  info.help =
      "random RBF with drift (MOA RandomRBFGeneratorDrift), MOA-exact: the first k centroids "
      "move by speed per sample along a fixed unit direction, reflecting at 0 and 1";
  info.params.push_back(
      {"speed", T::Real, 0, 1, 0.0, {}, "centroid displacement per sample (MOA -s)"});
  info.params.push_back(
      {"drift_centroids", T::Int, 0, 100000, 50, {}, "number of moving centroids k (MOA -k)"});
  return info;
}

std::unique_ptr<Generator> make_random_rbf_drift(const Params& params, uint64_t seed) {
  RandomRbfConfig c;
  c.centroids = static_cast<int>(params.number("centroids"));
  c.features = static_cast<int>(params.number("features"));
  c.classes = static_cast<int>(params.number("classes"));
  c.model_seed = static_cast<int64_t>(params.number("model_seed"));
  c.speed = params.number("speed");
  c.drift_centroids = static_cast<int>(params.number("drift_centroids"));
  return std::make_unique<RandomRbfGenerator>(c, static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
