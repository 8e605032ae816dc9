// End-to-end: the tinyfleet binary on scenario files.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/run_binary.hpp"

namespace fs = std::filesystem;

using namespace tinyfleet_test;

namespace {

void check_same_outputs(const fs::path& a, const fs::path& b) {
  for (const char* f : {"summary.json", "metrics.csv", "events.csv"}) {
    INFO("file " << f);
    const std::string x = slurp(a / f), y = slurp(b / f);
    CHECK(!x.empty());
    CHECK(x == y);
  }
}

}  // namespace

TEST_CASE("same scenario and seed twice: byte-identical outputs") {
  const fs::path a = fresh_dir("det-a"), b = fresh_dir("det-b");
  REQUIRE(sh(tf() + " run -q " + src("tests/data/small.yaml") + " -o " + a.string()).code == 0);
  REQUIRE(sh(tf() + " run -q " + src("tests/data/small.yaml") + " -o " + b.string()).code == 0);
  check_same_outputs(a, b);
  CHECK(fs::exists(a / "provenance.json"));
}

TEST_CASE("every example scenario: per-sample and calendar schedules give byte-identical outputs") {
  std::vector<std::string> files = {src("tests/data/small.yaml"), src("scenarios/quickstart.yaml")};
  for (const auto& entry : fs::directory_iterator(src("scenarios/examples")))
    files.push_back(entry.path().string());
  CHECK(files.size() >= 5);
  for (const auto& file : files) {
    INFO(file);
    const std::string stem = fs::path(file).stem().string();
    const fs::path a = fresh_dir("cal-" + stem), b = fresh_dir("ps-" + stem);
    REQUIRE(sh(tf() + " run -q --schedule calendar " + file + " -o " + a.string()).code == 0);
    REQUIRE(sh(tf() + " run -q --schedule per-sample " + file + " -o " + b.string()).code == 0);
    check_same_outputs(a, b);
  }
}

TEST_CASE(
    "quickstart: the static group falls at the drift and stays down; kNN+PH detects and recovers") {
  const fs::path out = fresh_dir("quickstart");
  const Result r = sh(tf() + " run -o " + out.string());  // no file: the built-in quickstart
  REQUIRE(r.code == 0);
  CHECK(r.output.find("knn-ph") != std::string::npos);
  const auto j = nlohmann::json::parse(slurp(out / "summary.json"));
  const auto& groups = j.at("groups");
  REQUIRE(groups.size() == 2);
  const auto& knn = groups[0];
  const auto& stat = groups[1];
  CHECK(knn["group"] == "knn-ph");
  CHECK(stat["group"] == "static");
  const double st_before = stat["accuracy_window_before_drift"],
               st_end = stat["accuracy_window_end"];
  const double kn_before = knn["accuracy_window_before_drift"], kn_end = knn["accuracy_window_end"];
  const double kn_min = knn["accuracy_window_min_after_drift"];
  CHECK(st_end < st_before - 0.05);  // falls and does not recover
  CHECK(kn_min < kn_before - 0.03);  // the drift hurts kNN too ...
  CHECK(kn_end > kn_min + 0.03);     // ... and it recovers
  CHECK(kn_end > st_end + 0.05);
  CHECK(int(knn["drifts_detected"]) >= int(knn["drifts"]) * 6 / 10);
  CHECK(double(knn["mean_detection_delay_s"]) > 0);
}

TEST_CASE("every bad scenario: one FILE:LINE:COL line, exit code 2, no output directory") {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(src("tests/data/bad_scenarios"))) {
    const std::string file = entry.path().string();
    INFO(file);
    const fs::path out = fresh_dir("bad-" + entry.path().stem().string());
    const Result r = sh(tf() + " run " + file + " -o " + out.string());
    CHECK(r.code == 2);
    CHECK(r.output.rfind(file + ":", 0) == 0);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK(!fs::exists(out));
    CHECK(sh(tf() + " validate " + file).code == 2);
    ++n;
  }
  CHECK(n >= 12);
}

TEST_CASE("validate accepts the shipped scenarios; devices lists the catalog") {
  CHECK(sh(tf() + " validate " + src("scenarios/quickstart.yaml") + " " +
           src("tests/data/small.yaml") + " " + src("scenarios/examples/*.yaml"))
            .code == 0);
  const Result d = sh(tf() + " devices");
  CHECK(d.code == 0);
  for (const char* board : {"nrf52840", "stm32f401re", "stm32l476rg", "esp32s3"})
    CHECK(d.output.find(board) != std::string::npos);
  CHECK(sh(tf() + " run --schedule nope -q " + src("tests/data/small.yaml")).code == 2);
}
