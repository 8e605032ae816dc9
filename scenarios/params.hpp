#pragma once
// Typed, validated parameters of a pluggable component (generator, learner,
// detector). Each component kind publishes its ParamSpec list; the scenario
// loader validates YAML against it and fills defaults, so components read
// resolved values only.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinyfleet {

struct ParamSpec {
  // Text: free text, e.g. a file path; its default is text_default.
  enum class Type { Int, Real, Bool, Choice, Text };
  std::string name;
  Type type = Type::Real;
  double min = 0, max = 0;           // inclusive range for Int/Real
  double default_number = 0;         // default for Int/Real/Bool (Bool: 0/1)
  std::vector<std::string> choices;  // for Choice; default is choices[0]
  std::string help;
  std::string text_default = {};  // for Text (last, so positional initialisers keep working)
};

// Resolved values: numbers (Int/Real/Bool) and strings (Choice/Text).
struct Params {
  std::map<std::string, double> numbers;
  std::map<std::string, std::string> strings;

  double number(const std::string& key) const {
    auto it = numbers.find(key);
    if (it == numbers.end()) throw std::logic_error("parameter not resolved: " + key);
    return it->second;
  }
  const std::string& string(const std::string& key) const {
    auto it = strings.find(key);
    if (it == strings.end()) throw std::logic_error("parameter not resolved: " + key);
    return it->second;
  }
  bool operator==(const Params&) const = default;
};

// A registered component kind: its name, one line of help, its parameters.
struct ComponentInfo {
  std::string name;
  std::string help;
  std::vector<ParamSpec> params;
};

// Defaults for every spec (used when YAML gives none).
Params default_params(const std::vector<ParamSpec>& specs);

}  // namespace tinyfleet
