// Incremental, recurring and prior (class-imbalance) drifts; label budget and
// random delay.
#include <doctest/doctest.h>

#include <cmath>

#include "drift/drifting_stream.hpp"
#include "drift/label_policy.hpp"
#include "scenarios/loader.hpp"
#include "support/small_scenario.hpp"

using namespace tinyfleet;

namespace {
StreamSpec sea_stream() {
  StreamSpec s;
  s.generator = "sea";
  s.params = default_params(testing::component(generator_catalog(), "sea").params);
  s.params.numbers["noise"] = 0.0;
  return s;
}
DriftSpec to_variant(DriftSpec::Kind kind, double at, int variant) {
  DriftSpec d;
  d.kind = kind;
  d.at_s = at;
  d.to.numbers["variant"] = variant;
  return d;
}
}  // namespace

TEST_CASE("incremental drift steps the parameters linearly over its width") {
  DriftSpec d = to_variant(DriftSpec::Kind::Incremental, 100, 3);
  d.width_s = 30;
  d.steps = 3;
  DriftingStream s(sea_stream(), {d}, 1);
  CHECK(s.concepts() == 4);  // variants 0, 1, 2, 3
  CHECK(s.concept_at(99) == 0);
  CHECK(s.concept_at(109.9) == 0);
  CHECK(s.concept_at(110) == 1);
  CHECK(s.concept_at(120) == 2);
  CHECK(s.concept_at(130) == 3);
  REQUIRE(s.change_points().size() == 1);
  CHECK(s.change_points()[0].start_s == 100);
  // Variant 3 (x1 + x2 <= 9.5 is class 0) holds after the ramp, with no noise.
  for (int i = 0; i < 500; ++i) {
    const Sample smp = s.next(200 + i);
    CHECK(smp.y == (smp.x[0] + smp.x[1] <= 9.5f ? 0 : 1));
  }
}

TEST_CASE("recurring drift alternates between two concepts that keep their own streams") {
  DriftSpec d = to_variant(DriftSpec::Kind::Recurring, 100, 2);
  d.period_s = 50;
  d.repeat = 4;
  DriftingStream s(sea_stream(), {d}, 1);
  CHECK(s.concepts() == 2);
  CHECK(s.concept_at(99) == 0);
  CHECK(s.concept_at(100) == 1);
  CHECK(s.concept_at(150) == 0);
  CHECK(s.concept_at(200) == 1);
  CHECK(s.concept_at(250) == 0);
  CHECK(s.concept_at(1000) == 0);
  CHECK(s.change_points().size() == 4);
  CHECK(s.change_points()[3].start_s == 250);
}

TEST_CASE("class priors make a 1 % minority, and a prior drift changes it") {
  StreamSpec spec = sea_stream();
  spec.priors = {0.99, 0.01};
  DriftSpec d;
  d.at_s = 100000;
  d.priors = {0.5, 0.5};
  DriftingStream s(spec, {d}, 3);
  int minority = 0;
  for (int i = 0; i < 100000; ++i) minority += s.next(i).y == 1;
  CHECK(minority == doctest::Approx(1000).epsilon(0.1));
  int after = 0;
  for (int i = 0; i < 10000; ++i) after += s.next(100000 + i).y == 1;
  CHECK(after == doctest::Approx(5000).epsilon(0.05));
  // Labels still follow the concept: SEA variant 0 is class 0 iff x1 + x2 <= 8.
  const Sample smp = s.next(200000);
  CHECK(smp.y == (smp.x[0] + smp.x[1] <= 8.0f ? 0 : 1));
}

TEST_CASE("priors must fit the stream's classes") {
  StreamSpec spec = sea_stream();
  spec.priors = {0.2, 0.3, 0.5};
  CHECK_THROWS_AS(DriftingStream(spec, {}, 1), std::invalid_argument);
}

TEST_CASE("label budget: at most N labels per window; random delay within its range") {
  LabelSpec spec;
  spec.fraction = 1.0;
  spec.delay_s = 10;
  spec.delay_jitter_s = 5;
  spec.budget = 7;
  spec.budget_window_s = 100;
  LabelPolicy policy(spec, 9);
  int granted_first_window = 0, granted_second = 0;
  for (int t = 0; t < 200; ++t) {
    const auto arrival = policy.arrival_time(t);
    if (!arrival) continue;
    CHECK(*arrival >= t + 10);
    CHECK(*arrival < t + 15);
    (t < 100 ? granted_first_window : granted_second) += 1;
  }
  CHECK(granted_first_window == 7);
  CHECK(granted_second == 7);
  CHECK(policy.refused_by_budget() == 186);
}

TEST_CASE("the loader reads the drift kinds, priors and label budgets") {
  const std::string yaml = R"(name: kinds
duration: 4h
fleet:
  - group: g
    count: 4
    device: nrf52840
    stream: {generator: sea, priors: [0.9, 0.1]}
    drift:
      - {at: 1h, kind: incremental, width: 30m, steps: 5, to: {variant: 3}}
      - {at: 2h, kind: recurring, period: 20m, to: {variant: 1}, jitter: 5m}
      - {at: 3h, priors: [0.5, 0.5]}
    labels: {fraction: 0.1, delay: 1m, delay_jitter: 30s, budget: 20, budget_window: 1h}
    learner: {kind: knn}
)";
  const Scenario sc = parse_scenario(yaml, "kinds.yaml", default_schema_catalog());
  const auto& g = sc.groups.at(0);
  CHECK(g.stream.priors == std::vector<double>{0.9, 0.1});
  REQUIRE(g.drifts.size() == 3);
  CHECK(g.drifts[0].kind == DriftSpec::Kind::Incremental);
  CHECK(g.drifts[0].steps == 5);
  CHECK(g.drifts[1].kind == DriftSpec::Kind::Recurring);
  CHECK(g.drifts[1].repeat == 7);  // 2h, 2h20, ..., 4h
  CHECK(g.drifts[1].jitter_s == 300);
  CHECK(g.drifts[2].to.numbers.empty());
  CHECK(g.drifts[2].priors == std::vector<double>{0.5, 0.5});
  CHECK(g.labels.budget == 20);
  CHECK(g.labels.delay_jitter_s == 30);

  auto error_of = [](const std::string& text) {
    try {
      parse_scenario(text, "bad.yaml", default_schema_catalog());
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string head =
      "name: b\nduration: 2h\nfleet:\n  - group: g\n    device: nrf52840\n    stream: {generator: "
      "sea}\n    learner: {kind: knn}\n    drift:\n";
  CHECK(error_of(head + "      - {at: 1h, steps: 3, to: {variant: 1}}\n")
            .find("bad.yaml:9:18: drift[0].steps: only an incremental drift takes 'steps'") == 0);
  CHECK(error_of(head + "      - {at: 1h, kind: recurring, to: {variant: 1}}\n")
            .find("missing required key 'period'") != std::string::npos);
  CHECK(error_of(head + "      - {at: 1h, priors: [0.5, 0.6]}\n")
            .find("class priors must sum to 1, they sum to 1.1") != std::string::npos);
}

TEST_CASE("active learning: a label is asked for only when the learner is uncertain enough") {
  LabelSpec spec;
  spec.fraction = 1.0;
  spec.query_uncertainty = 0.4;
  LabelPolicy policy(spec, 5);
  CHECK_FALSE(policy.arrival_time(0, 0.0));
  CHECK_FALSE(policy.arrival_time(1, 0.39));
  CHECK(policy.arrival_time(2, 0.4));
  CHECK(policy.arrival_time(3, 1.0));
  CHECK(policy.not_asked() == 2);
  // Passive (threshold 0): the uncertainty does not matter.
  LabelPolicy passive(LabelSpec{}, 5);
  CHECK(passive.arrival_time(0, 0.0));
}
