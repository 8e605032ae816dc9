#include "sim/policy_rules.hpp"

#include <algorithm>
#include <cmath>

namespace tinyfleet {
namespace {

const KnobState* find_knob(const std::vector<KnobState>& knobs, const char* name) {
  for (const auto& k : knobs)
    if (k.info.name == name) return &k;
  return nullptr;
}

// Best of the recent values, then the new one joins them.
double reference_then_push(std::deque<double>& recent, double value, std::size_t keep) {
  const double best = recent.empty() ? value : *std::max_element(recent.begin(), recent.end());
  recent.push_back(value);
  if (recent.size() > keep) recent.pop_front();
  return best;
}

void propose(std::vector<KnobChange>& out, const KnobState& knob, double value,
             const char* reason) {
  value = std::clamp(knob.info.integer ? std::round(value) : value, knob.info.min, knob.info.max);
  if (value != knob.value) out.push_back({knob.info.name, value, reason});
}

}  // namespace

std::vector<KnobChange> RulesPolicy::decide(const Telemetry& now,
                                            const std::vector<KnobState>& knobs) {
  std::vector<KnobChange> out;
  // Accuracy or confidence fell by more than accuracy_drop below its best of the last ticks.
  bool drop = false, calm = true;
  if (now.scored) {
    const double ref = reference_then_push(accuracy_, now.accuracy_window, kReferenceTicks);
    drop = ref - now.accuracy_window > spec_.accuracy_drop;
    calm = ref - now.accuracy_window < spec_.accuracy_drop / 2;
  }
  if (now.confidence >= 0) {
    const double ref = reference_then_push(confidence_, now.confidence, kReferenceTicks);
    drop = drop || ref - now.confidence > spec_.accuracy_drop;
    calm = calm && ref - now.confidence < spec_.accuracy_drop / 2;
  }
  const bool energy_high =
      now.energy_budget_j > 0 && now.energy_projected_j > spec_.energy_high * now.energy_budget_j;
  const bool energy_low =
      now.energy_budget_j <= 0 || now.energy_projected_j < spec_.energy_low * now.energy_budget_j;

  // R1 knowledge base: shrink near the RAM cap or when inferences miss their
  // deadline (kNN inference cost grows with the KB); grow back with headroom.
  if (const KnobState* kb = find_knob(knobs, kKnobKbBudget)) {
    const double floor_kb = std::max(kb->info.min, std::ceil(kb->initial * spec_.min_kb_fraction));
    if (now.ram_cap > 0 && now.ram_used > spec_.ram_high * now.ram_cap)
      propose(out, *kb, std::max(floor_kb, std::floor(kb->value / 2)), "ram_near_cap");
    else if (now.deadline_misses > 0)
      propose(out, *kb, std::max(floor_kb, std::floor(kb->value * 0.75)), "deadline_missed");
    else if (kb->value < kb->initial &&
             (now.ram_cap <= 0 || now.ram_used < spec_.ram_low * now.ram_cap))
      propose(out, *kb, std::min(kb->initial, std::ceil(kb->value * 1.25)), "ram_headroom");
  }
  // R2 update rate: learn from fewer labels when the energy window or the
  // battery runs low; back to every label with headroom, or after a drop.
  if (const KnobState* every = find_knob(knobs, kKnobUpdateEvery)) {
    const double slowest = std::min<double>(every->info.max, spec_.max_update_every);
    if (now.battery_left < spec_.battery_low)
      propose(out, *every, slowest, "battery_low");
    else if (energy_high)
      propose(out, *every, std::min(slowest, every->value * 2), "energy_near_budget");
    else if (drop)
      propose(out, *every, 1, "accuracy_drop");
    else if (energy_low && every->value > 1)
      propose(out, *every, std::max(1.0, std::floor(every->value / 2)), "energy_headroom");
  }
  // R3 detector: more sensitive (half the threshold) after a drop, back to
  // the configured threshold once accuracy is near its reference again.
  if (const KnobState* th = find_knob(knobs, kKnobDetectorThreshold)) {
    if (drop)
      propose(out, *th, th->value / 2, "accuracy_drop");
    else if (calm && th->value < th->initial)
      propose(out, *th, std::min(th->initial, th->value * 2), "accuracy_recovered");
  }
  return out;
}

std::unique_ptr<Policy> make_policy(const PolicySpec& spec) {
  if (spec.kind == "rules") return std::make_unique<RulesPolicy>(spec);
  return nullptr;
}

}  // namespace tinyfleet
