// `tinyfleet evaluate` end to end (the binary), and the same numbers as the
// evaluator fed directly.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/detection.hpp"
#include "analysis/evaluator.hpp"

namespace fs = std::filesystem;
using namespace tinyfleet;

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result evaluate(const std::string& args) {
  const fs::path err_file = fs::temp_directory_path() / "tinyfleet-test-evaluate.err";
  FILE* p = popen(
      (std::string(TINYFLEET_BINARY) + " evaluate " + args + " 2>" + err_file.string()).c_str(),
      "r");
  Result r{0, "", ""};
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) r.out += buf;
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::getline(in, r.err, '\0');
  return r;
}

std::string write_log(const std::string& name, const std::string& content) {
  const fs::path path = fs::temp_directory_path() / ("tinyfleet-test-evaluate-" + name + ".csv");
  std::ofstream(path) << content;
  return path.string();
}

}  // namespace

TEST_CASE("evaluate: River's vector with text labels, extra columns, quotes, CRLF") {
  const std::string log =
      write_log("river",
                "id,y_true,score,y_pred\r\n1,cat,0.1,ant\r\n2,\"ant\",0.2,ant\r\n3,cat,0.3,cat\r\n"
                "4,cat,0.4,cat\r\n\r\n5,ant,0.5,ant\r\n6,bird,0.6,cat\r\n");
  const Result r = evaluate("--predictions " + log);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["samples"] == 6);
  CHECK(double(j["kappa"]) == doctest::Approx(3.0 / 7.0));
  CHECK(double(j["kappa_t"]) == doctest::Approx(0.6));
  CHECK(double(j["accuracy"]) == doctest::Approx(4.0 / 6.0));
  CHECK(j["recall_per_class"]["ant"] == 1.0);
  CHECK(j["support_per_class"]["cat"] == 3);
  CHECK(j["confusion_matrix"]["labels"] == nlohmann::json({"cat", "ant", "bird"}));
  CHECK(j["confusion_matrix"]["counts"] == nlohmann::json({{2, 1, 0}, {0, 2, 0}, {1, 0, 0}}));
  CHECK(j["drifts"] == 0);
  CHECK(j["mean_detection_delay_s"].is_null());
}

TEST_CASE("evaluate: the same numbers as the evaluator and the detection code fed directly") {
  std::mt19937 rng(7);
  const int n = 3000, drift_at = 1500;
  std::vector<int> yt, yp;
  std::string csv = "y_true,y_pred,alarm,drift\n";
  const std::vector<uint64_t> alarms = {400, 1620, 2100, 2900};
  for (int i = 0; i < n; ++i) {
    const int t = static_cast<int>(rng() % 3);
    const double p_right = i < drift_at ? 0.9 : (i < drift_at + 400 ? 0.5 : 0.88);
    const int p = (rng() % 1000) < p_right * 1000 ? t : static_cast<int>((t + 1 + rng() % 2) % 3);
    yt.push_back(t);
    yp.push_back(p);
    const bool alarm = std::find(alarms.begin(), alarms.end(), uint64_t(i)) != alarms.end();
    csv += std::to_string(t) + "," + std::to_string(p) + "," + (alarm ? "1" : "0") + "," +
           (i == drift_at ? "1" : "0") + "\n";
  }
  const std::string log = write_log("direct", csv);
  const Result r = evaluate("--predictions " + log + " --delta-max 300 --window 200 --fading 0.99");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);

  ClassificationEvaluator ev(200, 0.99, 3);
  for (int i = 0; i < n; ++i) ev.add(yt[i], yp[i]);
  const auto& c = ev.counts();
  CHECK(double(j["accuracy"]) == ev.cumulative());
  CHECK(double(j["accuracy_window_end"]) == ev.windowed());
  CHECK(double(j["accuracy_fading"]) == ev.fading());
  CHECK(double(j["kappa"]) == cohen_kappa(c));
  CHECK(double(j["kappa_m"]) == kappa_m(c));
  CHECK(double(j["kappa_t"]) == kappa_t(c));
  CHECK(double(j["g_mean"]) == g_mean(c));
  CHECK(double(j["balanced_accuracy"]) == balanced_accuracy(c));
  for (int k = 0; k < 3; ++k)
    CHECK(double(j["recall_per_class"][std::to_string(k)]) == recall(c, std::size_t(k)));

  // Drift at 1500, window [1500, 1800]: 1620 detects it (delay 120); 400, 2100, 2900 are
  // false alarms, gaps 1700 and 800.
  CHECK(j["drifts_detected"] == 1);
  CHECK(double(j["mean_detection_delay_s"]) == 120);
  CHECK(j["false_alarms"] == 3);
  CHECK(double(j["false_alarms_per_hour"]) == doctest::Approx(3 / (3000.0 / 3600)));
  CHECK(double(j["mean_time_between_false_alarms_s"]) == 1250);
  CHECK(double(j["mean_time_ratio"]) == doctest::Approx(1250.0 / 120.0));
  // The accuracy falls to ~0.5 after the drift and comes back to ~0.88: it recovers.
  CHECK(j["drifts_recovered"] == 1);
  CHECK(double(j["recovery_time_mean_s"]) > 400);
  CHECK(double(j["recovery_time_mean_s"]) < 1000);

  // The same drifts and alarms given as lists: the same output.
  const std::string plain = write_log("direct-plain", [&] {
    std::string s = "y_true,y_pred\n";
    for (int i = 0; i < n; ++i) s += std::to_string(yt[i]) + "," + std::to_string(yp[i]) + "\n";
    return s;
  }());
  const Result lists = evaluate("--predictions " + plain +
                                " --drifts 1500 --alarms 2900,400,1620,2100 --delta-max 300"
                                " --window 200 --fading 0.99");
  REQUIRE(lists.code == 0);
  CHECK(lists.out == r.out);
}

TEST_CASE("evaluate: bad input names file and line, exit code 2") {
  struct Case {
    std::string name, content, args, expect;
  };
  const std::vector<Case> cases = {
      {"nocol", "y_true,guess\n1,1\n", "", ":1: header lacks a 'y_pred' column"},
      {"ragged", "y_true,y_pred\n1,1\n2\n", "", ":3: expected 2 fields, got 1"},
      {"empty", "", "", ": empty file"},
      {"header-only", "y_true,y_pred\n", "", ": no rows after the header"},
      {"bad-flag", "y_true,y_pred,alarm\n1,1,0\n1,0,yes\n", "",
       ":3: column 'alarm' must be 0 or 1"},
      {"empty-label", "y_true,y_pred\n1,\n", "", ":2: empty y_pred"},
      {"quote", "y_true,y_pred\n\"a,b\n", "", ":2: unterminated quoted field"},
      {"no-delta", "y_true,y_pred\n1,1\n0,1\n", "--drifts 1", "--delta-max N is required"},
      {"bad-list", "y_true,y_pred\n1,1\n0,1\n", "--drifts 1,x --delta-max 2", "'x' is not"},
      {"past-end", "y_true,y_pred\n1,1\n0,1\n", "--alarms 5", "past the last sample"},
      {"both", "y_true,y_pred,drift\n1,1,0\n0,1,1\n", "--drifts 1 --delta-max 2", "not both"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string log = write_log(c.name, c.content);
    const Result r = evaluate("--predictions " + log + " " + c.args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.expect) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  const Result missing = evaluate("--predictions /nonexistent/log.csv");
  CHECK(missing.code == 2);
  CHECK(missing.err.find("/nonexistent/log.csv: cannot open") != std::string::npos);
}

TEST_CASE("evaluate: a confidence column gives the calibration and tail-risk blocks") {
  // The four predictions of test_analysis_lifecycle.cpp (ECE 0.35, Brier 0.255),
  // classes 0..2 (K = 3 for the NLL).
  const std::string log =
      write_log("confidence", "y_true,y_pred,confidence\n1,1,0.9\n0,1,0.9\n2,2,0.6\n0,2,0.2\n");
  const Result r = evaluate("--predictions " + log + " --window 2 --service-level 0.75");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const auto& c = j["calibration"];
  CHECK(c["predictions"] == 4);
  CHECK(c["ece"].get<double>() == doctest::Approx(0.35));
  CHECK(c["brier"].get<double>() == doctest::Approx(0.255));
  CHECK(c["nll"].get<double>() ==
        doctest::Approx((-std::log(0.9) - std::log(0.05) - std::log(0.6) - std::log(0.4)) / 4));
  CHECK(c["confidence_gap"].get<double>() == doctest::Approx(0.15));
  CHECK(c["phases"]["pre_drift"]["predictions"] == 4);  // no drift: all before one
  // Windowed accuracy (W = 2) after each sample: 1, 0.5, 0.5, 0.5.
  const auto& t = j["tail_risk"];
  CHECK(t["windows"] == 4);
  CHECK(t["accuracy_window_worst"].get<double>() == doctest::Approx(0.5));
  CHECK(t["accuracy_window_p5"].get<double>() == doctest::Approx(0.5));
  CHECK(t["cvar_loss_window"].get<double>() == doctest::Approx(0.5));
  CHECK(t["time_below_service_level_s"].get<double>() == doctest::Approx(3));
  // Without the column there is no calibration block.
  const Result plain = evaluate("--predictions " + write_log("noconf", "y_true,y_pred\n1,1\n"));
  REQUIRE(plain.code == 0);
  CHECK(!nlohmann::json::parse(plain.out).contains("calibration"));
  // A confidence outside [0, 1] is an error naming the line.
  const std::string bad = write_log("badconf", "y_true,y_pred,confidence\n1,1,0.5\n1,0,1.5\n");
  const Result e = evaluate("--predictions " + bad);
  CHECK(e.code == 2);
  CHECK(e.err.find(":3: column 'confidence' must be a number in [0, 1], got '1.5'") !=
        std::string::npos);
}
