#include "learners/static_learner.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace tinyfleet {

StaticLearner::StaticLearner(const KnnConfig& config, uint64_t warmup, const StreamInfo& info)
    : knn_(config, info), warmup_(warmup) {}

std::vector<ParamSpec> StaticLearner::param_specs() {
  auto specs = KnnLearner::param_specs();
  // It never adapts to a change, so the change-time keys would be dead weight.
  std::erase_if(specs, [](const ParamSpec& s) {
    return s.name == "change_time" || s.name == "refine_window" || s.name == "validate_z";
  });
  specs.push_back({"warmup",
                   ParamSpec::Type::Int,
                   0,
                   1e9,
                   200,
                   {},
                   "labelled samples learnt from before learning stops for good"});
  return specs;
}

uint64_t StaticLearner::warmup_from(const Params& params) {
  auto it = params.numbers.find("warmup");
  if (it == params.numbers.end()) throw std::invalid_argument("learner parameter missing: warmup");
  const double v = it->second;
  if (!(v >= 0 && v <= 1e9) || v != std::floor(v))
    throw std::invalid_argument("learner parameter warmup must be an integer in [0, 1000000000]");
  return static_cast<uint64_t>(v);
}

void StaticLearner::learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) {
  if (frozen_) return;
  ops.add(Op::Compare);  // still warming up?
  if (seen_ >= warmup_) return;
  ++seen_;
  ops.add(Op::Add);
  knn_.learn(x, y, sample_index, ops);
}

}  // namespace tinyfleet
