// Page-Hinkley conformance with River (streams.md §3, §6) plus the Python
// `random` port it needs (tests/support/py_random.hpp).
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "drift/detector.hpp"
#include "drift/page_hinkley.hpp"
#include "tests/support/py_random.hpp"

using namespace tinyfleet;
using tinyfleet::test::PyRandom;

TEST_CASE("PyRandom reproduces CPython random.Random") {
  PyRandom a(12345);
  CHECK(a.next_u32() == 1789368711u);  // random.Random(12345).getrandbits(32)
  PyRandom b(42);
  CHECK(b.random() == 0.6394267984578837);
  CHECK(b.random() == 0.025010755222666936);
  PyRandom c(0);
  CHECK(c.next_u32() == 3626764237u);
  CHECK(c.random() == 0.3852453064766108);
  PyRandom d(1);
  CHECK(d.random() == 0.13436424411240122);
  PyRandom e((1ULL << 40) + 7);  // two-word key
  CHECK(e.random() == 0.6137037779936511);
  PyRandom f(7);
  CHECK(f.choices(std::vector<char>{'a', 'b', 'c'}, 8) ==
        std::vector<char>{'a', 'a', 'b', 'a', 'b', 'b', 'a', 'b'});
}

namespace {

// River doctest stream S1 (streams.md §6).
std::vector<int> stream_s1() {
  PyRandom rng(12345);
  auto s = rng.choices(std::vector<int>{0, 1}, 1000);
  auto tail = rng.choices(std::vector<int>{4, 5, 6, 7}, 1000);
  s.insert(s.end(), tail.begin(), tail.end());
  return s;
}

std::vector<uint64_t> run(Detector& d, const std::vector<double>& xs, OpCounter& ops) {
  std::vector<uint64_t> alarms;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    d.update(xs[i], i, ops);
    if (d.drift_detected()) alarms.push_back(i);
  }
  return alarms;
}

}  // namespace

TEST_CASE("PageHinkley: River doctest S1 detects at index 1006 (value 5)") {
  const auto s1 = stream_s1();
  REQUIRE(s1.size() == 2000);
  CHECK(s1[1006] == 5);
  const std::vector<double> xs(s1.begin(), s1.end());
  for (auto mode : {PageHinkley::Mode::Both, PageHinkley::Mode::Up}) {
    PageHinkley ph(30, 0.005, 50, 1 - 0.0001, mode);
    OpCounter ops;
    CHECK(run(ph, xs, ops) == std::vector<uint64_t>{1006});
  }
  PageHinkley down(30, 0.005, 50, 1 - 0.0001, PageHinkley::Mode::Down);
  OpCounter ops;
  CHECK(run(down, xs, ops).empty());
}

TEST_CASE("PageHinkley: change estimate is the extremum of the alarming side") {
  std::vector<double> up(500, 0.0), down(500, 1.0);
  up.resize(700, 1.0);
  down.resize(700, 0.0);
  OpCounter ops;
  PageHinkley ph;  // both
  auto alarms = run(ph, up, ops);
  REQUIRE(!alarms.empty());
  CHECK(alarms[0] > 500);
  CHECK(alarms[0] < 570);
  ph.reset();
  for (std::size_t i = 0; i < up.size(); ++i) {
    ph.update(up[i], 1000 + i, ops);  // caller's clock: offset t
    if (ph.drift_detected()) break;
  }
  CHECK(ph.drift_detected());
  CHECK(ph.change_estimate() == 1000 + 499);  // last sample of the old mean

  PageHinkley phd;
  uint64_t estimate = 0;
  int alarms_d = 0;
  for (std::size_t i = 0; i < down.size(); ++i) {
    phd.update(down[i], i, ops);
    if (phd.drift_detected()) estimate = phd.change_estimate(), ++alarms_d;
  }
  CHECK(alarms_d == 1);
  CHECK(estimate == 499);

  PageHinkley only_up(30, 0.005, 50, 0.9999, PageHinkley::Mode::Up);
  CHECK(run(only_up, down, ops).empty());
  PageHinkley only_down(30, 0.005, 50, 0.9999, PageHinkley::Mode::Down);
  CHECK(run(only_down, up, ops).empty());
}

TEST_CASE("PageHinkley: warm-up, lazy reset after an alarm, ops and memory") {
  // A huge jump cannot alarm before min_instances observations.
  PageHinkley ph(30, 0.005, 1.0);
  OpCounter ops;
  for (uint64_t i = 0; i < 29; ++i) {
    ph.update(i < 5 ? 0.0 : 100.0, i, ops);
    CHECK_FALSE(ph.drift_detected());
  }
  ph.update(100.0, 29, ops);
  CHECK(ph.drift_detected());
  CHECK(ph.count() == 30);
  // River resets on the update after the alarm: the statistics restart.
  ph.update(100.0, 30, ops);
  CHECK_FALSE(ph.drift_detected());
  CHECK(ph.count() == 1);
  CHECK(ph.mean() == 100.0f);

  // Operation accounting: one division per update; single-sided is cheaper.
  PageHinkley both, up(30, 0.005, 50, 0.9999, PageHinkley::Mode::Up);
  OpCounter ob, ou;
  for (uint64_t i = 0; i < 100; ++i) {
    both.update(0.5, i, ob);
    up.update(0.5, i, ou);
  }
  CHECK(ob[Op::Div] == 100);
  CHECK(ou[Op::Div] == 100);
  CHECK(ob[Op::Fp32Mac] > ou[Op::Fp32Mac]);
  CHECK(ob[Op::Compare] > ou[Op::Compare]);
  CHECK(ob[Op::Fp32Mac] >= 100 * 7);  // mean 2, dev 1, U 2, L 2 (+ tests after warm-up)
  CHECK(both.memory_bytes() > 0);
  CHECK(both.memory_bytes() < 128);
}

TEST_CASE("detector registry") {
  const auto& cat = detector_catalog();
  REQUIRE(!cat.empty());
  CHECK(cat[0].name == "page_hinkley");
  Params p = default_params(cat[0].params);
  CHECK(p.number("min_instances") == 30);
  CHECK(p.number("delta") == 0.005);
  CHECK(p.number("threshold") == 50);
  CHECK(p.number("alpha") == 0.9999);
  CHECK(p.string("mode") == "both");
  auto d = make_detector("page_hinkley", p);
  REQUIRE(d);
  const auto s1 = stream_s1();
  OpCounter ops;
  CHECK(run(*d, std::vector<double>(s1.begin(), s1.end()), ops) == std::vector<uint64_t>{1006});
  CHECK_THROWS_AS(make_detector("adwin2", p), std::invalid_argument);
  Params bad = p;
  bad.strings["mode"] = "sideways";
  CHECK_THROWS_AS(make_detector("page_hinkley", bad), std::invalid_argument);
  bad = p;
  bad.numbers["threshold"] = 0;
  CHECK_THROWS_AS(make_detector("page_hinkley", bad), std::invalid_argument);
}

TEST_CASE("Page-Hinkley, MOA variant: one-sided sum against the threshold, MOA's counter") {
  // A clean step 0 → 1 at t = 100: S grows by about (1 − x̄ − δ) per update after it.
  PageHinkley moa(30, 0.005, 10, 1.0, PageHinkley::Mode::Both, PageHinkley::Variant::Moa);
  PageHinkley river(30, 0.005, 10, 1.0, PageHinkley::Mode::Up, PageHinkley::Variant::River);
  OpCounter ops;
  int moa_alarm = -1, river_alarm = -1;
  uint64_t moa_estimate = 0;
  for (int t = 0; t < 300; ++t) {
    const double x = t < 100 ? 0.0 : 1.0;
    moa.update(x, static_cast<uint64_t>(t), ops);
    river.update(x, static_cast<uint64_t>(t), ops);
    if (moa.drift_detected() && moa_alarm < 0) {
      moa_alarm = t;
      moa_estimate = moa.change_estimate();
    }
    if (river.drift_detected() && river_alarm < 0) river_alarm = t;
  }
  REQUIRE(moa_alarm > 100);
  CHECK(moa_alarm < 140);
  CHECK(moa_estimate == 99);  // the sum's minimum: the last 0 before the step
  // River measures the rise from the minimum (−0.5 here), MOA from zero: MOA
  // alarms no earlier.
  CHECK(moa_alarm >= river_alarm);
  CHECK(moa_alarm <= river_alarm + 1);
}
