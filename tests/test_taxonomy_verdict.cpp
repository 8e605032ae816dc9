// The taxonomy verdicts' statistics (analysis/mean_difference.hpp,
// analysis/taxonomy_verdict.hpp): Student's t quantile against table values,
// paired / Welch / one-sample intervals computed by hand, and the rule that
// turns an interval into held / did not hold / inconclusive.
#include <doctest/doctest.h>

#include <string>

#include "analysis/mean_difference.hpp"
#include "analysis/taxonomy_verdict.hpp"

using namespace tinyfleet;

namespace {

// One experiment of one metric (1 decimal) and one expectation `a op b`.
TaxonomyExperiment experiment(const std::string& op, double within = 0) {
  TaxonomyExperiment x;
  x.id = "E0";
  TaxonomyMetric m;
  m.name = "A";
  m.digits = 1;
  x.metrics = {m};
  TaxonomyExpectation e;
  e.claim = "a vs b";
  e.left.row = "a";
  e.left.metric = "A";
  e.right.row = "b";
  e.right.metric = "A";
  e.op = op;
  e.within = within;
  x.expectations = {e};
  return x;
}

struct Row {
  std::string name;
  std::vector<double> values;
  std::vector<long long> seeds;  // empty: the sweep had no seed axis
  std::size_t points = 0;        // 0: as many as values
};

TaxonomyTable table(const std::vector<Row>& rows) {
  TaxonomyTable t;
  t.sections = {""};
  for (const auto& r : rows) {
    t.rows.push_back(r.name);
    TaxonomyCell c;
    c.values = r.values;
    c.seeds = r.seeds;
    c.points = r.points ? r.points : r.values.size();
    t.cells[{"", r.name}] = {c};
  }
  return t;
}

TaxonomyVerdict judge(const TaxonomyExperiment& x, const std::vector<Row>& rows) {
  const auto v = judge_expectations(x, table(rows));
  REQUIRE(v.size() == 1);
  return v[0];
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("verdict statistics: the t quantile matches the printed table (two-sided 95 %)") {
  // t_{0.975}(df) of the usual tables (df = 4: 2.776), to five decimals.
  CHECK(student_t_quantile(0.975, 1) == doctest::Approx(12.7062).epsilon(1e-5));
  CHECK(student_t_quantile(0.975, 2) == doctest::Approx(4.30265).epsilon(1e-5));
  CHECK(student_t_quantile(0.975, 3) == doctest::Approx(3.18245).epsilon(1e-5));
  CHECK(student_t_quantile(0.975, 4) == doctest::Approx(2.77645).epsilon(1e-5));
  CHECK(student_t_quantile(0.975, 10) == doctest::Approx(2.22814).epsilon(1e-5));
  CHECK(student_t_quantile(0.975, 30) == doctest::Approx(2.04227).epsilon(1e-5));
  CHECK(student_t_quantile(0.025, 4) == doctest::Approx(-2.77645).epsilon(1e-5));
  CHECK_THROWS_AS(student_t_quantile(0.975, 0), std::invalid_argument);
}

TEST_CASE("verdict statistics: paired, Welch and one-sample intervals computed by hand") {
  // d = (2, 1, 2): mean 5/3, sd 1/√3, se 1/3; t(2) = 4.3027 → ±1.4342.
  const auto p = paired_difference({10, 12, 14}, {8, 11, 12}, 0.95);
  CHECK(p.diff == doctest::Approx(5.0 / 3));
  CHECK(p.df == 2);
  CHECK(p.low == doctest::Approx(0.23245).epsilon(1e-4));
  CHECK(p.high == doctest::Approx(3.10088).epsilon(1e-4));
  // Unpaired, the same numbers: var 4 and 13/3 over 3 each, ν = 3.9936 → [−2.964, 6.297].
  const auto w = welch_difference({10, 12, 14}, {8, 11, 12}, 0.95);
  CHECK(w.diff == doctest::Approx(5.0 / 3));
  CHECK(w.df == doctest::Approx(3.99361).epsilon(1e-4));
  CHECK(w.low == doctest::Approx(-2.96366).epsilon(1e-4));
  CHECK(w.high == doctest::Approx(6.29700).epsilon(1e-4));
  // Unequal sizes: (1, 2, 3) vs (5..9): se² = 1/3 + 1/2, ν = 100/17 → −5 ± 2.2446.
  const auto u = welch_difference({1, 2, 3}, {5, 6, 7, 8, 9}, 0.95);
  CHECK(u.df == doctest::Approx(100.0 / 17));
  CHECK(u.low == doctest::Approx(-7.24459).epsilon(1e-4));
  CHECK(u.high == doctest::Approx(-2.75541).epsilon(1e-4));
  // One sample against 50: (89, 90, 91) → 40 ± 4.3027/√3.
  const auto o = one_sample_difference({89, 90, 91}, 50, 0.95);
  CHECK(o.low == doctest::Approx(40 - 4.30265 / std::sqrt(3.0)).epsilon(1e-5));
  // No spread: the point; fewer than two values: no interval.
  const auto z = paired_difference({5, 6, 7}, {4, 5, 6}, 0.95);
  CHECK(z.low == 1);
  CHECK(z.high == 1);
  CHECK(z.df == 0);
  CHECK_THROWS_AS(paired_difference({1}, {2}, 0.95), std::invalid_argument);
  CHECK_THROWS_AS(welch_difference({1, 2}, {2}, 0.95), std::invalid_argument);
}

TEST_CASE("verdicts: paired over shared seeds — held, did not hold, inconclusive") {
  const auto x = experiment(">");
  // The hand case above: CI [0.23, 3.10] > 0. b's seeds come in another order.
  auto v = judge(x, {{"a", {10, 12, 14}, {1, 2, 3}}, {"b", {12, 8, 11}, {3, 1, 2}}});
  CHECK(v.outcome == "held");
  CHECK(v.numbers ==
        "a A 12.0 ± 2.0 (n=3) > b A 10.3 ± 2.1 (n=3); paired t over 3 seeds: difference 1.67, "
        "95 % CI [0.23, 3.10] (df 2)");
  // Reversed: the interval lies below 0.
  v = judge(x, {{"a", {8, 11, 12}, {1, 2, 3}}, {"b", {10, 12, 14}, {1, 2, 3}}});
  CHECK(v.outcome == "did not hold");
  // d = (−1, 1, 2): mean 0.67, CI [−3.13, 4.46] spans 0.
  v = judge(x, {{"a", {10, 12, 14}, {1, 2, 3}}, {"b", {11, 11, 12}, {1, 2, 3}}});
  CHECK(v.outcome == "inconclusive");
  CHECK(has(v.numbers, "95 % CI [-3.13, 4.46]"));
  // Equal on every seed: a difference of exactly 0 is not `>`.
  v = judge(x, {{"a", {5, 5, 5}, {1, 2, 3}}, {"b", {5, 5, 5}, {1, 2, 3}}});
  CHECK(v.outcome == "did not hold");
  CHECK(has(v.numbers, "(no spread)"));
  // … but it is `>=`.
  v = judge(experiment(">="), {{"a", {5, 5, 5}, {1, 2, 3}}, {"b", {5, 5, 5}, {1, 2, 3}}});
  CHECK(v.outcome == "held");
}

TEST_CASE("verdicts: cells that do not share seeds fall back to Welch") {
  const auto x = experiment(">");
  // Without a seed axis the same numbers that held paired are inconclusive.
  auto v = judge(x, {{"a", {10, 12, 14}, {}}, {"b", {8, 11, 12}, {}}});
  CHECK(v.outcome == "inconclusive");
  CHECK(has(v.numbers,
            "Welch t (the cells do not share their seeds): difference 1.67, 95 % CI "
            "[-2.96, 6.30] (df 4.0)"));
  // b has no value on seed 2: Welch, and the cell shows n of the points.
  v = judge(x, {{"a", {89, 90, 91}, {1, 2, 3}}, {"b", {79, 81}, {1, 3}, 3}});
  CHECK(v.outcome == "held");
  CHECK(has(v.numbers, "b A 80.0 ± 1.4 (n=2 of 3)"));
  CHECK(has(v.numbers, "Welch t"));
  // Unequal sizes by hand: a − b = −5, CI [−7.24, −2.76].
  v = judge(x, {{"a", {1, 2, 3}, {1, 2, 3}}, {"b", {5, 6, 7, 8, 9}, {1, 2, 3, 4, 5}}});
  CHECK(v.outcome == "did not hold");
  CHECK(has(v.numbers, "[-7.24, -2.76] (df 5.9)"));
}

TEST_CASE("verdicts: ~ within T decides by the interval against [−T, T]") {
  // d = (1.2, 1, 0.8): CI [0.50, 1.50] inside [−2, 2].
  auto v = judge(experiment("~", 2),
                 {{"a", {80.2, 81, 81.8}, {1, 2, 3}}, {"b", {79, 80, 81}, {1, 2, 3}}});
  CHECK(v.outcome == "held");
  CHECK(has(v.numbers, "(within 2.0); paired t over 3 seeds"));
  // d = (10.2, 10, 9.8): entirely beyond 2.
  v = judge(experiment("~", 2),
            {{"a", {89.2, 90, 90.8}, {1, 2, 3}}, {"b", {79, 80, 81}, {1, 2, 3}}});
  CHECK(v.outcome == "did not hold");
  // d = (1.5, 1, 0.5): CI [−0.24, 2.24] crosses 2.
  v = judge(experiment("~", 2),
            {{"a", {80.5, 81, 81.5}, {1, 2, 3}}, {"b", {79, 80, 81}, {1, 2, 3}}});
  CHECK(v.outcome == "inconclusive");
  CHECK(has(v.numbers, "[-0.24, 2.24]"));
}

TEST_CASE("verdicts: no value, one value, and a number on either side") {
  const auto x = experiment(">");
  auto v = judge(x, {{"a", {90}, {1}}, {"b", {80}, {1}}});
  CHECK(v.outcome == "inconclusive");
  CHECK(has(v.numbers, "a A 90.0 (n=1)"));
  CHECK(has(v.numbers, "one value"));
  v = judge(x, {{"a", {}, {}, 3}, {"b", {79, 80, 81}, {1, 2, 3}}});
  CHECK(v.outcome == "inconclusive");
  CHECK(has(v.numbers, "a A — (0/3)"));
  CHECK(has(v.numbers, "a side has no value"));
  v = judge(x, {{"b", {79, 80, 81}, {1, 2, 3}}});
  CHECK(v.outcome == "inconclusive");

  // a > 88: one-sample CI of a − 88 is 2 ± 2.48 → inconclusive; a > 85 held.
  auto c = experiment(">");
  c.expectations[0].right = TaxonomyOperand{"", "", "", 88.0};
  v = judge(c, {{"a", {89, 90, 91}, {1, 2, 3}}});
  CHECK(v.outcome == "inconclusive");
  CHECK(has(v.numbers, "a A 90.0 ± 1.0 (n=3) > 88.0; one-sample t: difference 2.00"));
  c.expectations[0].right.number = 85;
  CHECK(judge(c, {{"a", {89, 90, 91}, {1, 2, 3}}}).outcome == "held");
  // 95 > a: the number on the left, the interval mirrored ([2.52, 7.48]).
  c.expectations[0].left = TaxonomyOperand{"", "", "", 95.0};
  c.expectations[0].right = TaxonomyOperand{"a", "A", "", std::nullopt};
  v = judge(c, {{"a", {89, 90, 91}, {1, 2, 3}}});
  CHECK(v.outcome == "held");
  CHECK(has(v.numbers,
            "95.0 > a A 90.0 ± 1.0 (n=3); one-sample t: difference 5.00, 95 % CI "
            "[2.52, 7.48] (df 2)"));
}
