// sweep gather: parameters and flattened summaries in one row per point,
// group/fleet time series, stable column names, byte-identical outputs.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "analysis/writers.hpp"
#include "sim/sweep_gather.hpp"
#include "sim/sweep_manifest.hpp"

namespace fs = std::filesystem;
using namespace tinyfleet;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string summary(double accuracy, int detected) {
  return R"({"tinyfleet_version": "x", "scenario": {"seed": 4, "duration_s": 60.0},
  "groups": [{"group": "a", "learner": "knn", "devices": 2, "accuracy": )" +
         std::to_string(accuracy) + R"(, "drifts_detected": )" + std::to_string(detected) +
         R"(, "per_class": [0.5, 0.25]},
             {"group": "b,c", "devices": 1, "accuracy": 0.5}],
  "fleet": {"devices": 3, "energy_j": 1.5, "network": {"bytes": 100.0, "ok": true}},
  "devices": [{"device": "a/0", "accuracy": 0.1}]})";
}

const char* kMetrics =
    "time_s,device,metric,value\n"
    "60,a/0,accuracy,0.1\n"
    "60,group:a,accuracy,0.75\n"
    "60,\"group:b,c\",accuracy,0.5\n"
    "60,fleet,accuracy,0.625\n";

// Three points: two finished, one failed; parameter values of both kinds.
fs::path fake_sweep() {
  const fs::path dir =
      fs::temp_directory_path() / ("tinyfleet-sweep-gather-" + std::to_string(getpid()));
  fs::remove_all(dir);
  SweepManifest m;
  m.sweep_file = "s.yaml";
  m.parameters = {"fleet.0.labels.fraction", "fleet.0.drift.0.width"};
  for (std::size_t i = 0; i < 3; ++i) {
    m.points.push_back(
        {i,
         point_dir_name(i, 3),
         {{"fleet.0.labels.fraction", i ? "0.5" : "1"}, {"fleet.0.drift.0.width", "5m"}}});
    fs::create_directories(dir / m.points[i].dir);
  }
  for (std::size_t i : {0, 2}) {
    const fs::path run = dir / m.points[i].dir / "run";
    fs::create_directories(run);
    write_file_atomically((run / "summary.json").string(), summary(0.75 + 0.1 * i, 1));
    write_file_atomically((run / "metrics.csv").string(), kMetrics);
    write_file_atomically((run / "events.csv").string(),
                          "time_s,device,event,detail\n30,a/0,drift,\"abrupt, all\"\n");
  }
  write_file_atomically((dir / m.points[1].dir / "error.log").string(), "exit code 1\n");
  write_file_atomically((dir / "manifest.json").string(), manifest_json(m));
  return dir;
}

std::vector<std::string> rows(const fs::path& db_file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const auto* text = sqlite3_column_text(stmt, c);
      row += (c ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    out.push_back(row);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("gather: one row per point with parameters and flattened summary metrics") {
  const fs::path dir = fake_sweep();
  const GatherReport r = gather_sweep(dir.string());
  CHECK(r.points == 3);
  CHECK(r.ok == 2);
  CHECK(r.failed == std::vector<std::size_t>{1});
  CHECK(r.missing.empty());
  const fs::path db = dir / "results.sqlite";
  CHECK(rows(db, "SELECT point, status FROM runs") ==
        std::vector<std::string>{"0|ok", "1|failed", "2|ok"});
  // Parameters keep their type: numbers are numbers, durations text.
  CHECK(rows(db,
             "SELECT typeof(\"param.fleet.0.labels.fraction\"), "
             "typeof(\"param.fleet.0.drift.0.width\") FROM runs WHERE point = 1") ==
        std::vector<std::string>{"real|text"});
  CHECK(rows(db, "SELECT point FROM runs WHERE \"param.fleet.0.labels.fraction\" < 0.9") ==
        std::vector<std::string>{"1", "2"});
  CHECK(rows(db,
             "SELECT \"group.a.accuracy\", \"group.a.drifts_detected\", "
             "\"group.a.per_class.1\", \"group.b,c.accuracy\", \"fleet.network.bytes\", "
             "\"fleet.network.ok\" FROM runs WHERE point = 2") ==
        std::vector<std::string>{"0.95|1|0.25|0.5|100.0|1"});
  CHECK(rows(db, "SELECT \"group.a.accuracy\" FROM runs WHERE point = 1") ==
        std::vector<std::string>{"NULL"});
  // Strings, the scenario echo and the per-device list are not columns.
  const std::string csv = slurp(dir / "results.csv");
  const std::string header = csv.substr(0, csv.find('\n'));
  CHECK(header ==
        "point,status,param.fleet.0.labels.fraction,param.fleet.0.drift.0.width,"
        "group.a.devices,group.a.accuracy,group.a.drifts_detected,group.a.per_class.0,"
        "group.a.per_class.1,\"group.b,c.devices\",\"group.b,c.accuracy\",fleet.devices,"
        "fleet.energy_j,fleet.network.bytes,fleet.network.ok");
  CHECK(csv.find("\n1,failed,0.5,5m,,,,,,,,,,,\n") != std::string::npos);
  // Time series: group and fleet rows only, unless asked for the devices' too.
  CHECK(rows(db, "SELECT point, time_s, device, metric, value FROM metrics WHERE point = 0") ==
        std::vector<std::string>{"0|60.0|group:a|accuracy|0.75", "0|60.0|group:b,c|accuracy|0.5",
                                 "0|60.0|fleet|accuracy|0.625"});
  CHECK(rows(db, "SELECT detail FROM events WHERE point = 2") ==
        std::vector<std::string>{"abrupt, all"});
  // Same inputs, same bytes.
  const std::string first_db = slurp(db);
  gather_sweep(dir.string());
  CHECK(slurp(db) == first_db);
  CHECK(slurp(dir / "results.csv") == csv);
  GatherOptions all;
  all.per_device_metrics = true;
  gather_sweep(dir.string(), all);
  CHECK(rows(db, "SELECT count(*) FROM metrics") == std::vector<std::string>{"8"});
  // No temporary files are left behind.
  for (const auto& e : fs::directory_iterator(dir))
    CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("gather: a directory without a manifest is an error") {
  CHECK_THROWS_WITH_AS(gather_sweep("/nonexistent-sweep"),
                       doctest::Contains("manifest.json: cannot open"), std::runtime_error);
}
