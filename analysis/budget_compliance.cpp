#include "analysis/budget_compliance.hpp"

#include <algorithm>

namespace tinyfleet {

BudgetCompliance& BudgetCompliance::operator+=(const BudgetCompliance& o) {
  tracked = tracked || o.tracked;
  inferences += o.inferences;
  deadline_misses += o.deadline_misses;
  worst_latency_s = std::max(worst_latency_s, o.worst_latency_s);
  energy_windows += o.energy_windows;
  energy_windows_over += o.energy_windows_over;
  energy_over_j += o.energy_over_j;
  duty_windows += o.duty_windows;
  duty_windows_over += o.duty_windows_over;
  ram_cap_breaches += o.ram_cap_breaches;
  ram_over_cap_s += o.ram_over_cap_s;
  outage_s += o.outage_s;
  reports_dropped += o.reports_dropped;
  messages_missed += o.messages_missed;
  pushes_deferred += o.pushes_deferred;
  interventions += o.interventions;
  model_pushes += o.model_pushes;
  resets += o.resets;
  burst_labels += o.burst_labels;
  budget_changes += o.budget_changes;
  push_bytes += o.push_bytes;
  reconfigurations += o.reconfigurations;
  brownouts += o.brownouts;
  return *this;
}

nlohmann::ordered_json budget_compliance_json(const BudgetCompliance& c, int devices) {
  auto share = [](uint64_t part, uint64_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
  };
  const double n = std::max(1, devices);
  nlohmann::ordered_json j;
  j["deadline_inferences"] = c.inferences;
  j["deadline_misses"] = c.deadline_misses;
  j["deadline_miss_share"] = share(c.deadline_misses, c.inferences);
  j["worst_latency_s"] = c.worst_latency_s;
  j["energy_windows"] = c.energy_windows;
  j["energy_windows_over"] = c.energy_windows_over;
  j["energy_window_over_share"] = share(c.energy_windows_over, c.energy_windows);
  j["energy_over_j"] = c.energy_over_j;
  j["duty_windows"] = c.duty_windows;
  j["duty_windows_over"] = c.duty_windows_over;
  j["ram_cap_breaches"] = c.ram_cap_breaches;
  j["mean_ram_over_cap_s"] = c.ram_over_cap_s / n;
  j["mean_outage_s"] = c.outage_s / n;
  j["reports_dropped"] = c.reports_dropped;
  j["model_messages_missed"] = c.messages_missed;
  j["model_pushes_deferred"] = c.pushes_deferred;
  j["brownouts"] = c.brownouts;
  j["interventions"] = c.interventions;
  j["model_pushes"] = c.model_pushes;
  j["resets"] = c.resets;
  j["burst_labels"] = c.burst_labels;
  j["budget_changes"] = c.budget_changes;
  j["push_bytes"] = c.push_bytes;
  j["reconfigurations"] = c.reconfigurations;
  return j;
}

}  // namespace tinyfleet
