#pragma once
// Reconfiguration policies (the ASE "agent", reference taxonomy.md §2 E9):
// every `policy.every` a device hands its policy what it observes about itself
// and the knobs it exposes; the policy answers with knob changes. `fixed`
// never changes anything (no policy object at all); `rules` is the rule set
// documented in docs/LIFECYCLE.md. A policy is per device and keeps a little
// state of its own (recent accuracy), so its decisions depend only on the
// device's own history.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "learners/reconfigurable.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

// What the device observes about itself at a policy tick.
struct Telemetry {
  double t = 0;
  double battery_left = 1;           // fraction of the cell
  double ram_used = 0, ram_cap = 0;  // bytes; cap 0: no cap
  double energy_budget_j = 0;        // per window; 0: none
  double energy_projected_j = 0;     // used so far in the window, scaled to the whole window
  uint64_t deadline_misses = 0;      // since the previous tick
  uint64_t alarms = 0;               // detector alarms since the previous tick
  bool scored = false;               // the accuracy window holds samples
  double accuracy_window = 0;        // windowed prequential accuracy
  double confidence = -1;            // mean confidence since the previous tick (−1: no sample)
};

struct KnobState {
  KnobInfo info;
  double value = 0;
  double initial = 0;  // as configured
};

struct KnobChange {
  std::string knob;
  double value = 0;
  std::string reason;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::vector<KnobChange> decide(const Telemetry& now,
                                         const std::vector<KnobState>& knobs) = 0;
};

// Knob names the rules know (learners may expose others, left alone).
inline constexpr const char* kKnobKbBudget = "kb_budget";
inline constexpr const char* kKnobUpdateEvery = "update_every";
inline constexpr const char* kKnobDetectorThreshold = "detector_threshold";

class RulesPolicy final : public Policy {
 public:
  explicit RulesPolicy(const PolicySpec& spec) : spec_(spec) {}
  std::vector<KnobChange> decide(const Telemetry& now,
                                 const std::vector<KnobState>& knobs) override;
  static constexpr std::size_t kReferenceTicks = 10;  // accuracy reference: best of the last 10

 private:
  PolicySpec spec_;
  std::deque<double> accuracy_, confidence_;  // the last kReferenceTicks values
};

// Null for `fixed`.
std::unique_ptr<Policy> make_policy(const PolicySpec& spec);

}  // namespace tinyfleet
