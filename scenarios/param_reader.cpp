#include "scenarios/param_reader.hpp"

namespace tinyfleet::scenario_yaml {
namespace {

void read_param(const Reader& reader, const Field& field, const ParamSpec& spec, Params& out) {
  switch (spec.type) {
    case ParamSpec::Type::Int:
      out.numbers[spec.name] = static_cast<double>(read_int(reader, field, spec.min, spec.max));
      break;
    case ParamSpec::Type::Real:
      out.numbers[spec.name] = read_real(reader, field, spec.min, spec.max);
      break;
    case ParamSpec::Type::Bool:
      out.numbers[spec.name] = read_bool(reader, field) ? 1.0 : 0.0;
      break;
    case ParamSpec::Type::Choice:
      out.strings[spec.name] = read_choice(reader, field, spec.choices);
      break;
    case ParamSpec::Type::Text:
      out.strings[spec.name] = read_string(reader, field);
      break;
  }
}

}  // namespace

Params read_params(const Reader& reader, const MapReader& map, const std::vector<ParamSpec>& specs,
                   ParamFill fill) {
  Params out = fill == ParamFill::WithDefaults ? default_params(specs) : Params{};
  for (const auto& spec : specs)
    if (auto field = map.find(spec.name)) read_param(reader, *field, spec, out);
  return out;
}

std::vector<std::string> param_keys(const std::vector<ParamSpec>& specs,
                                    std::vector<std::string> reserved) {
  for (const auto& spec : specs) reserved.push_back(spec.name);
  return reserved;
}

}  // namespace tinyfleet::scenario_yaml
