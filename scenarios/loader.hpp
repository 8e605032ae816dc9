#pragma once
// Loads a scenario YAML file into a Scenario: every key checked, every default
// resolved. The first mistake found is thrown as a ScenarioError that points at
// the offending key or value ("q.yaml:12:7: unknown key 'budjet' ...").
// The format is documented in scenarios/FORMAT.md.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenarios/params.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/units.hpp"

namespace tinyfleet {

// what() is "FILE:LINE:COL: message"; line and column are 1-based. A problem
// with no position (e.g. a missing file) has line 0 and prints "FILE: message".
struct ScenarioError : std::runtime_error {
  ScenarioError(std::string file, int line, int column, std::string message);
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
};

// Everything the loader validates names against. Injected so tests can fake it.
struct SchemaCatalog {
  std::vector<ComponentInfo> generators, learners, detectors;
  // Detector name -> the `detector.input`s it accepts (absent: errors only).
  std::map<std::string, std::vector<std::string>> detector_inputs;
  std::vector<std::string> boards, links;
};

// The registered generators, learners, detectors, boards and link presets.
SchemaCatalog default_schema_catalog();

// `file` only names the text in error messages and in Scenario::file.
Scenario parse_scenario(const std::string& yaml_text, const std::string& file,
                        const SchemaCatalog& catalog);
Scenario load_scenario_file(const std::string& path, const SchemaCatalog& catalog);
// The quickstart scenario compiled into the binary ("<builtin>/scenarios/quickstart.yaml").
Scenario load_builtin_quickstart(const SchemaCatalog& catalog);

}  // namespace tinyfleet
