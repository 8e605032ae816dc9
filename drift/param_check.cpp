#include "drift/param_check.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tinyfleet {

namespace {

[[noreturn]] void fail(const std::string& component, const std::string& what) {
  throw std::invalid_argument(component + ": " + what);
}

}  // namespace

void check_resolved_params(const std::string& component, const std::vector<ParamSpec>& specs,
                           const Params& params) {
  for (const auto& s : specs) {
    if (s.type == ParamSpec::Type::Choice || s.type == ParamSpec::Type::Text) {
      auto it = params.strings.find(s.name);
      if (it == params.strings.end()) fail(component, "parameter not resolved: " + s.name);
      if (s.type == ParamSpec::Type::Choice &&
          std::find(s.choices.begin(), s.choices.end(), it->second) == s.choices.end())
        fail(component, "invalid choice for " + s.name + ": '" + it->second + "'");
      continue;
    }
    auto it = params.numbers.find(s.name);
    if (it == params.numbers.end()) fail(component, "parameter not resolved: " + s.name);
    const double v = it->second;
    if (!std::isfinite(v)) fail(component, s.name + " must be finite");
    switch (s.type) {
      case ParamSpec::Type::Bool:
        if (v != 0 && v != 1) fail(component, s.name + " must be a boolean (0/1)");
        break;
      case ParamSpec::Type::Int:
        if (v != std::floor(v)) fail(component, s.name + " must be an integer");
        [[fallthrough]];
      case ParamSpec::Type::Real:
        if (v < s.min || v > s.max)
          fail(component, s.name + " out of range [" + std::to_string(s.min) + ", " +
                              std::to_string(s.max) + "]: " + std::to_string(v));
        break;
      case ParamSpec::Type::Choice:
      case ParamSpec::Type::Text:
        break;
    }
  }
  auto known = [&](const std::string& key, bool choice) {
    return std::any_of(specs.begin(), specs.end(), [&](const ParamSpec& s) {
      const bool textual = s.type == ParamSpec::Type::Choice || s.type == ParamSpec::Type::Text;
      return s.name == key && textual == choice;
    });
  };
  for (const auto& [k, v] : params.numbers)
    if (!known(k, false)) fail(component, "unknown parameter: " + k);
  for (const auto& [k, v] : params.strings)
    if (!known(k, true)) fail(component, "unknown parameter: " + k);
}

Params overlay_params(Params base, const Params& overlay) {
  for (const auto& [k, v] : overlay.numbers) base.numbers[k] = v;
  for (const auto& [k, v] : overlay.strings) base.strings[k] = v;
  return base;
}

}  // namespace tinyfleet
