#pragma once
// Checked access to a parsed YAML tree: each reader either returns a typed
// value or throws a ScenarioError at the node's position with a message that
// names the key path ("labels.fraction: 1.5 is out of range [0, 1]").
// Internal to the scenario loader.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace tinyfleet::scenario_yaml {

// One `key: value` entry (or list item) and the dotted path naming it in messages.
struct Field {
  YAML::Node key;  // for a list item: the item itself
  YAML::Node value;
  std::string path;  // e.g. "labels.fraction", "drift[1].at"
};

// Knows the file name; turns node positions into ScenarioErrors.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }
  [[noreturn]] void fail_at(const YAML::Mark& mark, const std::string& message) const;
  [[noreturn]] void fail_at(const YAML::Node& node, const std::string& message) const;
  // At the value, or at the key when the value is empty (an empty value's
  // position is the next token, which may be lines below).
  [[noreturn]] void fail_at_value(const Field& field, const std::string& message) const;
  [[noreturn]] void fail_at_key(const Field& field, const std::string& message) const;

 private:
  std::string file_;
};

// "'text'", "a map", "a list" or "nothing", for "expected X, got Y".
std::string describe(const YAML::Node& node);

// The entries of one YAML map. Rejects duplicate keys on construction.
class MapReader {
 public:
  // `prefix` starts the paths of the entries ("labels."); `where` ends key
  // messages ("in labels of group 'a'").
  MapReader(const Reader& reader, const YAML::Node& map, std::string prefix, std::string where);
  // Opens `field`'s value, which must be a map; its entries get path "<field.path>.".
  static MapReader open(const Reader& reader, const Field& field, std::string where);

  void set_where(std::string where) { where_ = std::move(where); }
  // Rejects any key not in `valid`, suggesting the nearest valid one.
  void allow_only(const std::vector<std::string>& valid) const;
  std::optional<Field> find(const std::string& key) const;
  Field require(const std::string& key, const std::string& why = "") const;
  const std::vector<Field>& fields() const { return fields_; }

 private:
  const Reader& reader_;
  YAML::Node map_;
  std::string where_;
  std::vector<Field> fields_;
};

// The items of `field`'s value, which must be a list; item i gets path "<path>[i]".
std::vector<Field> list_items(const Reader& reader, const Field& field, const std::string& what);

// Scalar readers. Each rejects maps, lists, empty values and malformed text.
std::string read_string(const Reader& reader, const Field& field);
std::string read_nonempty_string(const Reader& reader, const Field& field);
long long read_int(const Reader& reader, const Field& field, double min, double max);
uint64_t read_uint64(const Reader& reader, const Field& field);
double read_real(const Reader& reader, const Field& field, double min, double max);
bool read_bool(const Reader& reader, const Field& field);
double read_duration(const Reader& reader, const Field& field);
double read_rate(const Reader& reader, const Field& field);
// A name that must be one of `known`; `what` names the kind ("device", "learner").
std::string read_name(const Reader& reader, const Field& field, const std::string& what,
                      const std::vector<std::string>& known);

// One of a parameter's `choices` ("mode: unknown value 'upp' (did you mean 'up'?; ...)").
std::string read_choice(const Reader& reader, const Field& field,
                        const std::vector<std::string>& choices);

// Range checks on a value already read from `field` (messages quote its text).
void require_positive(const Reader& reader, const Field& field, double value);
void require_non_negative(const Reader& reader, const Field& field, double value);

}  // namespace tinyfleet::scenario_yaml
