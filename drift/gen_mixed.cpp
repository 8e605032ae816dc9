#include "drift/gen_mixed.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace tinyfleet {

MixedGenerator::MixedGenerator(int function, bool balance, int64_t seed)
    : rng_(seed), function_(function), balance_(balance) {
  if (function < 1 || function > 2) throw std::invalid_argument("mixed: function must be 1..2");
  info_.features = 4;
  info_.classes = 2;
  info_.lo.assign(4, 0.0f);
  info_.hi.assign(4, 1.0f);
}

int MixedGenerator::label(int function, int v, int w, double x, double y) {
  const bool z = y < 0.5 + 0.3 * std::sin(3 * std::numbers::pi * x);
  const bool two_of_three = (v == 1 && w == 1) || (v == 1 && z) || (w == 1 && z);
  if (function == 1) return two_of_three ? 0 : 1;
  return two_of_three ? 1 : 0;
}

int MixedGenerator::next(float* x) {
  // MOA MixedGenerator.nextInstance(): v = (nextDouble() < 0.5 ? 0 : 1), w
  // likewise, then x, y = nextDouble(); redrawn while balancing requires the
  // other class.
  int v, w, group;
  double a, b;
  for (;;) {
    v = rng_.next_double() < 0.5 ? 0 : 1;
    w = rng_.next_double() < 0.5 ? 0 : 1;
    a = rng_.next_double();
    b = rng_.next_double();
    group = label(function_, v, w, a, b);
    if (!balance_) break;
    if ((next_class_should_be_zero_ && group == 0) || (!next_class_should_be_zero_ && group == 1)) {
      next_class_should_be_zero_ = !next_class_should_be_zero_;
      break;
    }
  }
  x[0] = static_cast<float>(v);
  x[1] = static_cast<float>(w);
  x[2] = static_cast<float>(a);
  x[3] = static_cast<float>(b);
  return group;
}

ComponentInfo mixed_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "mixed",
      "MIXED concepts (Gama et al. 2004), MOA-exact: v, w in {0,1}, x, y ~ U[0,1); class 0 iff "
      "two of v, w, y<0.5+0.3sin(3 pi x) hold (f1), reversed (f2)",
      {
          {"function", T::Int, 1, 2, 1, {}, "1 = two-of-three → class 0, 2 = reversed (MOA -f)"},
          {"balance", T::Bool, 0, 1, 0, {}, "alternate classes by rejection (MOA -b)"},
      }};
}

std::unique_ptr<Generator> make_mixed(const Params& params, uint64_t seed) {
  return std::make_unique<MixedGenerator>(static_cast<int>(params.number("function")),
                                          params.number("balance") != 0,
                                          static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
