#include "sim/sweep_path.hpp"

#include <algorithm>
#include <charconv>

#include "scenarios/suggest.hpp"

namespace tinyfleet {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t to_index(const std::string& digits, const std::string& path) {
  std::size_t n = 0;
  const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (res.ec != std::errc() || res.ptr != digits.data() + digits.size())
    throw SweepPathError("bad index '" + digits + "' in path '" + path + "'");
  return n;
}

// Splits on dots outside brackets (a selector's value may hold dots).
std::vector<std::string> split_pieces(const std::string& text) {
  std::vector<std::string> pieces(1);
  int depth = 0;
  for (char c : text) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (depth < 0) throw SweepPathError("unbalanced ']' in path '" + text + "'");
    if (c == '.' && depth == 0) {
      pieces.emplace_back();
    } else {
      pieces.back() += c;
    }
  }
  if (depth != 0) throw SweepPathError("unclosed '[' in path '" + text + "'");
  return pieces;
}

std::string describe_node(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  if (node.IsScalar()) return "the value '" + node.Scalar() + "'";
  return "empty";
}

std::string join_path(const std::string& prefix, const std::string& piece) {
  return prefix.empty() ? piece : prefix + "." + piece;
}

void collect_paths(const YAML::Node& node, const std::string& path, int line, int column,
                   std::vector<NodeAt>& out) {
  if (node.Mark().line == line && node.Mark().column == column) out.push_back({path, false});
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string child = join_path(path, kv.first.as<std::string>());
      if (kv.first.Mark().line == line && kv.first.Mark().column == column)
        out.push_back({child, true});
      collect_paths(kv.second, child, line, column, out);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      collect_paths(node[i], join_path(path, std::to_string(i)), line, column, out);
  }
}

// A parsed block map remembers its style, which beats the emitter's settings.
void set_flow_style(YAML::Node node) {
  if (node.IsMap() || node.IsSequence()) node.SetStyle(YAML::EmitterStyle::Flow);
  if (node.IsMap())
    for (auto kv : node) set_flow_style(kv.second);
  if (node.IsSequence())
    for (auto item : node) set_flow_style(item);
}

}  // namespace

std::vector<PathStep> parse_sweep_path(const std::string& text) {
  if (text.empty()) throw SweepPathError("empty path");
  std::vector<PathStep> steps;
  for (const std::string& piece : split_pieces(text)) {
    const auto bracket = piece.find('[');
    const std::string head = piece.substr(0, bracket);
    if (head.empty() && bracket == 0 && steps.empty())
      throw SweepPathError("path '" + text + "' starts with a selector; name the list first");
    if (head.empty() && bracket != 0) throw SweepPathError("empty key in path '" + text + "'");
    if (!head.empty()) {
      PathStep step;
      step.key = head;
      steps.push_back(step);
    }
    std::size_t at = bracket;
    while (at != std::string::npos && at < piece.size()) {
      if (piece[at] != '[')
        throw SweepPathError("unexpected '" + piece.substr(at) + "' in path '" + text + "'");
      const auto close = piece.find(']', at);
      const std::string inside = piece.substr(at + 1, close - at - 1);
      PathStep step;
      const auto eq = inside.find('=');
      if (eq != std::string::npos) {
        step.kind = PathStep::Kind::Select;
        step.field = inside.substr(0, eq);
        step.value = inside.substr(eq + 1);
        if (step.field.empty() || step.value.empty())
          throw SweepPathError("selector '[" + inside + "]' in path '" + text +
                               "' needs the form [key=value]");
      } else if (all_digits(inside)) {
        step.kind = PathStep::Kind::Index;
        step.index = to_index(inside, text);
      } else {
        throw SweepPathError("selector '[" + inside + "]' in path '" + text +
                             "' is neither an index nor key=value");
      }
      steps.push_back(step);
      at = close + 1;
    }
  }
  return steps;
}

std::string set_at_path(YAML::Node root, const std::vector<PathStep>& path,
                        const YAML::Node& value) {
  YAML::Node cur;
  cur.reset(root);
  std::string canonical;
  for (std::size_t s = 0; s < path.size(); ++s) {
    const PathStep& step = path[s];
    const bool last = s + 1 == path.size();
    const std::string where = canonical.empty() ? "the scenario" : "'" + canonical + "'";
    if (step.kind == PathStep::Kind::Key && !(cur.IsSequence() && all_digits(step.key))) {
      if (cur.IsNull()) cur = YAML::Node(YAML::NodeType::Map);  // an empty value becomes a map
      if (!cur.IsMap())
        throw SweepPathError(where + " is " + describe_node(cur) + ", it has no key '" + step.key +
                             "'");
      canonical = join_path(canonical, step.key);
      const YAML::Node& view = cur;
      if (last) {
        cur[step.key] = YAML::Clone(value);
        return canonical;
      }
      if (!view[step.key] || view[step.key].IsNull())
        cur[step.key] = YAML::Node(YAML::NodeType::Map);
      YAML::Node child = cur[step.key];
      cur.reset(child);
      continue;
    }
    if (!cur.IsSequence())
      throw SweepPathError(where + " is " + describe_node(cur) + ", not a list");
    std::size_t index = 0;
    if (step.kind == PathStep::Kind::Select) {
      std::vector<std::string> known;
      bool found = false;
      for (std::size_t i = 0; i < cur.size() && !found; ++i) {
        const YAML::Node item = cur[i];
        if (!item.IsMap() || !item[step.field] || !item[step.field].IsScalar()) continue;
        known.push_back(item[step.field].Scalar());
        if (known.back() == step.value) {
          index = i;
          found = true;
        }
      }
      if (!found) {
        std::string hint;
        if (auto match = closest_match(step.value, known))
          hint = " (did you mean '" + *match + "'?)";
        else if (!known.empty())
          hint = " (" + step.field + "s: " + join_names(known) + ")";
        throw SweepPathError("no item of " + where + " has " + step.field + " '" + step.value +
                             "'" + hint);
      }
    } else {
      index = step.kind == PathStep::Kind::Index ? step.index : to_index(step.key, step.key);
      if (index >= cur.size())
        throw SweepPathError("index " + std::to_string(index) + " is out of range: " + where +
                             " has " + std::to_string(cur.size()) + " item" +
                             (cur.size() == 1 ? "" : "s"));
    }
    canonical = join_path(canonical, std::to_string(index));
    if (last) {
      cur[index] = YAML::Clone(value);
      return canonical;
    }
    YAML::Node child = cur[index];
    cur.reset(child);
  }
  return canonical;
}

YAML::Node find_canonical(const YAML::Node& root, const std::string& canonical, bool key) {
  YAML::Node cur, key_node(YAML::NodeType::Undefined);
  cur.reset(root);
  if (canonical.empty()) return key ? key_node : cur;
  for (const std::string& piece : split_pieces(canonical)) {
    YAML::Node next(YAML::NodeType::Undefined);
    key_node.reset(YAML::Node(YAML::NodeType::Undefined));
    if (cur.IsMap()) {
      for (const auto& kv : cur)
        if (kv.first.IsScalar() && kv.first.Scalar() == piece) {
          key_node.reset(kv.first);
          next.reset(kv.second);
        }
    } else if (cur.IsSequence() && all_digits(piece)) {
      const std::size_t i = to_index(piece, canonical);
      if (i < cur.size()) next.reset(cur[i]);
    }
    if (!next.IsDefined()) return next;
    cur.reset(next);
  }
  return key ? key_node : cur;
}

std::vector<NodeAt> paths_at(const YAML::Node& root, int line, int column) {
  std::vector<NodeAt> out;
  collect_paths(root, "", line, column, out);
  return out;
}

std::string value_text(const YAML::Node& value) {
  if (value.IsScalar()) return value.Scalar();
  if (value.IsNull()) return "";
  YAML::Node flow = YAML::Clone(value);
  set_flow_style(flow);
  YAML::Emitter out;
  out << flow;
  return out.c_str();
}

}  // namespace tinyfleet
