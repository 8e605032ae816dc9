#pragma once
// `tinyfleet evaluate --predictions FILE [--drifts LIST --alarms LIST
// --delta-max N] [--window W] [--fading A] [--rate HZ] [--epsilon E]`:
// scores a prediction log (analysis/prediction_log.hpp) with the simulator's
// own metric code (analysis/offline_evaluation.hpp) and prints one JSON
// object. LIST: comma-separated 0-based sample indices; the log's `drift` /
// `alarm` columns are the alternative (not both for the same thing).
#include <cstdint>
#include <optional>
#include <string>

#include "analysis/offline_evaluation.hpp"
#include "sim/cli_command.hpp"

namespace tinyfleet {

struct EvaluateArgs {
  std::string predictions;
  std::optional<std::string> drifts, alarms;
  std::optional<uint64_t> delta_max;
  OfflineSettings settings;
};

// 0 and the JSON on stdout; 2 after one error line on stderr for bad input.
int run_evaluate_command(const EvaluateArgs& args);

CliCommand add_evaluate_command(CLI::App& app);

}  // namespace tinyfleet
