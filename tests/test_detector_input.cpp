// What a device's detector watches (learner.detector.input): label-free inputs
// on a device, the per-component feature bank, element-wise ICI, loader errors.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "drift/det_feature_bank.hpp"
#include "drift/det_ici.hpp"
#include "drift/detector.hpp"
#include "scenarios/loader.hpp"
#include "sim/device.hpp"
#include "sim/fleet.hpp"
#include "tests/support/py_random.hpp"

using namespace tinyfleet;
using tinyfleet::test::PyRandom;

namespace {

// Two 4-d Gaussian classes; at 1 h every class mean moves 2.5 σ along axis 1
// (a change of P(x)). `labels` and `detector` are the group's maps.
std::string shift_scenario(const std::string& labels, const std::string& detector) {
  return R"(name: input
seed: 3
duration: 2h
output: {every: 5m, window: 10m, max_delay: 20m}
fleet_detector: {quorum: 1.0, action: log}
fleet:
  - group: g
    count: 2
    device: nrf52840
    stream: {generator: gaussian_mixture, params: {features: 4, classes: 2, separation: 3.0}, rate: 1/s}
    drift: [{at: 1h, kind: abrupt, to: {shift: 2.5}}]
    labels: )" +
         labels + R"(
    learner: {kind: static, k: 3, budget: 64, add: all, warmup: 300, detector: )" +
         detector + "}\n";
}

std::vector<DeviceTotals> run(const std::string& yaml) {
  const Scenario sc = parse_scenario(yaml, "input.yaml", default_schema_catalog());
  std::vector<DeviceTotals> out;
  for (const auto& setup : plan_fleet(sc)) {
    Device d(setup);
    while (d.next_local_time() != kNever || d.next_status_time() != kNever) {
      if (d.next_local_time() <= d.next_status_time())
        d.step();
      else
        (void)d.send_status();
    }
    d.finish();
    out.push_back(d.totals());
  }
  return out;
}

Params defaults_of(const std::string& detector) {
  for (const auto& c : detector_catalog())
    if (c.name == detector) return default_params(c.params);
  throw std::invalid_argument("no detector " + detector);
}

std::string error_of(const std::string& yaml) {
  try {
    parse_scenario(yaml, "input.yaml", default_schema_catalog());
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a detector on features raises on a mean shift with no label at all") {
  for (const char* det :
       {"{kind: loglik, input: features}", "{kind: ici, nu: 1, s0: 400, input: features}"}) {
    CAPTURE(det);
    for (const DeviceTotals& t : run(shift_scenario("{fraction: 0.0}", det))) {
      CHECK(t.labels == 0);
      REQUIRE(t.drifts.size() == 1);
      CHECK(t.drifts[0].detected);
      CHECK(t.drifts[0].delay_s < 600);
      CHECK(t.energy_by_category[static_cast<std::size_t>(EnergyCategory::Detect)] > 0);
    }
  }
  // The same detector on errors sees nothing without labels.
  for (const DeviceTotals& t : run(shift_scenario("{fraction: 0.0}", "{kind: loglik}"))) {
    CHECK(t.alarms == 0);
    CHECK(t.energy_by_category[static_cast<std::size_t>(EnergyCategory::Detect)] == 0);
  }
}

TEST_CASE("a detector on confidence runs on every sample, labels or not") {
  const auto none =
      run(shift_scenario("{fraction: 0.0}", "{kind: page_hinkley, input: confidence}"));
  const auto all =
      run(shift_scenario("{fraction: 1.0}", "{kind: page_hinkley, input: confidence}"));
  REQUIRE(none.size() == all.size());
  // A frozen model's confidences do not depend on labels: the same alarms either way.
  for (std::size_t i = 0; i < none.size(); ++i) {
    CHECK(none[i].alarms == all[i].alarms);
    CHECK(none[i].labels == 0);
    CHECK(all[i].labels > 0);
  }
}

TEST_CASE("input: errors is the default: same history as no input key") {
  const auto a = run(shift_scenario("{fraction: 1.0}", "{kind: page_hinkley}"));
  const auto b = run(shift_scenario("{fraction: 1.0}", "{kind: page_hinkley, input: errors}"));
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].alarms == b[i].alarms);
    CHECK(a[i].energy_j == b[i].energy_j);
    CHECK(a[i].accuracy == b[i].accuracy);
  }
}

TEST_CASE("the feature bank alarms when one component changes, and says which") {
  std::vector<std::unique_ptr<Detector>> copies;
  for (int i = 0; i < 3; ++i)
    copies.push_back(make_detector("page_hinkley", defaults_of("page_hinkley")));
  FeatureBank bank(std::move(copies));
  CHECK(bank.multivariate());
  PyRandom rng(5);
  OpCounter ops;
  int first = -1;
  for (int i = 0; i < 3000 && first < 0; ++i) {
    // Page-Hinkley's threshold (50) is set for 0/1 streams: noise of σ = 0.1.
    const float x[3] = {static_cast<float>(rng.gauss(0, 0.1)),
                        static_cast<float>(rng.gauss(i < 1500 ? 0 : 0.5, 0.1)),
                        static_cast<float>(rng.gauss(2, 0.1))};
    bank.update_vector(x, 3, static_cast<uint64_t>(i), ops);
    if (bank.drift_detected()) first = i;
  }
  CHECK(first >= 1500);
  CHECK(first < 1700);  // PH: about λ / shift = 100 samples, less what its running mean absorbs
  CHECK(bank.change_estimate() >= 1400);
  const float two[2] = {0, 0};
  CHECK_THROWS_AS(bank.update_vector(two, 2, 0, ops), std::invalid_argument);
  // Scalar tests of 0/1 streams (DDM) cannot be made to watch features.
  DetectorSpec ddm{"ddm", defaults_of("ddm"), "features"};
  CHECK_THROWS_AS(make_detector(ddm, 3), std::invalid_argument);
}

// River's doctest stream S1 (streams.md §6): Random(12345), 1000 draws from
// {0, 1}, then 1000 from {4, ..., 7}.
TEST_CASE("element-wise ICI detects the S1 change within a few samples; quiet before it") {
  PyRandom rng(12345);
  auto xs = rng.choices(std::vector<int>{0, 1}, 1000);
  const auto b = rng.choices(std::vector<int>{4, 5, 6, 7}, 1000);
  xs.insert(xs.end(), b.begin(), b.end());
  Ici::Config c;
  c.nu = 1;
  c.s0 = 400;
  Ici ici(c);
  OpCounter ops;
  std::vector<int> alarms;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    ici.update(xs[i], i, ops);
    if (ici.drift_detected()) alarms.push_back(static_cast<int>(i));
  }
  REQUIRE(!alarms.empty());
  CHECK(alarms[0] >= 1000);
  CHECK(alarms[0] <= 1002);  // 4 and more lie far outside a CI around 0.5
  // Window-wise (20 × 20 samples of training): it can only alarm at a window's end.
  Ici window;
  int first = -1;
  for (std::size_t i = 0; i < xs.size() && first < 0; ++i) {
    window.update(xs[i], i, ops);
    if (window.drift_detected()) first = static_cast<int>(i);
  }
  CHECK(first >= alarms[0]);
  CHECK((first + 1) % 20 == 0);
}

TEST_CASE("element-wise ICI: a Gaussian mean shift, and h0 of chi-square(1) deviations") {
  long long element_delay = 0, window_delay = 0;
  for (uint64_t seed : {1u, 2u, 3u, 4u}) {
    CAPTURE(seed);
    Ici::Config c;
    c.nu = 1;
    c.s0 = 400;  // the window-wise default's training samples (nu 20 × S0 20)
    Ici element(c), window;
    OpCounter ops;
    int fe = -1, fw = -1;
    PyRandom rng(seed);
    for (int i = 0; i < 6000 && (fe < 0 || fw < 0); ++i) {
      const double x = rng.gauss(i < 3000 ? 0.0 : 1.0, 1.0);
      if (fe < 0) element.update(x, static_cast<uint64_t>(i), ops);
      if (fw < 0) window.update(x, static_cast<uint64_t>(i), ops);
      if (fe < 0 && element.drift_detected()) fe = i;
      if (fw < 0 && window.drift_detected()) fw = i;
    }
    CHECK(fe >= 3000);
    CHECK(fw >= 3000);
    element_delay += fe - 3000;
    window_delay += fw - 3000;
    CHECK(element.h0() > 0.2f);  // 1/3 in theory (Wilson–Hilferty for chi-square(1))
    CHECK(element.h0() < 0.5f);
  }
  CHECK(element_delay <= window_delay);
}

TEST_CASE("detector.input: loader errors name the place and suggest") {
  const std::string ok = shift_scenario("{fraction: 1.0}", "{kind: loglik, input: features}");
  CHECK(error_of(ok).empty());
  CHECK(error_of(shift_scenario("{fraction: 1.0}", "{kind: loglik, input: feature}")) ==
        "input.yaml:13:102: learner.detector.input: unknown value 'feature' (did you mean "
        "'features'?; known: confidence, errors, features)");
  CHECK(error_of(shift_scenario("{fraction: 1.0}", "{kind: ddm, input: features}")) ==
        "input.yaml:13:99: learner.detector.input: detector 'ddm' cannot watch 'features' "
        "(it takes: errors)");
  CHECK(error_of(shift_scenario("{fraction: 1.0}", "{kind: adwin, input: features}")) ==
        "input.yaml:13:101: learner.detector.input: detector 'adwin' cannot watch 'features' "
        "(it takes: errors, confidence)");
  CHECK(error_of(shift_scenario("{fraction: 1.0}", "{kind: ddm, inptu: errors}"))
            .find("unknown key 'inptu' in detector 'ddm' (did you mean 'input'?)") !=
        std::string::npos);
}
