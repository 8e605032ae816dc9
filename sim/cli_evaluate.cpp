#include "sim/cli_evaluate.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace tinyfleet {
namespace {

struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "12,40, 300" → {12, 40, 300}, sorted; duplicates and non-integers rejected.
std::vector<uint64_t> parse_index_list(const std::string& option, const std::string& text) {
  std::vector<uint64_t> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    std::string item = text.substr(pos, comma - pos);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    uint64_t v = 0;
    const auto res = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || res.ec != std::errc() || res.ptr != item.data() + item.size())
      throw BadInput(option + ": '" + item + "' is not a sample index (a non-negative integer)");
    out.push_back(v);
    pos = comma + 1;
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end())
    throw BadInput(option + ": an index appears twice");
  return out;
}

std::vector<uint64_t> pick(const char* what, const std::optional<std::string>& list,
                           bool has_column, const std::vector<uint64_t>& column, uint64_t rows) {
  const std::string option = std::string("--") + what + "s";
  if (list && has_column)
    throw BadInput(std::string("give the ") + what + "s either as " + option +
                   " or as the log's '" + what + "' column, not both");
  if (!list) return column;
  std::vector<uint64_t> v = parse_index_list(option, *list);
  if (!v.empty() && v.back() >= rows)
    throw BadInput(option + ": index " + std::to_string(v.back()) + " is past the last sample (" +
                   std::to_string(rows) + " rows)");
  return v;
}

}  // namespace

int run_evaluate_command(const EvaluateArgs& args) {
  try {
    OfflineSettings settings = args.settings;
    if (settings.window < 1) throw BadInput("--window must be >= 1");
    if (!(settings.fading > 0 && settings.fading <= 1))
      throw BadInput("--fading must be in (0, 1]");
    if (!(settings.rate_hz > 0) || !std::isfinite(settings.rate_hz))
      throw BadInput("--rate must be > 0");
    if (!(settings.epsilon >= 0 && settings.epsilon <= 1))
      throw BadInput("--epsilon must be in [0, 1]");
    if (!(settings.service_level >= 0 && settings.service_level <= 1))
      throw BadInput("--service-level must be in [0, 1]");
    if (!(settings.cvar_alpha > 0 && settings.cvar_alpha <= 1))
      throw BadInput("--cvar-alpha must be in (0, 1]");
    const PredictionLog log = read_prediction_log(args.predictions);
    const uint64_t rows = log.y_true.size();
    const auto drifts = pick("drift", args.drifts, log.has_drift_column, log.drifts, rows);
    const auto alarms = pick("alarm", args.alarms, log.has_alarm_column, log.alarms, rows);
    if (!drifts.empty() && !args.delta_max)
      throw BadInput("--delta-max N is required when there are drifts to detect");
    if (args.delta_max && *args.delta_max == 0) throw BadInput("--delta-max must be > 0");
    settings.delta_max = args.delta_max.value_or(0);
    std::cout << evaluate_log(log, drifts, alarms, settings).dump() << "\n";
    return 0;
  } catch (const BadInput& e) {
    std::cerr << "tinyfleet evaluate: " << e.what() << "\n";
  } catch (const PredictionLogError& e) {
    std::cerr << e.what() << "\n";
  }
  return kExitBadInput;
}

CliCommand add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  auto* cmd = app.add_subcommand(
      "evaluate", "score a prediction log (CSV with y_true,y_pred) like the simulator; print JSON");
  cmd->add_option("--predictions", args->predictions,
                  "CSV file with y_true,y_pred columns (optional: alarm, drift, confidence)")
      ->required();
  cmd->add_option("--drifts", args->drifts, "comma-separated sample indices of the drifts");
  cmd->add_option("--alarms", args->alarms, "comma-separated sample indices of the alarms");
  cmd->add_option("--delta-max", args->delta_max,
                  "samples after a drift within which an alarm detects it");
  cmd->add_option("--window", args->settings.window, "sliding window, samples (default 1000)");
  cmd->add_option("--fading", args->settings.fading, "fading factor alpha (default 0.999)");
  cmd->add_option("--rate", args->settings.rate_hz, "samples per second (default 1)");
  cmd->add_option("--epsilon", args->settings.epsilon,
                  "recovery tolerance, accuracy points (default 0.02)");
  cmd->add_option("--service-level", args->settings.service_level,
                  "tail risk: time below this windowed accuracy is reported (default 0.8)");
  cmd->add_option("--cvar-alpha", args->settings.cvar_alpha,
                  "tail risk: CVaR of the worst alpha share of windowed losses (default 0.05)");
  return {cmd, [args] { return run_evaluate_command(*args); }};
}

}  // namespace tinyfleet
