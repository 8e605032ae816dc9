// `tinyfleet detect` (sim/cli_detect.cpp), called in-process.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli_detect.hpp"
#include "tests/support/py_random.hpp"

using tinyfleet::run_detect_command;

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result detect(const std::string& name, const std::vector<std::string>& sets,
              const std::string& content) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("tinyfleet_test_detect_" + name + ".txt"))
          .string();
  std::ofstream(path) << content;
  std::ostringstream out, err;
  auto* o = std::cout.rdbuf(out.rdbuf());
  auto* e = std::cerr.rdbuf(err.rdbuf());
  const int code = run_detect_command(name, sets, path);
  std::cout.rdbuf(o);
  std::cerr.rdbuf(e);
  std::remove(path.c_str());
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("detect CLI: ADWIN on River's S1 prints [1023]; DDM warnings; params") {
  tinyfleet::test::PyRandom rng(12345);
  auto a = rng.choices(std::vector<int>{0, 1}, 1000);
  auto b = rng.choices(std::vector<int>{4, 5, 6, 7}, 1000);
  std::string text;
  for (int v : a) text += std::to_string(v) + "\n";
  for (int v : b) text += std::to_string(v) + "\n";
  Result r = detect("adwin", {}, text);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["detector"] == "adwin");
  CHECK(j["n"] == 2000);
  CHECK(j["drifts"] == nlohmann::json::array({1023}));
  CHECK(j["warnings"].empty());

  r = detect("adwin", {"clock=1", "mode=moa"}, text);
  CHECK(r.code == 0);
  r = detect("adwin", {"bogus=1"}, text);
  CHECK(r.code == 2);
  CHECK(r.err.find("valid keys: delta, clock") != std::string::npos);
  CHECK(detect("adwin", {"delta=abc"}, text).code == 2);
  CHECK(detect("adwin", {"delta=2"}, text).code == 2);  // out of range
  CHECK(detect("adwin", {"mode=java"}, text).code == 2);
  CHECK(detect("adwin", {"clock"}, text).code == 2);
  CHECK(detect("nope", {}, text).code == 2);

  tinyfleet::test::PyRandom r42(42);
  auto s = r42.choices(std::vector<int>{0, 1}, 1000);
  auto t = r42.choices(std::vector<int>{0, 1}, {0.3, 0.7}, 1000);
  std::string s2;
  for (int v : s) s2 += std::to_string(v) + "\n";
  for (int v : t) s2 += std::to_string(v) + "\n";
  r = detect("ddm", {}, s2);
  REQUIRE(r.code == 0);
  const auto k = nlohmann::json::parse(r.out);
  CHECK(k["drifts"] == nlohmann::json::array({1334}));
  CHECK(k["warnings"][0] == 1084);
}

TEST_CASE("detect CLI: bad input names the line; vectors for loglik") {
  Result r = detect("ddm", {}, "0\n1\nfoo\n");
  CHECK(r.code == 2);
  CHECK(r.err.find("line 3") != std::string::npos);
  CHECK(detect("ddm", {}, "0\nnan\n").code == 2);
  CHECK(detect("ddm", {}, "inf\n").code == 2);
  CHECK(detect("ddm", {}, "1e999\n").code == 2);
  CHECK(detect("ddm", {}, "").code == 2);
  CHECK(detect("ddm", {}, "\n  \n").code == 2);
  CHECK(detect("ddm", {}, "0 1\n").code == 2);  // one number per line for scalar detectors

  std::string vecs;
  tinyfleet::test::PyRandom rng(3);
  for (int i = 0; i < 600; ++i) {
    const double shift = i < 300 ? 0.0 : 3.0;
    vecs += std::to_string(rng.gauss(shift, 1)) + " " + std::to_string(rng.gauss(0, 1)) + "\n";
  }
  r = detect("loglik", {"n_train=100"}, vecs);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["n"] == 600);
  REQUIRE(!j["drifts"].empty());
  CHECK(j["drifts"][0] >= 300);
  r = detect("loglik", {}, "1 2\n1 2 3\n");
  CHECK(r.code == 2);
  CHECK(r.err.find("line 2") != std::string::npos);
}
