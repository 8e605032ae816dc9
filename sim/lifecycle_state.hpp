#pragma once
// A device's lifecycle bookkeeping (docs/LIFECYCLE.md): its calendar of
// budget steps, radio outages, interventions, budget windows and policy ticks
// (all local events of the device, so every schedule runs them identically),
// the budgets in force, the window accumulators and the policy's knobs.
// Used by sim/device_lifecycle.cpp only.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/lifecycle_plan.hpp"
#include "sim/policy_rules.hpp"

namespace tinyfleet {

struct LifecycleState {
  // One dated item of the calendar. At equal times: window close, budget
  // step, outage end, outage start, intervention, policy tick (the window
  // closes under the budget it ran with; a change at t applies to everything at t).
  enum class Kind { WindowClose, BudgetStep, OutageEnd, OutageStart, Intervention, PolicyTick };
  struct Item {
    double t = 0;
    Kind kind = Kind::BudgetStep;
    int index = 0;  // into plan.budgets.steps / outages / interventions
  };

  LifecyclePlan plan;
  std::vector<Item> items;  // dated items, sorted; the periodic ones are generated
  std::size_t next_item = 0;
  uint64_t windows_closed = 0, policy_ticks = 0;
  double next_window = 0, next_policy = 0;  // kNever when off

  BudgetStep in_force;  // the budget values now (0: no limit)
  bool outage = false;
  std::vector<int> deferred_pushes;  // model pushes waiting for the link

  // The window being accumulated.
  double window_start_s = 0, window_start_j = 0, window_start_awake_s = 0;
  double previous_window_j = -1;  // energy of the last closed window (−1: none yet)
  uint64_t window_inferences = 0, window_misses = 0;
  double window_worst_latency_s = 0;

  bool over_cap = false;
  double over_cap_since = 0;

  int burst_left = 0;    // label burst: samples still to be labelled
  int update_every = 1;  // learn from every k-th label
  uint64_t labels_seen = 0;

  // Policy.
  std::unique_ptr<Policy> policy;
  double detector_threshold = 0, detector_threshold_initial = 0;      // 0: no such knob
  std::vector<std::pair<std::string, double>> learner_knobs_initial;  // as configured
  uint64_t misses_since_tick = 0, alarms_since_tick = 0;
  double confidence_sum = 0;
  uint64_t confidence_n = 0;
};

}  // namespace tinyfleet
