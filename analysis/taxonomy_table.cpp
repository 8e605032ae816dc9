#include "analysis/taxonomy_table.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

namespace tinyfleet {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Db {
  sqlite3* db = nullptr;
  std::string file;
  explicit Db(const std::string& path) : file(path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw std::runtime_error(path + ": cannot open: " + msg);
    }
  }
  ~Db() { sqlite3_close(db); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
};

using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

Stmt prepare(const Db& db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(db.file + ": " + sqlite3_errmsg(db.db) + " (in: " + sql + ")");
  return Stmt(s, sqlite3_finalize);
}

std::string text_of(sqlite3_stmt* s, int c) {
  const auto* t = sqlite3_column_text(s, c);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// A cell of the runs table as a number, if it is one.
std::optional<double> number_of(sqlite3_stmt* s, int c) {
  const int type = sqlite3_column_type(s, c);
  if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) return sqlite3_column_double(s, c);
  return std::nullopt;
}

// The group names of a run: "group.<g>.accuracy" columns (every group has one).
std::vector<std::string> groups_of(const std::vector<std::string>& columns) {
  std::vector<std::string> out;
  const std::string pre = "group.", post = ".accuracy";
  for (const auto& c : columns)
    if (c.size() > pre.size() + post.size() && c.rfind(pre, 0) == 0 &&
        c.compare(c.size() - post.size(), post.size(), post) == 0)
      out.push_back(c.substr(pre.size(), c.size() - pre.size() - post.size()));
  // Nested blocks of a group carry an accuracy too (group.G.calibration.accuracy,
  // group.G.calibration.phases.transient.accuracy): keep only G itself.
  const auto nested = [&](const std::string& g) {
    return std::any_of(out.begin(), out.end(), [&](const std::string& p) {
      return g.size() > p.size() && g.compare(0, p.size() + 1, p + ".") == 0;
    });
  };
  std::vector<std::string> groups;
  for (const auto& g : out)
    if (!nested(g)) groups.push_back(g);
  return groups;
}

std::optional<double> series_value(const Db& db, long long point, const std::string& group,
                                   const TaxonomyMetric& m) {
  auto s = prepare(db,
                   "SELECT value FROM metrics WHERE point = ?1 AND device = ?2 AND metric = ?3 "
                   "AND time_s >= ?4 AND time_s <= ?5 ORDER BY time_s");
  sqlite3_bind_int64(s.get(), 1, point);
  const std::string who = "group:" + group;
  sqlite3_bind_text(s.get(), 2, who.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.get(), 3, m.series.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(s.get(), 4, m.from_s);
  sqlite3_bind_double(s.get(), 5, m.to_s);
  std::vector<double> v;
  while (sqlite3_step(s.get()) == SQLITE_ROW) v.push_back(sqlite3_column_double(s.get(), 0));
  if (v.empty()) return std::nullopt;
  if (m.reduce == "min") return *std::min_element(v.begin(), v.end());
  if (m.reduce == "max") return *std::max_element(v.begin(), v.end());
  if (m.reduce == "last") return v.back();
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

void add_unique(std::vector<std::string>& list, const std::string& x) {
  if (std::find(list.begin(), list.end(), x) == list.end()) list.push_back(x);
}

}  // namespace

double TaxonomyCell::mean() const {
  if (values.empty()) return kNaN;
  double s = 0;
  for (double v : values) s += v;
  return s / static_cast<double>(values.size());
}

double TaxonomyCell::stddev() const {
  if (values.empty()) return kNaN;
  if (values.size() == 1) return 0;
  const double m = mean();
  double ss = 0;
  for (double v : values) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(values.size() - 1));
}

const TaxonomyCell* TaxonomyTable::find(const std::string& section, const std::string& row,
                                        std::size_t metric) const {
  const auto it = cells.find({section, row});
  if (it == cells.end() || metric >= it->second.size()) return nullptr;
  return &it->second[metric];
}

std::string TaxonomyTable::tag(const std::string& name) const {
  for (const auto& [k, v] : tags)
    if (k == name) return v;
  return "";
}

std::string taxonomy_value_label(const std::string& value_text) {
  YAML::Node n;
  try {
    n = YAML::Load(value_text);
  } catch (const YAML::Exception&) {
    return value_text;
  }
  if (!n.IsMap()) return value_text;
  std::string head, rest;
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>();
    const std::string v = kv.second.IsScalar() ? kv.second.Scalar() : "…";
    if (k == "kind")
      head = v;
    else
      rest += (rest.empty() ? "" : ", ") + k + "=" + v;
  }
  if (head.empty()) return value_text;
  return rest.empty() ? head : head + "(" + rest + ")";
}

TaxonomyTable build_taxonomy_table(const TaxonomyExperiment& x, const std::string& path) {
  const Db db(path);
  TaxonomyTable t;
  t.id = x.id;
  t.title = x.title;
  auto s = prepare(db, "SELECT * FROM runs ORDER BY point");
  const int n = sqlite3_column_count(s.get());
  std::vector<std::string> columns;
  for (int c = 0; c < n; ++c) columns.emplace_back(sqlite3_column_name(s.get(), c));
  auto column = [&](const std::string& name) -> int {
    const auto it = std::find(columns.begin(), columns.end(), name);
    return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
  };
  const int c_point = column("point"), c_status = column("status"), c_seed = column("param.seed");
  if (c_point < 0 || c_status < 0)
    throw std::runtime_error(path + ": runs table without point/status");
  auto param_column = [&](const std::string& key, const char* what) {
    const int c = column("param." + key);
    if (c < 0)
      throw std::runtime_error(x.file + ": experiment." + what + ": '" + key +
                               "' is not a swept key of this sweep (no column param." + key +
                               " in " + path + ")");
    return c;
  };
  const bool rows_by_group = x.rows == "group";
  const int c_rows = rows_by_group ? -1 : param_column(x.rows, "rows");
  std::vector<std::pair<std::string, int>> c_sections;  // short name, column
  for (const auto& key : x.section_keys) {
    const auto dot = key.find_last_of('.');
    c_sections.emplace_back(dot == std::string::npos ? key : key.substr(dot + 1),
                            param_column(key, "sections"));
  }
  const std::vector<std::string> groups = groups_of(columns);

  // A fleet metric's `groups` must name groups of the runs.
  for (const auto& metric : x.metrics)
    for (const auto& g : metric.groups)
      if (std::find(groups.begin(), groups.end(), g) == groups.end())
        throw std::runtime_error(x.file + ": experiment.metrics '" + metric.name +
                                 "': groups: no group '" + g + "' in " + path);

  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    ++t.points;
    if (text_of(s.get(), c_status) != "ok") continue;
    ++t.points_ok;
    const long long point = sqlite3_column_int64(s.get(), c_point);
    if (t.tags.empty())
      for (int c = 0; c < n; ++c)
        if (columns[static_cast<std::size_t>(c)].rfind("taxonomy.", 0) == 0 &&
            sqlite3_column_type(s.get(), c) == SQLITE_TEXT)
          t.tags.emplace_back(columns[static_cast<std::size_t>(c)].substr(9), text_of(s.get(), c));
    std::string param_section;
    std::vector<std::string> parts;
    for (const auto& [name, c] : c_sections) {
      parts.push_back(name + "=" + taxonomy_value_label(text_of(s.get(), c)));
      param_section += (param_section.empty() ? "" : ", ") + parts.back();
    }
    t.point_labels[point] = {param_section,
                             rows_by_group ? "" : taxonomy_value_label(text_of(s.get(), c_rows))};
    for (const auto& g : groups) {
      // A group absent from this point (NULL accuracy) feeds no cell.
      if (!number_of(s.get(), column("group." + g + ".accuracy"))) continue;
      const std::string row = rows_by_group ? g : t.point_labels[point].second;
      std::string section = x.sections == "group" ? g : "";
      if (!param_section.empty()) section += (section.empty() ? "" : ", ") + param_section;
      add_unique(t.sections, section);
      add_unique(t.rows, row);
      t.section_parts[section] = parts;
      auto& cells = t.cells[{section, row}];
      cells.resize(x.metrics.size());
      for (std::size_t m = 0; m < x.metrics.size(); ++m) {
        const TaxonomyMetric& metric = x.metrics[m];
        if (!metric.groups.empty() &&
            std::find(metric.groups.begin(), metric.groups.end(), g) == metric.groups.end())
          continue;  // a run-wide number that does not concern this group: no cell
        std::optional<double> v;
        if (!metric.series.empty()) {
          v = series_value(db, point, g, metric);
        } else {
          const int c = column(metric.fleet_field.empty() ? "group." + g + "." + metric.field
                                                          : metric.fleet_field);
          if (c >= 0) v = number_of(s.get(), c);
        }
        ++cells[m].points;
        if (v && std::isfinite(*v)) {
          cells[m].values.push_back(*v * metric.scale);
          if (c_seed >= 0 && sqlite3_column_type(s.get(), c_seed) == SQLITE_INTEGER)
            cells[m].seeds.push_back(sqlite3_column_int64(s.get(), c_seed));
        }
      }
    }
  }
  return t;
}

}  // namespace tinyfleet
