#include "sim/cli.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "analysis/summary.hpp"
#include "analysis/summary_table.hpp"
#include "analysis/writers.hpp"
#include "devices/link_preset.hpp"
#include "devices/profile.hpp"
#include "drift/detector.hpp"
#include "drift/stream.hpp"
#include "learners/learner.hpp"
#include "scenarios/loader.hpp"
#include "sim/cli_command.hpp"
#include "sim/cli_datasets.hpp"
#include "sim/cli_detect.hpp"
#include "sim/cli_evaluate.hpp"
#include "sim/cli_report.hpp"
#include "sim/cli_reproduce.hpp"
#include "sim/cli_sweep.hpp"
#include "sim/run.hpp"

namespace tinyfleet {
namespace {

Scenario load(const std::string& file) {
  const auto catalog = default_schema_catalog();
  return file.empty() ? load_builtin_quickstart(catalog) : load_scenario_file(file, catalog);
}

std::string provenance(const Scenario& sc, const std::string& schedule, double wall_s,
                       const RunResults& r, int argc, char** argv) {
  char host[256] = "unknown";
  gethostname(host, sizeof host - 1);
  std::time_t now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  nlohmann::ordered_json j;
  std::string cmd;
  for (int i = 0; i < argc; ++i) cmd += (i ? " " : "") + std::string(argv[i]);
  j["command"] = cmd;
  j["scenario_file"] = sc.file;
  j["schedule"] = schedule;
  j["finished_utc"] = date;
  j["host"] = host;
  j["wall_s"] = wall_s;
  std::size_t samples = 0;
  for (const auto& d : r.devices) samples += d.samples;
  j["device_samples"] = samples;
  j["device_samples_per_s"] = wall_s > 0 ? static_cast<double>(samples) / wall_s : 0.0;
  j["simulator_bytes_per_device"] = r.overhead_bytes_per_device;
  return j.dump(2) + "\n";
}

int cmd_run(const std::string& file, const std::string& out_dir, const std::string& schedule,
            bool quiet, int argc, char** argv) {
  Scenario sc;
  RunOptions opt;
  try {
    sc = load(file);
    opt.schedule = parse_schedule(schedule);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  }
  opt.progress = !quiet && isatty(STDOUT_FILENO);
  const std::string dir = out_dir.empty() ? "out/" + sc.name : out_dir;
  const auto t0 = std::chrono::steady_clock::now();
  RunResults r;
  try {
    r = run_scenario(sc, opt);
  } catch (const std::invalid_argument& e) {
    std::cerr << "tinyfleet: " << e.what() << "\n";
    return kExitBadInput;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_run_outputs(dir, sc, r);
  write_provenance(dir, provenance(sc, schedule, wall, r, argc, argv));
  if (!quiet) {
    std::cout << render_summary_table(sc, r);
    std::cout << "wrote " << dir << "/{summary.json,metrics.csv,events.csv,provenance.json} in "
              << std::fixed << std::setprecision(2) << wall << " s\n";
  }
  return 0;
}

int cmd_validate(const std::vector<std::string>& files) {
  int status = 0;
  for (const auto& f : files) {
    try {
      const Scenario sc = load(f);
      int devices = 0;
      for (const auto& g : sc.groups) devices += g.count;
      std::cout << f << ": ok (" << sc.groups.size() << " groups, " << devices << " devices)\n";
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      status = kExitBadInput;
    }
  }
  return status;
}

int cmd_devices() {
  std::cout << "Boards (devices/boards/*.yaml):\n";
  for (const auto& p : board_catalog()) std::cout << "  " << describe_board(p) << "\n";
  std::cout << "Link presets (network.link):\n";
  for (const auto& l : link_presets()) std::cout << "  " << describe_link_preset(l) << "\n";
  return 0;
}

std::string describe_param(const ParamSpec& p) {
  char range[128];
  switch (p.type) {
    case ParamSpec::Type::Int:
      std::snprintf(range, sizeof range, "int %g..%g, default %g", p.min, p.max, p.default_number);
      break;
    case ParamSpec::Type::Real:
      std::snprintf(range, sizeof range, "real %g..%g, default %g", p.min, p.max, p.default_number);
      break;
    case ParamSpec::Type::Bool:
      std::snprintf(range, sizeof range, "bool, default %s", p.default_number ? "true" : "false");
      break;
    case ParamSpec::Type::Choice: {
      std::string c;
      for (const auto& x : p.choices) c += (c.empty() ? "" : "|") + x;
      std::snprintf(range, sizeof range, "%s", c.c_str());
      break;
    }
    case ParamSpec::Type::Text:
      std::snprintf(range, sizeof range, "text, default '%s'", p.text_default.c_str());
      break;
  }
  return "      " + p.name + " (" + range + ")" + (p.help.empty() ? "" : ": " + p.help);
}

int cmd_components() {
  auto print = [](const char* title, const std::vector<ComponentInfo>& catalog,
                  bool detectors = false) {
    std::cout << title << ":\n";
    for (const auto& c : catalog) {
      std::cout << "  " << c.name << " — " << c.help << "\n";
      for (const auto& p : c.params) std::cout << describe_param(p) << "\n";
      if (!detectors) continue;
      std::string inputs;
      for (const auto& i : detector_inputs(c.name)) inputs += (inputs.empty() ? "" : "|") + i;
      std::cout << "      input (" << inputs << "): what it watches (learner.detector.input)\n";
    }
  };
  print("Generators (stream.generator, stream.params)", generator_catalog());
  print("Learners (learner.kind and its keys)", learner_catalog());
  print("Detectors (learner.detector.kind and its keys; tinyfleet detect NAME)", detector_catalog(),
        true);
  return 0;
}

}  // namespace

int cli_main(int argc, char** argv) {
  CLI::App app{"tinyfleet: discrete-event simulator of fleets of adaptive TinyML devices"};
  app.require_subcommand(1);

  std::string run_file, out_dir, schedule = "calendar";
  bool quiet = false;
  auto* run = app.add_subcommand("run", "run a scenario (the built-in quickstart if no file)");
  run->add_option("scenario", run_file, "scenario YAML file");
  run->add_option("-o,--output", out_dir, "output directory (default out/<scenario name>)");
  run->add_option("--schedule", schedule, "calendar (fast, default) or per-sample (reference)");
  run->add_flag("-q,--quiet", quiet, "no table, no progress bar");

  std::vector<std::string> validate_files;
  auto* validate = app.add_subcommand("validate", "check scenario files");
  validate->add_option("scenario", validate_files, "scenario YAML files")->required();

  auto* devices = app.add_subcommand("devices", "list the board catalog and link presets");
  auto* components = app.add_subcommand(
      "components", "list the generators, learners and detectors with their parameters");

  const std::vector<CliCommand> commands = {
      {run, [&] { return cmd_run(run_file, out_dir, schedule, quiet, argc, argv); }},
      {validate, [&] { return cmd_validate(validate_files); }},
      {devices, [] { return cmd_devices(); }},
      {components, [] { return cmd_components(); }},
      add_detect_command(app),
      add_evaluate_command(app),
      add_report_command(app),
      add_sweep_command(app),
      add_datasets_command(app),
      add_reproduce_command(app),
      // New subcommands: one line here, the rest in their own sim/cli_*.cpp.
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }
  try {
    for (const auto& c : commands)
      if (*c.sub) return c.run();
  } catch (const std::exception& e) {
    std::cerr << "tinyfleet: " << e.what() << "\n";
    return kExitFailure;
  }
  return 0;
}

}  // namespace tinyfleet
