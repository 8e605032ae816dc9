#include "devices/profile.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <stdexcept>

#include "scenarios/embedded.hpp"

namespace tinyfleet {
namespace {

constexpr std::string_view kBoardDir = "devices/boards/";

enum class Range { Positive, NonNegative };

std::string join(std::initializer_list<std::string_view> words) {
  std::string s;
  for (auto w : words) s += (s.empty() ? "" : ", ") + std::string(w);
  return s;
}

// Reads one board file. Every error names the file and the 1-based line:col of the
// offending node, so a catalog typo is found without a debugger.
class BoardReader {
 public:
  BoardReader(const std::string& origin, Profile& out) : origin_(origin), p_(out) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& msg) const {
    fail_at(at.Mark(), msg);
  }
  [[noreturn]] void fail_at(const YAML::Mark& m, const std::string& msg) const {
    // yaml-cpp marks an empty document with -1; report it as 1:1.
    throw std::runtime_error(origin_ + ":" + std::to_string(std::max(m.line, 0) + 1) + ":" +
                             std::to_string(std::max(m.column, 0) + 1) + ": " + msg);
  }

  // `map` must be a map holding only `allowed` keys; `what` names it in errors.
  void expect_map(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                  const std::string& what) const {
    if (!map.IsMap()) fail(map, what + " must be a map");
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(kv.first,
             "unknown key '" + key + "' in " + what + " (expected one of: " + join(allowed) + ")");
    }
  }

  YAML::Node field(const YAML::Node& map, const std::string& key, const std::string& what) const {
    const YAML::Node n = map[key];
    if (!n) fail(map, "missing '" + key + "' in " + what);
    return n;
  }

  std::string text(const YAML::Node& map, const std::string& key) const {
    const YAML::Node n = field(map, key, "board");
    if (!n.IsScalar() || n.Scalar().empty()) fail(n, "'" + key + "' must be a non-empty string");
    return n.Scalar();
  }

  // A figure written as {value: NUMBER, source: "..."}; the source is kept in the profile.
  double sourced(const YAML::Node& map, const std::string& key, const std::string& what,
                 Range range) const {
    const std::string path = what == "board" ? key : what + "." + key;
    const YAML::Node n = field(map, key, what);
    if (!n.IsMap()) fail(n, path + " must be {value: NUMBER, source: \"...\"}");
    expect_map(n, {"value", "source"}, path);
    const YAML::Node value = field(n, "value", path);
    const YAML::Node source = field(n, "source", path);
    if (!source.IsScalar() || source.Scalar().empty())
      fail(source, path + ".source must be a non-empty string");
    const double v = number(value, path);
    if (range == Range::Positive && !(v > 0)) fail(value, path + " must be > 0");
    if (range == Range::NonNegative && !(v >= 0)) fail(value, path + " must be >= 0");
    p_.sources.emplace_back(path, source.Scalar());
    return v;
  }

  uint64_t sourced_bytes(const YAML::Node& map, const std::string& key, Range range) const {
    const double v = sourced(map, key, "board", range);
    if (v != std::floor(v) || v > 9007199254740992.0)  // 2^53: exact in a double
      fail(map[key]["value"], key + " must be a whole number of bytes");
    return static_cast<uint64_t>(v);
  }

 private:
  double number(const YAML::Node& n, const std::string& path) const {
    double v = 0;
    if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || !std::isfinite(v))
      fail(n, path + ".value must be a finite number");
    return v;
  }

  const std::string& origin_;
  Profile& p_;
};

bool is_catalog_name(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

Profile parse_board(const std::string& yaml_text, const std::string& origin) {
  Profile p;
  BoardReader r(origin, p);
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    r.fail_at(e.mark, e.msg);
  }
  if (!root.IsMap()) r.fail_at(root ? root.Mark() : YAML::Mark(), "a board file must be a map");
  r.expect_map(root,
               {"name", "board", "core", "notes", "clock_hz", "cycles", "power_w", "ram_bytes",
                "flash_bytes", "ram_reserved_bytes", "battery_mah", "battery_v"},
               "board");

  p.name = r.text(root, "name");
  if (!is_catalog_name(p.name))
    r.fail(root["name"], "name '" + p.name + "' must use only a-z, 0-9 and _");
  p.board = r.text(root, "board");
  p.core = r.text(root, "core");
  if (root["notes"] && !root["notes"].IsScalar()) r.fail(root["notes"], "'notes' must be a string");

  p.clock_hz = r.sourced(root, "clock_hz", "board", Range::Positive);

  const YAML::Node cycles = r.field(root, "cycles", "board");
  r.expect_map(cycles,
               {kOpNames[0], kOpNames[1], kOpNames[2], kOpNames[3], kOpNames[4], kOpNames[5],
                kOpNames[6], kOpNames[7], kOpNames[8]},
               "cycles");
  static_assert(kOpClasses == 9, "list every op class in the allowed keys above");
  for (std::size_t i = 0; i < kOpClasses; ++i)
    p.cycles_per_op[i] = r.sourced(cycles, std::string(kOpNames[i]), "cycles", Range::Positive);

  // A board without a radio may say 0 W for it; the CPU states must cost something.
  const YAML::Node power = r.field(root, "power_w", "board");
  r.expect_map(power, {"active", "idle", "sleep", "radio_tx", "radio_rx"}, "power_w");
  p.power.active = r.sourced(power, "active", "power_w", Range::Positive);
  p.power.idle = r.sourced(power, "idle", "power_w", Range::Positive);
  p.power.sleep = r.sourced(power, "sleep", "power_w", Range::Positive);
  p.power.radio_tx = r.sourced(power, "radio_tx", "power_w", Range::NonNegative);
  p.power.radio_rx = r.sourced(power, "radio_rx", "power_w", Range::NonNegative);

  p.ram_bytes = r.sourced_bytes(root, "ram_bytes", Range::Positive);
  p.flash_bytes = r.sourced_bytes(root, "flash_bytes", Range::Positive);
  p.ram_reserved_bytes = r.sourced_bytes(root, "ram_reserved_bytes", Range::NonNegative);
  if (p.ram_reserved_bytes >= p.ram_bytes)
    r.fail(root["ram_reserved_bytes"]["value"],
           "ram_reserved_bytes must be below ram_bytes (" + std::to_string(p.ram_bytes) + ")");

  p.battery_mah = r.sourced(root, "battery_mah", "board", Range::Positive);
  p.battery_v = r.sourced(root, "battery_v", "board", Range::Positive);
  return p;
}

const std::vector<Profile>& board_catalog() {
  static const std::vector<Profile> catalog = [] {
    std::vector<Profile> boards;
    for (const auto& [path, text] : embedded_files()) {
      if (!path.starts_with(kBoardDir)) continue;
      Profile p = parse_board(text, path);
      // The file name is the catalog key users type, so the two must agree.
      std::string stem = path.substr(kBoardDir.size());
      stem = stem.substr(0, stem.rfind('.'));
      if (p.name != stem)
        throw std::runtime_error(path + ": name '" + p.name + "' must match the file name '" +
                                 stem + "'");
      boards.push_back(std::move(p));
    }
    std::sort(boards.begin(), boards.end(),
              [](const Profile& a, const Profile& b) { return a.name < b.name; });
    return boards;
  }();
  return catalog;
}

const Profile* find_board(std::string_view name) {
  for (const auto& p : board_catalog())
    if (p.name == name) return &p;
  return nullptr;
}

std::string describe_board(const Profile& p) {
  const char* fmt =
      "%-12s %-38s %-11s %4.0f MHz  RAM %5llu KiB  flash %6llu KiB  active %7.2f mW  "
      "sleep %8.2f µW  battery %.0f mAh @ %.1f V";
  auto line = [&](char* buf, std::size_t size) {
    return std::snprintf(buf, size, fmt, p.name.c_str(), p.board.c_str(), p.core.c_str(),
                         p.clock_hz / 1e6, static_cast<unsigned long long>(p.ram_bytes / 1024),
                         static_cast<unsigned long long>(p.flash_bytes / 1024),
                         p.power.active * 1e3, p.power.sleep * 1e6, p.battery_mah, p.battery_v);
  };
  std::string s(static_cast<std::size_t>(line(nullptr, 0)), '\0');
  line(s.data(), s.size() + 1);
  return s;
}

}  // namespace tinyfleet
