#include "sim/sweep_gather.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "analysis/writers.hpp"
#include "sim/sweep_manifest.hpp"
#include "sim/sweep_runner.hpp"

namespace fs = std::filesystem;

namespace tinyfleet {
namespace {

struct Cell {
  enum class Kind { Null, Int, Real, Text };
  Kind kind = Kind::Null;
  long long i = 0;
  double r = 0;
  std::string t;
  static Cell integer(long long v) { return {Kind::Int, v, 0, {}}; }
  static Cell real(double v) { return {Kind::Real, 0, v, {}}; }
  static Cell text(std::string v) { return {Kind::Text, 0, 0, std::move(v)}; }
};

// Columns in order of first appearance; rows hold cells by column position.
struct Table {
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> position;
  std::vector<std::vector<Cell>> rows;
  std::size_t column(const std::string& name) {
    auto [it, added] = position.emplace(name, columns.size());
    if (added) columns.push_back(name);
    return it->second;
  }
  void set(std::vector<Cell>& row, const std::string& name, Cell cell) {
    const std::size_t c = column(name);
    if (row.size() <= c) row.resize(c + 1);
    row[c] = std::move(cell);
  }
};

std::string number_text(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// A parameter value that reads whole as an integer or a number is stored as
// one, so `WHERE "param.x" < 0.5` works; anything else ("5m") stays text.
Cell param_cell(const std::string& text) {
  long long i = 0;
  const char* end = text.data() + text.size();
  auto ri = std::from_chars(text.data(), end, i);
  if (!text.empty() && ri.ec == std::errc() && ri.ptr == end) return Cell::integer(i);
  double d = 0;
  auto rd = std::from_chars(text.data(), end, d);
  if (!text.empty() && rd.ec == std::errc() && rd.ptr == end) return Cell::real(d);
  return Cell::text(text);
}

void flatten(const nlohmann::ordered_json& v, const std::string& prefix, Table& table,
             std::vector<Cell>& row) {
  if (v.is_object()) {
    for (const auto& [k, x] : v.items()) flatten(x, prefix + "." + k, table, row);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i)
      flatten(v[i], prefix + "." + std::to_string(i), table, row);
  } else if (v.is_boolean()) {
    table.set(row, prefix, Cell::integer(v.get<bool>() ? 1 : 0));
  } else if (v.is_number_integer()) {
    table.set(row, prefix, Cell::integer(v.get<long long>()));
  } else if (v.is_number()) {
    table.set(row, prefix, Cell::real(v.get<double>()));
  }
}

// summary.json minus the scenario (its swept values are the param columns)
// and the per-device list (one row per run, not per device).
void flatten_summary(const nlohmann::ordered_json& summary, Table& table, std::vector<Cell>& row) {
  for (const auto& [key, value] : summary.items()) {
    if (key == "scenario" || key == "devices") continue;
    if (key == "taxonomy" && value.is_object()) {  // text tags: one column each
      for (const auto& [tag, x] : value.items())
        if (x.is_string()) table.set(row, "taxonomy." + tag, Cell::text(x.get<std::string>()));
      continue;
    }
    if (key == "groups" && value.is_array()) {
      for (const auto& g : value) {
        const std::string name = g.value("group", std::string("?"));
        for (const auto& [field, x] : g.items())
          if (field != "group") flatten(x, "group." + name + "." + field, table, row);
      }
      continue;
    }
    flatten(value, key, table, row);
  }
}

std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

double csv_number(const std::string& text, const fs::path& file) {
  double d = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), d);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size())
    throw std::runtime_error(file.string() + ": not a number: '" + text + "'");
  return d;
}

// Rows of a run's CSV file (header skipped), each with `point` in front.
void read_series(const fs::path& file, long long point, const std::vector<bool>& numeric,
                 bool (*keep)(const std::vector<std::string>&), Table& table) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto fields = csv_fields(line);
    if (fields.size() != table.columns.size() - 1)
      throw std::runtime_error(file.string() + ": expected " +
                               std::to_string(table.columns.size() - 1) + " fields in '" + line +
                               "'");
    if (keep && !keep(fields)) continue;
    std::vector<Cell> row{Cell::integer(point)};
    for (std::size_t i = 0; i < fields.size(); ++i)
      row.push_back(numeric[i] ? Cell::real(csv_number(fields[i], file)) : Cell::text(fields[i]));
    table.rows.push_back(std::move(row));
  }
}

bool aggregate_row(const std::vector<std::string>& f) {
  return f[1] == "fleet" || f[1].rfind("group:", 0) == 0;
}

std::string sql_name(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string table_csv(const Table& table) {
  std::string out;
  for (std::size_t c = 0; c < table.columns.size(); ++c)
    out += (c ? "," : "") + csv_text(table.columns[c]);
  out += "\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      if (c) out += ",";
      if (c >= row.size()) continue;
      const Cell& cell = row[c];
      if (cell.kind == Cell::Kind::Int) out += std::to_string(cell.i);
      if (cell.kind == Cell::Kind::Real) out += number_text(cell.r);
      if (cell.kind == Cell::Kind::Text) out += csv_text(cell.t);
    }
    out += "\n";
  }
  return out;
}

class Database {
 public:
  explicit Database(const std::string& path) : path_(path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
      throw std::runtime_error(path + ": " + sqlite3_errmsg(db_));
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error(path_ + ": " + message + " in: " + sql.substr(0, 200));
    }
  }

  // Declared types: point INTEGER, the rest as given (empty = keep what is bound).
  void write(const std::string& name, const Table& table,
             const std::vector<std::string>& types = {}) {
    std::string create = "CREATE TABLE " + sql_name(name) + " (";
    std::string insert = "INSERT INTO " + sql_name(name) + " VALUES (";
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const std::string type = c < types.size() ? types[c] : "";
      create += (c ? ", " : "") + sql_name(table.columns[c]) + (type.empty() ? "" : " " + type);
      insert += c ? ", ?" : "?";
    }
    exec(create + ")");
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, (insert + ")").c_str(), -1, &raw, nullptr) != SQLITE_OK)
      throw std::runtime_error(path_ + ": " + sqlite3_errmsg(db_));
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    for (const auto& row : table.rows) {
      sqlite3_reset(raw);
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const int at = static_cast<int>(c) + 1;
        const Cell cell = c < row.size() ? row[c] : Cell{};
        switch (cell.kind) {
          case Cell::Kind::Null:
            sqlite3_bind_null(raw, at);
            break;
          case Cell::Kind::Int:
            sqlite3_bind_int64(raw, at, cell.i);
            break;
          case Cell::Kind::Real:
            sqlite3_bind_double(raw, at, cell.r);
            break;
          case Cell::Kind::Text:
            sqlite3_bind_text(raw, at, cell.t.c_str(), static_cast<int>(cell.t.size()),
                              SQLITE_TRANSIENT);
            break;
        }
      }
      if (sqlite3_step(raw) != SQLITE_DONE)
        throw std::runtime_error(path_ + ": " + sqlite3_errmsg(db_));
    }
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

void write_sqlite(const fs::path& target, const Table& runs, const Table& metrics,
                  const Table& events) {
  // The pid keeps two gathers of one directory (say a rerun over a SLURM one) apart.
  const fs::path tmp = target.parent_path() /
                       ("." + target.filename().string() + ".tmp." + std::to_string(getpid()));
  fs::remove(tmp);
  {
    Database db(tmp.string());
    // A fresh temporary file renamed at the end: no journal needed.
    db.exec("PRAGMA journal_mode=OFF");
    db.exec("PRAGMA synchronous=OFF");
    db.exec("BEGIN");
    db.write("runs", runs, {"INTEGER PRIMARY KEY", "TEXT"});
    db.write("metrics", metrics, {"INTEGER", "REAL", "TEXT", "TEXT", "REAL"});
    db.write("events", events, {"INTEGER", "REAL", "TEXT", "TEXT", "TEXT"});
    db.exec("CREATE INDEX metrics_point ON metrics(point, metric)");
    db.exec("COMMIT");
  }
  fs::rename(tmp, target);
}

}  // namespace

GatherReport gather_sweep(const std::string& dir, const GatherOptions& options) {
  const SweepManifest manifest = read_manifest(dir);
  GatherReport report;
  Table runs, metrics, events;
  runs.column("point");
  runs.column("status");
  for (const auto& p : manifest.parameters) runs.column("param." + p);
  for (const char* c : {"point", "time_s", "device", "metric", "value"}) metrics.column(c);
  for (const char* c : {"point", "time_s", "device", "event", "detail"}) events.column(c);

  for (const auto& point : manifest.points) {
    ++report.points;
    const fs::path point_dir = fs::path(dir) / point.dir;
    const auto index = static_cast<long long>(point.index);
    std::vector<Cell> row;
    runs.set(row, "point", Cell::integer(index));
    for (const auto& [name, text] : point.values) runs.set(row, "param." + name, param_cell(text));
    if (point_complete(point_dir.string())) {
      ++report.ok;
      runs.set(row, "status", Cell::text("ok"));
      const fs::path summary_file = point_dir / "run" / "summary.json";
      std::ifstream in(summary_file, std::ios::binary);
      nlohmann::ordered_json summary;
      try {
        summary = nlohmann::ordered_json::parse(in);
      } catch (const std::exception& e) {
        throw std::runtime_error(summary_file.string() + ": " + e.what());
      }
      flatten_summary(summary, runs, row);
      read_series(point_dir / "run" / "metrics.csv", index, {true, false, false, true},
                  options.per_device_metrics ? nullptr : aggregate_row, metrics);
      read_series(point_dir / "run" / "events.csv", index, {true, false, false, false}, nullptr,
                  events);
    } else if (fs::exists(point_dir / "error.log")) {
      report.failed.push_back(point.index);
      runs.set(row, "status", Cell::text("failed"));
    } else {
      report.missing.push_back(point.index);
      runs.set(row, "status", Cell::text("missing"));
    }
    runs.rows.push_back(std::move(row));
  }
  write_sqlite(fs::path(dir) / "results.sqlite", runs, metrics, events);
  write_file_atomically((fs::path(dir) / "results.csv").string(), table_csv(runs));
  return report;
}

}  // namespace tinyfleet
