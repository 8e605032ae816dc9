#include "scenarios/yaml_reader.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "scenarios/loader.hpp"
#include "scenarios/suggest.hpp"
#include "scenarios/units.hpp"

namespace tinyfleet::scenario_yaml {
namespace {

bool has_position(const YAML::Mark& mark) {
  return mark.line >= 0 && mark.column >= 0;
}

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

// The scalar text of `field`, or an error saying a `what` was expected.
std::string scalar_text(const Reader& reader, const Field& field, const std::string& what) {
  if (!field.value.IsScalar())
    reader.fail_at_value(field,
                         field.path + ": expected " + what + ", got " + describe(field.value));
  return field.value.Scalar();
}

[[noreturn]] void fail_out_of_range(const Reader& reader, const Field& field, double min,
                                    double max) {
  reader.fail_at_value(field, field.path + ": " + field.value.Scalar() + " is out of range [" +
                                  format_number(min) + ", " + format_number(max) + "]");
}

std::string key_hint(const std::string& typed, const std::vector<std::string>& valid) {
  if (auto match = closest_match(typed, valid)) return " (did you mean '" + *match + "'?)";
  return " (valid keys: " + join_names(valid) + ")";
}

std::string name_hint(const std::string& typed, std::vector<std::string> known) {
  if (known.empty()) return " (none are registered)";
  std::sort(known.begin(), known.end());
  const std::string list = "known: " + join_names(known);
  if (auto match = closest_match(typed, known))
    return " (did you mean '" + *match + "'?; " + list + ")";
  return " (" + list + ")";
}

}  // namespace

void Reader::fail_at(const YAML::Mark& mark, const std::string& message) const {
  if (!has_position(mark)) throw ScenarioError(file_, 1, 1, message);
  throw ScenarioError(file_, mark.line + 1, mark.column + 1, message);
}

void Reader::fail_at(const YAML::Node& node, const std::string& message) const {
  fail_at(node.Mark(), message);
}

void Reader::fail_at_value(const Field& field, const std::string& message) const {
  const bool empty_value = field.value.IsNull() || !has_position(field.value.Mark());
  fail_at(empty_value ? field.key : field.value, message);
}

void Reader::fail_at_key(const Field& field, const std::string& message) const {
  fail_at(field.key, message);
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return quoted(node.Scalar());
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    default:
      return "nothing";
  }
}

MapReader::MapReader(const Reader& reader, const YAML::Node& map, std::string prefix,
                     std::string where)
    : reader_(reader), map_(map), where_(std::move(where)) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: the iterator yields a temporary
    if (!key.IsScalar()) reader_.fail_at(key, "expected a plain key, got " + describe(key));
    if (auto earlier = find(key.Scalar()))
      reader_.fail_at(key, "duplicate key '" + key.Scalar() + "' (first given at line " +
                               std::to_string(earlier->key.Mark().line + 1) + ")");
    fields_.push_back(Field{key, it->second, prefix + key.Scalar()});
  }
}

MapReader MapReader::open(const Reader& reader, const Field& field, std::string where) {
  if (!field.value.IsMap())
    reader.fail_at_value(field, field.path + ": expected a map, got " + describe(field.value));
  return MapReader(reader, field.value, field.path + ".", std::move(where));
}

void MapReader::allow_only(const std::vector<std::string>& valid) const {
  for (const auto& field : fields_) {
    const std::string& key = field.key.Scalar();
    if (std::find(valid.begin(), valid.end(), key) == valid.end())
      reader_.fail_at_key(field, "unknown key '" + key + "' " + where_ + key_hint(key, valid));
  }
}

std::optional<Field> MapReader::find(const std::string& key) const {
  for (const auto& field : fields_)
    if (field.key.Scalar() == key) return field;
  return std::nullopt;
}

Field MapReader::require(const std::string& key, const std::string& why) const {
  if (auto field = find(key)) return *field;
  reader_.fail_at(map_, "missing required key '" + key + "' " + where_ + why);
}

std::vector<Field> list_items(const Reader& reader, const Field& field, const std::string& what) {
  if (!field.value.IsSequence())
    reader.fail_at_value(
        field, field.path + ": expected a list of " + what + ", got " + describe(field.value));
  std::vector<Field> items;
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    const YAML::Node item = field.value[i];
    items.push_back(Field{item, item, field.path + "[" + std::to_string(i) + "]"});
  }
  return items;
}

std::string read_string(const Reader& reader, const Field& field) {
  return scalar_text(reader, field, "a string");
}

std::string read_nonempty_string(const Reader& reader, const Field& field) {
  std::string text = read_string(reader, field);
  if (text.empty()) reader.fail_at_value(field, field.path + ": must not be empty");
  return text;
}

long long read_int(const Reader& reader, const Field& field, double min, double max) {
  auto value = parse_integer(scalar_text(reader, field, "an integer"));
  if (!value)
    reader.fail_at_value(field, field.path + ": expected an integer, got " + describe(field.value));
  if (*value < min || *value > max) fail_out_of_range(reader, field, min, max);
  return *value;
}

uint64_t read_uint64(const Reader& reader, const Field& field) {
  const std::string text = scalar_text(reader, field, "a non-negative integer");
  auto value = parse_integer(text);
  if (!value || *value < 0)
    reader.fail_at_value(
        field, field.path + ": expected a non-negative integer, got " + describe(field.value));
  return static_cast<uint64_t>(*value);
}

double read_real(const Reader& reader, const Field& field, double min, double max) {
  auto value = parse_number(scalar_text(reader, field, "a number"));
  if (!value)
    reader.fail_at_value(field, field.path + ": expected a number, got " + describe(field.value));
  if (*value < min || *value > max) fail_out_of_range(reader, field, min, max);
  return *value;
}

bool read_bool(const Reader& reader, const Field& field) {
  const std::string text = scalar_text(reader, field, "true or false");
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  reader.fail_at_value(field, field.path + ": expected true or false, got " + quoted(text));
}

double read_duration(const Reader& reader, const Field& field) {
  const std::string text =
      scalar_text(reader, field, "a duration like '90s', '2h' or a number of seconds");
  try {
    return parse_duration(text);
  } catch (const std::invalid_argument& bad) {
    reader.fail_at_value(field, field.path + ": " + bad.what());
  }
}

double read_rate(const Reader& reader, const Field& field) {
  const std::string text = scalar_text(reader, field, "a rate like '1/s', '10/min' or '5Hz'");
  try {
    return parse_rate(text);
  } catch (const std::invalid_argument& bad) {
    reader.fail_at_value(field, field.path + ": " + bad.what());
  }
}

std::string read_name(const Reader& reader, const Field& field, const std::string& what,
                      const std::vector<std::string>& known) {
  const std::string name = scalar_text(reader, field, "a " + what + " name");
  if (std::find(known.begin(), known.end(), name) == known.end())
    reader.fail_at_value(field, "unknown " + what + " '" + name + "'" + name_hint(name, known));
  return name;
}

std::string read_choice(const Reader& reader, const Field& field,
                        const std::vector<std::string>& choices) {
  const std::string value = scalar_text(reader, field, "one of " + join_names(choices));
  if (std::find(choices.begin(), choices.end(), value) == choices.end())
    reader.fail_at_value(
        field, field.path + ": unknown value '" + value + "'" + name_hint(value, choices));
  return value;
}

void require_positive(const Reader& reader, const Field& field, double value) {
  if (!(value > 0))
    reader.fail_at_value(field,
                         field.path + ": must be greater than 0, got " + describe(field.value));
}

void require_non_negative(const Reader& reader, const Field& field, double value) {
  if (value < 0)
    reader.fail_at_value(field,
                         field.path + ": must not be negative, got " + describe(field.value));
}

}  // namespace tinyfleet::scenario_yaml
