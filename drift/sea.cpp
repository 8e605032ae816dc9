#include "drift/sea.hpp"

#include <cmath>
#include <stdexcept>

namespace tinyfleet {

namespace {
// MOA SEAGenerator classification functions 1..4: class 0 iff x1 + x2 <= θ.
constexpr double kTheta[4] = {8.0, 9.0, 7.0, 9.5};
}  // namespace

SeaGenerator::SeaGenerator(int variant, int noise_percent, bool balance, int64_t seed)
    : rng_(seed), noise_percent_(noise_percent), balance_(balance) {
  if (variant < 0 || variant > 3) throw std::invalid_argument("sea: variant must be 0..3");
  if (noise_percent < 0 || noise_percent > 100)
    throw std::invalid_argument("sea: noise percentage must be 0..100");
  theta_ = kTheta[variant];
  info_.features = 3;
  info_.classes = 2;
  info_.lo.assign(3, 0.0f);
  info_.hi.assign(3, 10.0f);
}

int SeaGenerator::next(float* x) {
  // Draw order exactly as MOA SEAGenerator.nextInstance(): three attributes
  // (10 * nextDouble() each), the class from the concept function, retried
  // while balancing requires the other class; then ONE nextInt(100) for the
  // noise, drawn on every sample (so the stream does not depend on whether a
  // flip happens). The CapyMOA vectors (streams.md §2) pin this order: sample
  // #2 only matches when exactly one next(31) separates the samples.
  double a1, a2, a3;
  int group;
  for (;;) {
    a1 = 10 * rng_.next_double();
    a2 = 10 * rng_.next_double();
    a3 = 10 * rng_.next_double();
    group = (a1 + a2 <= theta_) ? 0 : 1;  // computed in double, as MOA
    if (!balance_) break;
    // MOA balanceClasses: alternate 1, 0, 1, 0, ... (nextClassShouldBeZero starts false).
    if ((next_class_should_be_zero_ && group == 0) || (!next_class_should_be_zero_ && group == 1)) {
      next_class_should_be_zero_ = !next_class_should_be_zero_;
      break;
    }
  }
  // MOA: flip iff 1 + nextInt(100) <= noisePercentage.
  if (1 + rng_.next_int(100) <= noise_percent_) group = 1 - group;
  x[0] = static_cast<float>(a1);
  x[1] = static_cast<float>(a2);
  x[2] = static_cast<float>(a3);
  return group;
}

ComponentInfo sea_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "sea",
      "SEA concepts (Street & Kim 2001), MOA-exact: x1..x3 ~ U[0,10], class 0 iff x1+x2 <= theta",
      {
          {"variant", T::Int, 0, 3, 0, {}, "concept function: theta = 8, 9, 7, 9.5 (MOA -f 1..4)"},
          {"noise", T::Real, 0, 1, 0.1, {}, "label flip probability (MOA -p = round(100*noise) %)"},
          {"balance", T::Bool, 0, 1, 0, {}, "alternate classes by rejection (MOA -b)"},
      }};
}

std::unique_ptr<Generator> make_sea(const Params& params, uint64_t seed) {
  const int variant = static_cast<int>(params.number("variant"));
  // MOA's noise option is an integer percentage.
  const int noise_percent = static_cast<int>(std::lround(params.number("noise") * 100));
  const bool balance = params.number("balance") != 0;
  return std::make_unique<SeaGenerator>(variant, noise_percent, balance,
                                        static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
