#include "drift/gen_stagger.hpp"

#include <stdexcept>

namespace tinyfleet {

StaggerGenerator::StaggerGenerator(int function, bool balance, int64_t seed)
    : rng_(seed), function_(function), balance_(balance) {
  if (function < 1 || function > 3) throw std::invalid_argument("stagger: function must be 1..3");
  info_.features = 3;
  info_.classes = 2;
  info_.lo.assign(3, 0.0f);
  info_.hi.assign(3, 2.0f);
}

int StaggerGenerator::label(int function, int size, int color, int shape) {
  switch (function) {
    case 1:
      return (size == 0 && color == 0) ? 1 : 0;
    case 2:
      return (color == 2 || shape == 0) ? 1 : 0;
    default:
      return (size == 1 || size == 2) ? 1 : 0;
  }
}

int StaggerGenerator::next(float* x) {
  // MOA STAGGERGenerator.nextInstance(): size, color, shape = nextInt(3)
  // each, in that order; with balanceClasses the triple is redrawn until the
  // class alternates 1, 0, 1, ... (nextClassShouldBeZero starts false). No noise.
  int size, color, shape, group;
  for (;;) {
    size = rng_.next_int(3);
    color = rng_.next_int(3);
    shape = rng_.next_int(3);
    group = label(function_, size, color, shape);
    if (!balance_) break;
    if ((next_class_should_be_zero_ && group == 0) || (!next_class_should_be_zero_ && group == 1)) {
      next_class_should_be_zero_ = !next_class_should_be_zero_;
      break;
    }
  }
  x[0] = static_cast<float>(size);
  x[1] = static_cast<float>(color);
  x[2] = static_cast<float>(shape);
  return group;
}

ComponentInfo stagger_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "stagger",
      "STAGGER concepts (Schlimmer & Granger 1986), MOA-exact: size, color, shape in {0,1,2} "
      "(nominal indices)",
      {
          {"function", T::Int, 1, 3, 1, {}, "concept: 1 small&red, 2 green|circle, 3 medium|large"},
          {"balance", T::Bool, 0, 1, 0, {}, "alternate classes by rejection (MOA -b)"},
      }};
}

std::unique_ptr<Generator> make_stagger(const Params& params, uint64_t seed) {
  return std::make_unique<StaggerGenerator>(static_cast<int>(params.number("function")),
                                            params.number("balance") != 0,
                                            static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
