#pragma once
// summary.json's `federation` and `fleet_detection` sections (and the
// scenario's federation settings), from the fleet server's results.
#include <nlohmann/json.hpp>

#include "scenarios/scenario.hpp"
#include "sim/run.hpp"

namespace tinyfleet {

// Adds the sections to `summary` when the scenario has a federation or a
// fleet detector; leaves it unchanged otherwise.
void add_fleet_server_summary(nlohmann::ordered_json& summary, const Scenario& sc,
                              const RunResults& r);

}  // namespace tinyfleet
