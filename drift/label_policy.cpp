#include "drift/label_policy.hpp"

#include <stdexcept>

namespace tinyfleet {

LabelPolicy::LabelPolicy(const LabelSpec& spec, uint64_t seed) : spec_(spec), rng_(seed) {
  if (!(spec.fraction >= 0 && spec.fraction <= 1))
    throw std::invalid_argument("labels: fraction must be in [0, 1]");
  if (!(spec.delay_s >= 0)) throw std::invalid_argument("labels: delay_s must be >= 0");
  if (!(spec.delay_jitter_s >= 0))
    throw std::invalid_argument("labels: delay_jitter_s must be >= 0");
  if (spec.budget < 0 || (spec.budget > 0 && !(spec.budget_window_s > 0)))
    throw std::invalid_argument("labels: budget needs a positive window");
}

}  // namespace tinyfleet
