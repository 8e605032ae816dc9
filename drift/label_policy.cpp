#include "drift/label_policy.hpp"

#include <stdexcept>

namespace tinyfleet {

LabelPolicy::LabelPolicy(const LabelSpec& spec, uint64_t seed)
    : spec_(spec), self_(spec.self), rng_(seed) {
  if (!(spec.fraction >= 0 && spec.fraction <= 1))
    throw std::invalid_argument("labels: fraction must be in [0, 1]");
  if (!(spec.delay_s >= 0)) throw std::invalid_argument("labels: delay_s must be >= 0");
  if (!(spec.delay_jitter_s >= 0))
    throw std::invalid_argument("labels: delay_jitter_s must be >= 0");
  if (spec.budget < 0 || (spec.budget > 0 && !(spec.budget_window_s > 0)))
    throw std::invalid_argument("labels: budget needs a positive window");
  const SelfLabelSpec& self = spec.self;
  if (self.enabled) {
    if ((self.from_first_labels > 0) == !self.prototypes.empty())
      throw std::invalid_argument("labels.self: needs either prototypes or from_first_labels");
    if (self.prototypes.size() != self.prototype_labels.size())
      throw std::invalid_argument("labels.self: one label per prototype");
    if (!(self.positive >= 0) || !(self.negative >= 0) ||
        (self.negative > 0 && self.negative < self.positive))
      throw std::invalid_argument("labels.self: need 0 <= positive <= negative (or negative 0)");
    if (self.calibrate) {
      if (self.from_first_labels <= 0)
        throw std::invalid_argument("labels.self: calibrate needs from_first_labels");
      if (!(self.alpha_p >= 0 && self.alpha_p <= self.alpha_n && self.alpha_n <= 1) ||
          !(self.cap >= 0))
        throw std::invalid_argument("labels.self: need 0 <= alpha_p <= alpha_n <= 1, cap >= 0");
    } else if ((self.negative > 0) != (self.negative_class >= 0)) {
      throw std::invalid_argument("labels.self: negative and negative_class go together");
    }
  }
}

}  // namespace tinyfleet
