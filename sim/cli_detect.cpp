#include "sim/cli_detect.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "drift/data_catalog.hpp"
#include "drift/detector.hpp"

namespace tinyfleet {
namespace {

constexpr int kBadInput = 2;

struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// A finite number spanning the whole token (strtod also takes "nan"/"inf",
// rejected here, and overflow gives ±HUGE_VAL, also rejected).
bool parse_number(const std::string& token, double& out) {
  if (token.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtod(token.c_str(), &end);
  return end == token.c_str() + token.size() && std::isfinite(out) && errno != ERANGE;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

Params resolve(const ComponentInfo& info, const std::vector<std::string>& sets) {
  Params p = default_params(info.params);
  std::vector<std::string> keys;
  for (const auto& s : info.params) keys.push_back(s.name);
  for (const auto& kv : sets) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) throw BadInput("--set expects KEY=VALUE, got '" + kv + "'");
    const std::string key = trim(kv.substr(0, eq)), value = trim(kv.substr(eq + 1));
    const ParamSpec* spec = nullptr;
    for (const auto& s : info.params)
      if (s.name == key) spec = &s;
    if (!spec)
      throw BadInput("unknown parameter '" + key + "' for detector '" + info.name +
                     "'; valid keys: " + join(keys, ", "));
    using T = ParamSpec::Type;
    if (spec->type == T::Text) {
      p.strings[key] = value;
      continue;
    }
    if (spec->type == T::Choice) {
      bool ok = false;
      for (const auto& c : spec->choices) ok = ok || c == value;
      if (!ok)
        throw BadInput("bad value '" + value + "' for " + key + ": expected one of " +
                       join(spec->choices, ", "));
      p.strings[key] = value;
      continue;
    }
    double v = 0;
    if (spec->type == T::Bool && (value == "true" || value == "false")) {
      v = value == "true";
    } else if (!parse_number(value, v)) {
      throw BadInput("bad value '" + value + "' for " + key + ": expected a finite number");
    }
    p.numbers[key] = v;  // type and range are checked by make_detector
  }
  return p;
}

}  // namespace

int run_detect_command(const std::string& detector, const std::vector<std::string>& sets,
                       const std::string& input_file) {
  const char* prefix = "tinyfleet detect: ";
  try {
    const ComponentInfo* info = nullptr;
    std::vector<std::string> names;
    for (const auto& c : detector_catalog()) {
      names.push_back(c.name);
      if (c.name == detector) info = &c;
    }
    if (!info)
      throw BadInput("unknown detector '" + detector + "'; available: " + join(names, ", "));
    std::unique_ptr<Detector> det;
    try {
      det = make_detector(detector, resolve(*info, sets));
    } catch (const std::invalid_argument& e) {
      throw BadInput(e.what());
    }

    std::ifstream file;
    std::istringstream series;
    std::istream* in = &std::cin;
    if (input_file.rfind("dataset:", 0) == 0) {  // a catalogued scalar series (nile)
      std::ostringstream text;
      try {
        text.precision(17);
        for (double v : load_named_series(input_file.substr(8))) text << v << "\n";
      } catch (const std::exception& e) {
        throw BadInput(e.what());
      }
      series.str(text.str());
      in = &series;
    } else if (!input_file.empty() && input_file != "-") {
      file.open(input_file);
      if (!file) throw BadInput("cannot open input file '" + input_file + "'");
      in = &file;
    }
    const bool multi = det->multivariate();
    nlohmann::ordered_json drifts = nlohmann::json::array(), warnings = nlohmann::json::array();
    OpCounter ops;
    std::string line;
    std::vector<float> vec;
    uint64_t n = 0, line_no = 0;
    int dim = 0;
    bool warning = false;
    while (std::getline(*in, line)) {
      ++line_no;
      const std::string body = trim(line);
      if (body.empty()) continue;
      auto bad = [&](const std::string& what) {
        return BadInput("line " + std::to_string(line_no) + ": " + what);
      };
      if (multi) {
        vec.clear();
        std::istringstream ss(body);
        std::string tok;
        while (ss >> tok) {
          double v = 0;
          if (!parse_number(tok, v)) throw bad("not a finite number: '" + tok + "'");
          vec.push_back(static_cast<float>(v));
        }
        if (dim == 0) dim = static_cast<int>(vec.size());
        if (static_cast<int>(vec.size()) != dim)
          throw bad("expected " + std::to_string(dim) + " values, got " +
                    std::to_string(vec.size()));
        det->update_vector(vec.data(), dim, n, ops);
      } else {
        double v = 0;
        if (!parse_number(body, v)) throw bad("not a finite number: '" + body + "'");
        det->update(v, n, ops);
      }
      if (det->drift_detected()) drifts.push_back(n);
      if (det->warning_detected() && !warning) warnings.push_back(n);
      warning = det->warning_detected();
      ++n;
    }
    if (in->bad()) throw BadInput("read error on input");
    if (n == 0) throw BadInput("empty input: no values");
    nlohmann::ordered_json out;
    out["detector"] = detector;
    out["n"] = n;
    out["drifts"] = drifts;
    out["warnings"] = warnings;
    std::cout << out.dump() << "\n";
    return 0;
  } catch (const BadInput& e) {
    std::cerr << prefix << e.what() << "\n";
    return kBadInput;
  }
}

CliCommand add_detect_command(CLI::App& app) {
  struct Args {
    std::string name, input;
    std::vector<std::string> sets;
  };
  auto args = std::make_shared<Args>();
  auto* detect = app.add_subcommand(
      "detect", "run a change detector offline on numbers (one per line); print alarms as JSON");
  detect->add_option("detector", args->name, "detector name (page_hinkley, adwin, ddm, ...)")
      ->required();
  detect->add_option("--set", args->sets, "detector parameter KEY=VALUE (repeatable)")
      ->allow_extra_args(false);
  detect->add_option("--input", args->input,
                     "input file ('-' or none: stdin; dataset:NAME: a scalar data set, e.g. "
                     "dataset:nile)");
  return {detect, [args] { return run_detect_command(args->name, args->sets, args->input); }};
}

}  // namespace tinyfleet
