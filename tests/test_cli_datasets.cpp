// `tinyfleet datasets`, `detect --input dataset:NAME` and a scenario whose data
// set carries its own change point (drift/data_catalog.hpp, sim/cli_datasets.cpp).
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/run_binary.hpp"

using namespace tinyfleet_test;
namespace fs = std::filesystem;

TEST_CASE("datasets lists every data set with shape, classes, package and status") {
  const Result r = sh(tf() + " datasets");
  REQUIRE(r.code == 0);
  for (const char* s : {"digits", "1797 x 64", "seattle_weather", "1461 x 4", "vowel", "990 x 9",
                        "letter", "20000 x 16", "shuttle", "58000 x 9", "thyroid", "7200 x 21",
                        "nile", "python3-sklearn", "r-cran-mlbench", "libfann-doc"})
    CHECK(r.output.find(s) != std::string::npos);
  CHECK(r.output.find("MISSING") == std::string::npos);  // setup.sh fetched them
  const Result none = sh("TINYFLEET_DATA_DIR=/nonexistent-tinyfleet " + tf() + " datasets");
  CHECK(none.code == 0);
  CHECK(none.output.find("MISSING") != std::string::npos);
  CHECK(none.output.find("scripts/fetch-datasets.sh") != std::string::npos);
}

TEST_CASE("detect reads the Nile series and alarms after the 1898 dam") {
  const Result r = sh(tf() + " detect page_hinkley --set threshold=200 --input dataset:nile");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.output);
  CHECK(j["n"] == 100);
  REQUIRE(!j["drifts"].empty());
  const int first = j["drifts"][0];
  CHECK(first >= 27);  // 1898 is index 27
  CHECK(first <= 35);
  const Result missing = sh("TINYFLEET_DATA_DIR=/nonexistent-tinyfleet " + tf() +
                            " detect adwin --input dataset:nile");
  CHECK(missing.code == 2);
  CHECK(missing.output.find("fetch-datasets.sh") != std::string::npos);
}

TEST_CASE("seattle-weather example: the label switch is a drift scored like an injected one") {
  const fs::path out = fresh_dir("real-data-seattle");
  REQUIRE(
      sh(tf() + " run -q " + src("scenarios/examples/seattle-weather.yaml") + " -o " + out.string())
          .code == 0);
  // One drift event per device, 455 days (plus the device's phase) into the run.
  std::istringstream events(slurp(out / "events.csv"));
  std::string line;
  int drifts = 0;
  while (std::getline(events, line)) {
    if (line.find(",drift,") == std::string::npos) continue;
    ++drifts;
    const double t = std::stod(line.substr(0, line.find(',')));
    CHECK(t >= 455 * 86400.0);
    CHECK(t < 456 * 86400.0);
  }
  CHECK(drifts == 2);
  const auto j = nlohmann::json::parse(slurp(out / "summary.json"));
  const auto& hybrid = j.at("groups")[0];
  const auto& fixed = j.at("groups")[1];
  CHECK(hybrid["drifts"] == 1);
  CHECK(hybrid["drifts_detected"] == 1);  // Page-Hinkley within max_delay (30 d)
  CHECK(hybrid["drifts_recovered"] == 1);
  CHECK(fixed["drifts_never_recovered"] == 1);  // the static model collapses
  CHECK(hybrid["accuracy"].get<double>() > fixed["accuracy"].get<double>() + 0.2);
  // A run longer than the single pass is refused up front.
  const fs::path bad = fresh_dir("real-data-seattle-long");
  fs::create_directories(bad);
  std::string yaml = slurp(src("scenarios/examples/seattle-weather.yaml"));
  yaml.replace(yaml.find("duration: 1461d"), 15, "duration: 1500d");
  write_file(bad / "long.yaml", yaml);
  const Result r =
      sh(tf() + " run -q " + (bad / "long.yaml").string() + " -o " + (bad / "out").string());
  CHECK(r.code == 2);
  CHECK(r.output.find("passes: cycle") != std::string::npos);
}
