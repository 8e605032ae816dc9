#include "scenarios/params.hpp"

namespace tinyfleet {

Params default_params(const std::vector<ParamSpec>& specs) {
  Params p;
  for (const auto& s : specs) {
    if (s.type == ParamSpec::Type::Choice)
      p.strings[s.name] = s.choices.empty() ? std::string() : s.choices.front();
    else if (s.type == ParamSpec::Type::Text)
      p.strings[s.name] = s.text_default;
    else
      p.numbers[s.name] = s.default_number;
  }
  return p;
}

}  // namespace tinyfleet
