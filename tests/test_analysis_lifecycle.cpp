// Lifecycle metrics on small hand-computed cases (docs/METRICS.md):
// calibration (ECE, Brier, NLL, gap, windowed ECE, phases), tail risk and
// continual-learning ACC/BWT/FWT.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/calibration_phases.hpp"
#include "analysis/continual.hpp"
#include "analysis/tail_risk.hpp"

using namespace tinyfleet;

TEST_CASE("calibration: ECE, Brier, NLL and gap of four hand-computed predictions") {
  CalibrationCounts c;
  c.add(0.9, true);
  c.add(0.9, false);
  c.add(0.6, true);
  c.add(0.2, false);
  // Bins (15 equal-width): 0.9 → 13: n 2, acc 1/2, conf 0.9 → 2·|0.5 − 0.9| = 0.8;
  // 0.6 → 9: |1 − 0.6| = 0.4; 0.2 → 3: |0 − 0.2| = 0.2. ECE = (0.8 + 0.4 + 0.2) / 4.
  CHECK(calibration_bin(confidence_micro(0.9)) == 13);
  CHECK(calibration_bin(confidence_micro(0.6)) == 9);
  CHECK(calibration_bin(confidence_micro(0.2)) == 3);
  CHECK(ece(c) == doctest::Approx(0.35));
  // Brier: 0.1², 0.9², 0.4², 0.2² → (0.01 + 0.81 + 0.16 + 0.04) / 4.
  CHECK(brier(c) == doctest::Approx(0.255));
  // NLL with K = 3: −ln 0.9, −ln(0.1/2), −ln 0.6, −ln(0.8/2).
  const double nll3 = (-std::log(0.9) - std::log(0.05) - std::log(0.6) - std::log(0.4)) / 4.0;
  CHECK(nll(c, 3) == doctest::Approx(nll3));
  // K = 2: all of 1 − c goes to the other class.
  CHECK(nll(c, 2) ==
        doctest::Approx((-std::log(0.9) - std::log(0.1) - std::log(0.6) - std::log(0.8)) / 4.0));
  CHECK(mean_confidence(c) == doctest::Approx(0.65));
  CHECK(confidence_gap(c) == doctest::Approx(0.15));
  // Perfectly calibrated: 2 of 4 right at confidence 0.5.
  CalibrationCounts half;
  for (int i = 0; i < 4; ++i) half.add(0.5, i % 2 == 0);
  CHECK(ece(half) == doctest::Approx(0.0));
  CHECK(confidence_gap(half) == doctest::Approx(0.0));
  CHECK(brier(half) == doctest::Approx(0.25));
}

TEST_CASE("calibration: bin edges, clamps and the NLL floor") {
  CHECK(calibration_bin(confidence_micro(0.0)) == 0);
  CHECK(calibration_bin(confidence_micro(1.0)) == 14);      // closed last bin
  CHECK(calibration_bin(confidence_micro(1.0 / 15)) == 1);  // left-closed bins
  CHECK(calibration_bin(confidence_micro(1.0 / 15 - 1e-5)) == 0);
  CHECK(confidence_micro(1.7) == kConfidenceMicro);
  CHECK(confidence_micro(-0.2) == 0);
  CalibrationCounts sure_wrong;
  sure_wrong.add(1.0, false);  // q = max(0, 1e-12) / 1
  CHECK(nll(sure_wrong, 2) == doctest::Approx(-std::log(1e-12)));
  CalibrationCounts none;
  CHECK(ece(none) == 0);
  CHECK(brier(none) == 0);
}

TEST_CASE("calibration: pooled counts equal the counts of the joined stream") {
  CalibrationCounts a, b, joined;
  a.add(0.7, true);
  a.add(0.95, false);
  b.add(0.3, false);
  joined.add(0.7, true);
  joined.add(0.95, false);
  joined.add(0.3, false);
  a += b;
  CHECK(ece(a) == doctest::Approx(ece(joined)));
  CHECK(brier(a) == doctest::Approx(brier(joined)));
  CHECK(nll(a, 4) == doctest::Approx(nll(joined, 4)));
}

TEST_CASE("windowed ECE covers only the last W predictions") {
  WindowedCalibration w(2);
  CHECK(w.ece() == 0);
  w.add(0.9, true);
  w.add(0.9, false);
  CHECK(w.ece() == doctest::Approx(0.4));  // one bin: |0.5 − 0.9|
  w.add(0.6, true);
  w.add(0.2, false);
  // Window = {(0.6, right), (0.2, wrong)}: (0.4 + 0.2) / 2.
  CHECK(w.ece() == doctest::Approx(0.3));
  CHECK(w.bins().total() == 2);
}

TEST_CASE("calibration phases follow the recovery analysis") {
  std::vector<DriftOutcome> drifts(2);
  drifts[0].start_s = 100;
  drifts[1].start_s = 300;
  PhasedCalibration p;
  p.add(50, 0.9, true, drifts);
  p.add(100, 0.9, true, drifts);  // at the start: still before it
  p.add(150, 0.8, false, drifts);
  // The tick at 200 sees the drift recovered (observe_recovery sets these).
  drifts[0].has_baseline = drifts[0].observed_after = drifts[0].hurt = drifts[0].recovered = true;
  drifts[0].recovery_s = 100;
  p.add(250, 0.7, true, drifts);
  p.add(350, 0.6, false, drifts);  // drift 1: pending, not yet resolved
  auto ph = p.phases(drifts);
  CHECK(ph[0].n == 2);
  CHECK(ph[1].n == 2);  // 150 (drift 0 before recovery) + 350 (drift 1 unscored → transient)
  CHECK(ph[2].n == 1);
  CHECK(ph[2].correct == 1);
  // Drift 1 turns out not degraded: its span is post-recovery.
  drifts[1].has_baseline = drifts[1].observed_after = true;
  ph = p.phases(drifts);
  CHECK(ph[1].n == 1);
  CHECK(ph[2].n == 2);
}

TEST_CASE("tail risk: percentile, worst window, CVaR and time below the service level") {
  const std::vector<double> a = {0.9, 0.8, 0.5, 0.95, 0.7};
  // 5th percentile of 5 values: rank ⌈0.25⌉ = 1, the smallest.
  CHECK(*lower_quantile(a, 0.05) == doctest::Approx(0.5));
  CHECK(*lower_quantile(a, 0.5) == doctest::Approx(0.8));  // rank ⌈2.5⌉ = 3
  // Losses 0.5, 0.3, 0.2, 0.1, 0.05 (descending).
  CHECK(*cvar({0.1, 0.2, 0.5, 0.05, 0.3}, 0.05) == doctest::Approx(0.5));  // m = 0.25
  CHECK(*cvar({0.1, 0.2, 0.5, 0.05, 0.3}, 0.3) ==
        doctest::Approx((0.5 + 0.5 * 0.3) / 1.5));  // m = 1.5
  CHECK(*cvar({0.1, 0.2, 0.5, 0.05, 0.3}, 0.4) == doctest::Approx((0.5 + 0.3) / 2));
  CHECK(*cvar({0.1, 0.2, 0.5, 0.05, 0.3}, 1.0) == doctest::Approx(1.15 / 5));
  CHECK(!cvar({}, 0.05));
  const TailRisk t = tail_risk(a, 60, 0.8);
  CHECK(t.windows == 5);
  CHECK(t.p5 == doctest::Approx(0.5));
  CHECK(t.worst == doctest::Approx(0.5));
  CHECK(t.cvar == doctest::Approx(0.5));
  CHECK(t.time_below_s == doctest::Approx(120));  // 0.5 and 0.7; 0.8 is not below
  // 20 values: the 5th percentile is the smallest, not the second (p·n = 1 exactly).
  std::vector<double> twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back(0.5 + 0.01 * i);
  CHECK(*lower_quantile(twenty, 0.05) == doctest::Approx(0.5));
}

TEST_CASE("continual learning: ACC, BWT and FWT of a hand-computed 3-task matrix") {
  // R[i][j]: accuracy on task j after training through task i; b: untrained model.
  const std::vector<std::vector<double>> r = {{0.8, 0.3, 0.2}, {0.6, 0.9, 0.4}, {0.5, 0.7, 0.95}};
  const std::vector<double> b = {0.1, 0.2, 0.3};
  const ContinualMetrics m = continual_metrics(r, b);
  CHECK(m.average_accuracy == doctest::Approx((0.5 + 0.7 + 0.95) / 3));
  REQUIRE(m.bwt);
  CHECK(*m.bwt == doctest::Approx(((0.5 - 0.8) + (0.7 - 0.9)) / 2));  // −0.25
  REQUIRE(m.fwt);
  CHECK(*m.fwt == doctest::Approx(((0.3 - 0.2) + (0.4 - 0.3)) / 2));  // 0.1
  // One task: no backward or forward transfer.
  const ContinualMetrics one = continual_metrics({{0.7}}, {0.5});
  CHECK(one.average_accuracy == doctest::Approx(0.7));
  CHECK(!one.bwt);
  CHECK_THROWS_AS(continual_metrics({{0.1, 0.2}}, {0.1, 0.2}), std::invalid_argument);
}
