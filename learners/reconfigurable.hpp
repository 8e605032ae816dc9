#pragma once
// What a kernel lets a reconfiguration policy change at run time (the "agent"
// side of the ASE lens, reference taxonomy.md §1 and §2 E9): named knobs with
// ranges. The device adds knobs of its own (update rate, detector threshold,
// sim/policy_knobs.hpp); a policy sees all of them by name.
#include <string>
#include <vector>

#include "devices/op_counter.hpp"

namespace tinyfleet {

struct KnobInfo {
  std::string name;
  double min = 0, max = 0;  // the value is kept within [min, max]
  bool integer = true;
};

class Reconfigurable {
 public:
  virtual ~Reconfigurable() = default;
  virtual std::vector<KnobInfo> knobs() const = 0;
  // The knob's value now; throws std::invalid_argument for an unknown name.
  virtual double knob(const std::string& name) const = 0;
  // Sets it (clamped to its range, rounded if integer) and counts the
  // operations the change really takes on the device (e.g. compacting a
  // knowledge base); returns the value applied.
  virtual double set_knob(const std::string& name, double value, OpCounter& ops) = 0;
};

}  // namespace tinyfleet
