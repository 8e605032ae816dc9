#include "drift/gen_sine.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace tinyfleet {

SineGenerator::SineGenerator(int function, bool suppress_irrelevant, bool balance, int64_t seed)
    : rng_(seed), function_(function), suppress_(suppress_irrelevant), balance_(balance) {
  if (function < 1 || function > 4) throw std::invalid_argument("sine: function must be 1..4");
  const int n = suppress_irrelevant ? 2 : 4;  // MOA NUM_IRRELEVANT_ATTRIBUTES = 2
  info_.features = n;
  info_.classes = 2;
  info_.lo.assign(static_cast<std::size_t>(n), 0.0f);
  info_.hi.assign(static_cast<std::size_t>(n), 1.0f);
}

int SineGenerator::label(int function, double x, double y) {
  // Java Math.sin may differ from std::sin in the last ulp; a label can only
  // differ if y falls within one ulp of the curve (never seen in practice).
  switch (function) {
    case 1:
      return (y < std::sin(x)) ? 0 : 1;
    case 2:
      return (y >= std::sin(x)) ? 0 : 1;
    case 3:
      return (y < 0.5 + 0.3 * std::sin(3 * std::numbers::pi * x)) ? 0 : 1;
    default:
      return (y >= 0.5 + 0.3 * std::sin(3 * std::numbers::pi * x)) ? 0 : 1;
  }
}

int SineGenerator::next(float* x) {
  // MOA SineGenerator.nextInstance(): (x, y) = 2 × nextDouble(), redrawn
  // while balancing requires the other class; the 2 irrelevant attributes are
  // drawn once, after the loop.
  double a1, a2;
  int group;
  for (;;) {
    a1 = rng_.next_double();
    a2 = rng_.next_double();
    group = label(function_, a1, a2);
    if (!balance_) break;
    if ((next_class_should_be_zero_ && group == 0) || (!next_class_should_be_zero_ && group == 1)) {
      next_class_should_be_zero_ = !next_class_should_be_zero_;
      break;
    }
  }
  x[0] = static_cast<float>(a1);
  x[1] = static_cast<float>(a2);
  if (!suppress_) {
    x[2] = static_cast<float>(rng_.next_double());
    x[3] = static_cast<float>(rng_.next_double());
  }
  return group;
}

ComponentInfo sine_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "sine",
      "SINE concepts (Gama et al. 2004), MOA-exact: (x, y) ~ U[0,1)^2 + 2 irrelevant; class 0 "
      "below the curve (f1, f3) or above it (f2, f4)",
      {
          {"function", T::Int, 1, 4, 1, {}, "1 y<sin x, 2 rev., 3 y<0.5+0.3sin(3 pi x), 4 rev."},
          {"suppress_irrelevant", T::Bool, 0, 1, 0, {}, "drop the 2 irrelevant attrs (MOA -s)"},
          {"balance", T::Bool, 0, 1, 0, {}, "alternate classes by rejection (MOA -b)"},
      }};
}

std::unique_ptr<Generator> make_sine(const Params& params, uint64_t seed) {
  return std::make_unique<SineGenerator>(static_cast<int>(params.number("function")),
                                         params.number("suppress_irrelevant") != 0,
                                         params.number("balance") != 0, static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
