#pragma once
// Writing a run directory. Every file is written to a temporary name in the
// same directory and renamed into place, so an interrupted run never leaves a
// file that looks whole.
#include <string>

#include "scenarios/scenario.hpp"
#include "sim/run.hpp"

namespace tinyfleet {

void write_file_atomically(const std::string& path, const std::string& contents);

// summary.json, metrics.csv, events.csv: deterministic (same scenario + seed → same bytes).
void write_run_outputs(const std::string& dir, const Scenario& sc, const RunResults& r);
// provenance.json: what is not deterministic (wall time, host, schedule, command line).
void write_provenance(const std::string& dir, const std::string& provenance_json);

std::string metrics_csv(const Scenario& sc, const RunResults& r);
std::string events_csv(const RunResults& r);

}  // namespace tinyfleet
