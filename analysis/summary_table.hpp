#pragma once
// The short human summary printed after a run.
#include <string>

#include "scenarios/scenario.hpp"
#include "sim/run.hpp"

namespace tinyfleet {
std::string render_summary_table(const Scenario& sc, const RunResults& r);
}  // namespace tinyfleet
