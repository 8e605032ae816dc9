// What `tinyfleet report` reads from a run directory: a tiny hand-written one.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analysis/report_data.hpp"
#include "analysis/report_gnuplot.hpp"
#include "analysis/report_html.hpp"
#include "analysis/report_plots.hpp"
#include "analysis/report_recovery.hpp"

namespace fs = std::filesystem;
using namespace tinyfleet;

namespace {

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Two groups: "adapt" (2 devices, a gradual drift 30 min wide centred at
// 1 h, two alarms) and "still" (1 device, an abrupt drift at 1 h). A federated
// round and a fleet alarm.
const char* kSummary = R"({
  "scenario": {"name": "tiny", "seed": 7, "duration_s": 7200.0,
    "output": {"every_s": 600.0, "window_s": 600.0},
    "fleet": [
      {"group": "adapt", "drift": [{"at_s": 3600.0, "kind": "gradual", "width_s": 1800.0}]},
      {"group": "still", "drift": [{"at_s": 3600.0, "kind": "abrupt"}]}]},
  "groups": [
    {"group": "adapt", "learner": "knn", "detector": "adwin", "devices": 2, "accuracy": 0.9,
     "peak_memory_bytes": 2048.0, "ram_budget_bytes": 8192.0, "kappa": 0.5},
    {"group": "still", "learner": "static", "detector": "-", "devices": 1, "accuracy": 0.7,
     "peak_memory_bytes": 1024.0, "ram_budget_bytes": 8192.0}],
  "fleet": {"devices": 3},
  "devices": [
    {"device": "adapt/0", "group": "adapt", "accuracy": 0.91,
     "energy_by_category_j": {"infer": 1.0, "sleep": 3.0}},
    {"device": "adapt/1", "group": "adapt", "accuracy": 0.89,
     "energy_by_category_j": {"infer": 3.0, "sleep": 5.0}},
    {"device": "still/0", "group": "still", "accuracy": 0.7,
     "energy_by_category_j": {"infer": 2.0, "sleep": 2.0, "radio": 1.0}}]
})";

const char* kMetrics =
    "time_s,device,metric,value\n"
    "600,adapt/0,accuracy,0.5\n"
    "600,group:adapt,accuracy_window,0.9\n"
    "600,group:adapt,energy_j,0.1\n"
    "600,group:still,accuracy_window,0.8\n"
    "600,fleet,accuracy_window,0.85\n"
    "1200,group:adapt,accuracy_window,0.92\n"
    "1200,group:still,accuracy_window,0.81\n";

const char* kEvents =
    "time_s,device,event,detail\n"
    "2700,adapt/0,drift,gradual\n"
    "2700,adapt/1,drift,gradual\n"
    "3000,adapt/1,alarm,estimated_change_sample=10\n"
    "3600,still/0,drift,abrupt\n"
    "3700,\"adapt/0\",alarm,x\n"
    "3990,fleet,fleet_alarm,devices=2\n"
    "4000,fleet,round_start,session=1 round=1 selected=2\n"
    "4100,fleet,round_end,session=1 round=1 received=1 test_accuracy=0.750000\n";

fs::path tiny_run(const std::string& name, bool with_devices = true) {
  const fs::path dir = fs::temp_directory_path() / ("tinyfleet-test-report-data-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string summary = kSummary;
  if (!with_devices) summary = summary.substr(0, summary.find(",\n  \"devices\"")) + "\n}";
  write(dir / "summary.json", summary);
  write(dir / "metrics.csv", kMetrics);
  write(dir / "events.csv", kEvents);
  write(dir / "provenance.json", R"({"host": "h", "wall_s": 1.5})");
  return dir;
}

std::string error_of(const std::string& dir) {
  try {
    load_run(dir);
  } catch (const ReportInputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("CSV fields and event details") {
  CHECK(split_csv_line("1,\"a,b\",\"say \"\"hi\"\"\",x\r") ==
        std::vector<std::string>{"1", "a,b", "say \"hi\"", "x"});
  CHECK(split_csv_line("") == std::vector<std::string>{""});
  const auto kv = parse_key_values("session=1 round=22  lonely bytes_up=30");
  CHECK(kv.size() == 3);
  CHECK(kv.at("round") == "22");
}

TEST_CASE("a run directory gathered per group") {
  const RunReport run = load_run(tiny_run("full").string());
  CHECK(run.name == "tiny");
  CHECK(run.duration_s == 7200);
  CHECK(run.window_s == 600);
  CHECK(run.devices == 3);
  REQUIRE(run.groups.size() == 2);
  const GroupReport& adapt = run.groups[0];
  const GroupReport& still = run.groups[1];
  CHECK(adapt.name == "adapt");
  CHECK(adapt.summary["learner"] == "knn");
  const TimeSeries* acc = adapt.find_series("accuracy_window");
  REQUIRE(acc != nullptr);
  CHECK(acc->t == std::vector<double>{600, 1200});
  CHECK(acc->v == std::vector<double>{0.9, 0.92});
  CHECK(adapt.find_series("energy_j") != nullptr);
  CHECK(adapt.find_series("kappa") == nullptr);
  // A gradual drift centred at 1 h, 30 min wide, starts at 45 min and ends at 1 h 15.
  REQUIRE(adapt.drifts.size() == 1);
  CHECK(adapt.drifts[0].start_s == 2700);
  CHECK(adapt.drifts[0].end_s == 4500);
  CHECK(adapt.drifts[0].kind == "gradual");
  REQUIRE(still.drifts.size() == 1);
  CHECK(still.drifts[0].start_s == 3600);
  CHECK(still.drifts[0].end_s == 3600);
  CHECK(adapt.alarms == std::vector<double>{3000, 3700});
  CHECK(still.alarms.empty());
  CHECK(adapt.device_accuracy == std::vector<double>{0.91, 0.89});
  // Mean per device over the group's devices.
  REQUIRE(adapt.energy_by_category_j.size() == 2);
  CHECK(adapt.energy_by_category_j[0] == std::pair<std::string, double>{"infer", 2.0});
  CHECK(adapt.energy_by_category_j[1] == std::pair<std::string, double>{"sleep", 4.0});
  CHECK(still.energy_by_category_j.size() == 3);
  CHECK(adapt.peak_memory_bytes == 2048);
  CHECK(still.ram_budget_bytes == 8192);
  REQUIRE(run.rounds.size() == 1);
  CHECK(run.rounds[0].start_s == 4000);
  CHECK(run.rounds[0].end_s == 4100);
  CHECK(run.rounds[0].selected == 2);
  CHECK(run.rounds[0].received == 1);
  CHECK(run.rounds[0].test_accuracy == doctest::Approx(0.75));
  CHECK(run.fleet_alarms == std::vector<double>{3990});
  CHECK(run.provenance["host"] == "h");
}

TEST_CASE("without a device list: device groups from names, accuracy from per-device rows") {
  const RunReport run = load_run(tiny_run("no-devices", false).string());
  REQUIRE(run.groups.size() == 2);
  CHECK(run.groups[0].alarms.size() == 2);
  CHECK(run.groups[0].device_accuracy == std::vector<double>{0.5});
  CHECK(run.groups[0].energy_by_category_j.empty());
  std::string why;
  CHECK_FALSE(energy_figure(run, why).has_value());
  CHECK(why.find("energy") != std::string::npos);
}

TEST_CASE("drift spans: devices a little apart merge, far apart stay apart") {
  const auto spans =
      drift_spans({{1000, "abrupt"}, {1030, "abrupt"}, {5000, "recurring"}, {100, "gradual"}},
                  {{400, 600}}, 400);
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].start_s == 100);
  CHECK(spans[0].end_s == 1030);  // the gradual one (100..700) and the two abrupt ones
  CHECK(spans[0].kind == "gradual+abrupt");
  CHECK(spans[1].start_s == 5000);
  CHECK(spans[1].kind == "recurring");
}

TEST_CASE("recovery: back within epsilon after the trough") {
  TimeSeries s;
  s.t = {1, 2, 3, 4, 5, 6, 7};
  s.v = {0.90, 0.91, 0.89, 0.60, 0.75, 0.885, 0.90};
  Recovery r;
  REQUIRE(find_recovery(s, 2.5, INFINITY, 0.03, r));
  CHECK(r.level_before == 0.91);
  CHECK(r.trough == 0.60);
  CHECK(r.trough_s == 4);
  CHECK(r.dropped);
  CHECK(r.recovered);
  CHECK(r.recovered_s == 6);
  CHECK(r.recovery_time_s() == doctest::Approx(3.5));
  // Never back before the next drift.
  REQUIRE(find_recovery(s, 2.5, 5.5, 0.03, r));
  CHECK_FALSE(r.recovered);
  // No drop deeper than epsilon: nothing to recover from.
  REQUIRE(find_recovery(s, 0.5 + 6, INFINITY, 0.03, r));
  CHECK_FALSE(r.dropped);
  // No tick before the drift.
  CHECK_FALSE(find_recovery(s, 0.5, INFINITY, 0.03, r));
}

TEST_CASE("alarm histogram: counts per bin and group") {
  const RunReport run = load_run(tiny_run("bins").string());
  CHECK(alarm_bin_s(7200) == 120);
  CHECK(alarm_bin_s(14400) == 300);
  const auto counts = alarm_histogram(run, 1800);
  REQUIRE(counts.size() == 4);
  CHECK(counts[1] == std::vector<int>{1, 0});  // 3000 s
  CHECK(counts[2] == std::vector<int>{1, 0});  // 3700 s
  CHECK(counts[0] == std::vector<int>{0, 0});
}

TEST_CASE("figures: what each script draws") {
  const RunReport run = load_run(tiny_run("figures").string());
  std::string why;
  const auto acc = accuracy_figure(run, why);  // a 2 h run: time axis in minutes
  REQUIRE(acc.has_value());
  CHECK(acc->data.find("$acc0 << EOD\n10 0.9\n") != std::string::npos);
  // The two groups' drifts overlap: one label for both.
  CHECK(acc->body.find("drift (gradual, abrupt)") != std::string::npos);
  CHECK(acc->body.find("set object 1 rect from 45, graph 0 to 75") != std::string::npos);
  const std::string script = gnuplot_script(*acc);
  CHECK(script.find("set terminal pngcairo") != std::string::npos);
  CHECK(script.find("set terminal svg") != std::string::npos);
  const auto rounds = rounds_figure(run, why);
  REQUIRE(rounds.has_value());
  CHECK(rounds->body.find("global test accuracy") != std::string::npos);
  CHECK(rounds->body.find("'66.67 min (alarm)' 1") != std::string::npos);  // started by it
  CHECK(memory_figure(run, why).has_value());
  CHECK(device_accuracy_figure(run, why).has_value());
  CHECK(gp_string("it's") == "'it''s'");
  CHECK(base64("tiny") == "dGlueQ==");
  CHECK(base64("fleet") == "ZmxlZXQ=");
  CHECK(html_escape("<a&\"b\">") == "&lt;a&amp;&quot;b&quot;&gt;");
}

TEST_CASE("bad run directories: the file (and line) in the message") {
  CHECK(error_of("/nonexistent/run").find("/nonexistent/run: no such run directory") !=
        std::string::npos);
  fs::path dir = tiny_run("no-events");
  fs::remove(dir / "events.csv");
  CHECK(error_of(dir.string()).find("events.csv: missing") != std::string::npos);
  dir = tiny_run("bad-number");
  write(dir / "metrics.csv",
        "time_s,device,metric,value\n600,group:adapt,accuracy,0.5\n"
        "1200,group:adapt,accuracy,zero\n");
  CHECK(error_of(dir.string()).find("metrics.csv:3: not a finite number: 'zero'") !=
        std::string::npos);
  dir = tiny_run("bad-header");
  write(dir / "events.csv", "t,who,what\n");
  CHECK(error_of(dir.string()).find("events.csv:1: expected the header") != std::string::npos);
  dir = tiny_run("short-row");
  write(dir / "events.csv", "time_s,device,event,detail\n1,a,b\n");
  CHECK(error_of(dir.string()).find("events.csv:2: expected 4 fields, got 3") != std::string::npos);
  dir = tiny_run("bad-json");
  write(dir / "summary.json", "{\"scenario\": ");
  CHECK(error_of(dir.string()).find("summary.json: not valid JSON") != std::string::npos);
  // Without provenance.json the report still works, and says so.
  dir = tiny_run("no-provenance");
  fs::remove(dir / "provenance.json");
  CHECK(load_run(dir.string()).notes.size() == 1);
}
