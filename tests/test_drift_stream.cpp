// DriftingStream (MOA ConceptDriftStream semantics), select_devices, LabelPolicy.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "drift/drifting_stream.hpp"
#include "drift/label_policy.hpp"
#include "drift/rng.hpp"

using namespace tinyfleet;

namespace {

StreamSpec sea_stream(double variant = 0, double noise = 0.0, double balance = 0) {
  StreamSpec s;
  s.generator = "sea";
  s.params.numbers = {{"variant", variant}, {"noise", noise}, {"balance", balance}};
  return s;
}

DriftSpec drift(DriftSpec::Kind kind, double at, double width, Params to) {
  DriftSpec d;
  d.kind = kind;
  d.at_s = at;
  d.width_s = width;
  d.to = std::move(to);
  return d;
}

Params num(const std::string& k, double v) {
  Params p;
  p.numbers[k] = v;
  return p;
}

double sigmoid(double t, double p, double w) {
  return 1.0 / (1.0 + std::exp(-4.0 * (t - p) / w));
}

}  // namespace

TEST_CASE("DriftingStream: abrupt drift switches exactly at at_s") {
  DriftingStream s(sea_stream(), {drift(DriftSpec::Kind::Abrupt, 100, 0, num("variant", 3))}, 7);
  CHECK(s.info().features == 3);
  CHECK(s.concepts() == 2);
  for (int i = 0; i < 200; ++i) {
    const double t = i * 0.5;
    CHECK(s.next(t).concept_id == (t >= 100 ? 1 : 0));
  }
  DriftingStream e(sea_stream(), {drift(DriftSpec::Kind::Abrupt, 100, 0, num("variant", 3))}, 7);
  CHECK(e.next(std::nextafter(100.0, 0.0)).concept_id == 0);
  CHECK(e.next(100.0).concept_id == 1);
  CHECK(e.concept_at(99.99) == 0);
  CHECK(e.concept_at(100) == 1);
}

TEST_CASE(
    "DriftingStream: concepts overlay params cumulatively; generators advance only when sampled") {
  const uint64_t seed = 42;
  // Drift 1 changes the function to θ = 7; drift 2 turns on balancing and
  // must keep θ = 7. Given unsorted on purpose.
  std::vector<DriftSpec> ds = {drift(DriftSpec::Kind::Abrupt, 20, 0, num("balance", 1)),
                               drift(DriftSpec::Kind::Abrupt, 10, 0, num("variant", 2))};
  DriftingStream s(sea_stream(), ds, seed);
  CHECK(s.change_points()[0].start_s == 10);
  Params p0 = sea_stream().params;
  Params p1 = p0, p2 = p0;
  p1.numbers["variant"] = 2;
  p2.numbers["variant"] = 2;
  p2.numbers["balance"] = 1;
  auto g0 = make_generator("sea", p0, derive_seed(seed, 0, seed_purpose::kConcept));
  auto g1 = make_generator("sea", p1, derive_seed(seed, 1, seed_purpose::kConcept));
  auto g2 = make_generator("sea", p2, derive_seed(seed, 2, seed_purpose::kConcept));
  Generator* gs[] = {g0.get(), g1.get(), g2.get()};
  float x[3];
  int balance_expect = 1;
  for (int t = 0; t < 60; ++t) {
    const Sample smp = s.next(t);
    REQUIRE(smp.concept_id == s.concept_at(t));
    // Each concept's stream continues from where it was: compare with a private copy.
    const int y = gs[smp.concept_id]->next(x);
    REQUIRE(smp.y == y);
    REQUIRE(smp.x[0] == x[0]);
    REQUIRE(smp.x[1] == x[1]);
    REQUIRE(smp.x[2] == x[2]);
    if (smp.concept_id >= 1) {
      const double sum = double(smp.x[0]) + double(smp.x[1]);
      if (std::abs(sum - 7) > 1e-4) CHECK(smp.y == (sum <= 7 ? 0 : 1));
    }
    if (smp.concept_id == 2) {
      CHECK(smp.y == balance_expect);
      balance_expect = 1 - balance_expect;
    }
  }
}

TEST_CASE("DriftingStream: gradual drift follows MOA's sigmoid (statistical)") {
  const double at = 5000, width = 1000;
  // Windows of 200 s (1 sample/s) around the centre; 25 seeds → 5000 draws
  // per window; tolerance 0.03 ≈ 4.5 binomial standard deviations.
  const double starts[] = {3500, 4300, 4700, 4900, 5100, 5500, 6300};
  std::vector<double> got(std::size(starts), 0), want(std::size(starts), 0);
  const int seeds = 25;
  for (int sd = 0; sd < seeds; ++sd) {
    DriftingStream s(sea_stream(), {drift(DriftSpec::Kind::Gradual, at, width, num("variant", 1))},
                     1000 + sd);
    std::size_t w = 0;
    for (int t = 0; t < 7000; ++t) {
      const int c = s.next(t).concept_id;
      if (w < std::size(starts) && t >= starts[w] + 200) ++w;
      if (w < std::size(starts) && t >= starts[w]) got[w] += c;
    }
  }
  for (std::size_t w = 0; w < std::size(starts); ++w) {
    for (int t = int(starts[w]); t < int(starts[w]) + 200; ++t) want[w] += sigmoid(t, at, width);
    const double frac = got[w] / (200.0 * seeds), p = want[w] / 200.0;
    INFO("window ", starts[w], ": got ", frac, " want ", p);
    CHECK(std::abs(frac - p) < 0.03);
  }
  // Nominal concept ignores the randomness.
  DriftingStream s(sea_stream(), {drift(DriftSpec::Kind::Gradual, at, width, num("variant", 1))},
                   1);
  CHECK(s.concept_at(4999) == 0);
  CHECK(s.concept_at(5000) == 1);
  CHECK_THROWS_AS(
      DriftingStream(sea_stream(), {drift(DriftSpec::Kind::Gradual, at, 0, num("variant", 1))}, 1),
      std::invalid_argument);
}

TEST_CASE("DriftingStream: gradual then abrupt nest like MOA (later drift outermost)") {
  std::vector<DriftSpec> ds = {drift(DriftSpec::Kind::Gradual, 100, 40, num("variant", 1)),
                               drift(DriftSpec::Kind::Abrupt, 300, 0, num("variant", 2))};
  DriftingStream s(sea_stream(), ds, 5);
  int mixed = 0;
  for (int t = 0; t < 400; ++t) {
    const int c = s.next(t).concept_id;
    if (t < 30) CHECK(c == 0);               // P(new) < 0.001
    if (t >= 170 && t < 300) CHECK(c == 1);  // P(new) > 0.999
    if (t >= 300) CHECK(c == 2);
    if (t >= 90 && t < 110) mixed += c;
  }
  CHECK(mixed > 0);
  CHECK(mixed < 20);
}

TEST_CASE("DriftingStream: determinism") {
  auto make = [](uint64_t seed) {
    return DriftingStream(sea_stream(0, 0.1),
                          {drift(DriftSpec::Kind::Gradual, 50, 30, num("variant", 3))}, seed);
  };
  DriftingStream a = make(3), b = make(3), c = make(4);
  int differ = 0;
  for (int t = 0; t < 200; ++t) {
    const Sample sa = a.next(t), sb = b.next(t), sc = c.next(t);
    REQUIRE(sa.y == sb.y);
    REQUIRE(sa.concept_id == sb.concept_id);
    REQUIRE(sa.x[0] == sb.x[0]);
    REQUIRE(sa.x[2] == sb.x[2]);
    if (sa.x[0] != sc.x[0]) ++differ;
  }
  CHECK(differ > 190);
}

TEST_CASE("select_devices") {
  DeviceSelector all;
  CHECK(select_devices(all, 5, 1) == std::vector<bool>(5, true));

  DeviceSelector frac;
  frac.kind = DeviceSelector::Kind::Fraction;
  auto count = [](const std::vector<bool>& v) { return std::count(v.begin(), v.end(), true); };
  for (auto [f, n, k] : {std::tuple{0.4, 10, 4},
                         {0.01, 10, 1},
                         {1.0, 7, 7},
                         {0.5, 3, 2},
                         {0.25, 1000, 250},
                         {0.05, 1, 1}}) {
    frac.fraction = f;
    for (uint64_t seed = 0; seed < 20; ++seed) CHECK(count(select_devices(frac, n, seed)) == k);
  }
  frac.fraction = 0.5;
  CHECK(select_devices(frac, 100, 9) == select_devices(frac, 100, 9));
  CHECK(select_devices(frac, 100, 9) != select_devices(frac, 100, 10));
  // Every device is equally likely to be picked.
  frac.fraction = 0.3;
  std::vector<int> hits(10, 0);
  for (uint64_t seed = 0; seed < 5000; ++seed) {
    auto v = select_devices(frac, 10, derive_seed(seed, 0, seed_purpose::kDeviceSelection));
    for (int i = 0; i < 10; ++i) hits[i] += v[i];
  }
  for (int h : hits) CHECK(h == doctest::Approx(1500).epsilon(0.1));

  DeviceSelector list;
  list.kind = DeviceSelector::Kind::List;
  list.indices = {0, 3};
  CHECK(select_devices(list, 4, 1) == std::vector<bool>{true, false, false, true});
  list.indices = {4};
  CHECK_THROWS_AS(select_devices(list, 4, 1), std::invalid_argument);
}

TEST_CASE("LabelPolicy: fraction and delay") {
  LabelSpec spec;
  spec.fraction = 0.3;
  spec.delay_s = 12.5;
  LabelPolicy p(spec, 77), q(spec, 77);
  const int n = 100000;
  int labelled = 0;
  for (int i = 0; i < n; ++i) {
    const auto a = p.arrival_time(i * 2.0);
    REQUIRE(a == q.arrival_time(i * 2.0));  // deterministic
    if (a) {
      ++labelled;
      REQUIRE(*a == i * 2.0 + 12.5);
    }
  }
  CHECK(double(labelled) / n == doctest::Approx(0.3).epsilon(0.02));

  LabelSpec none;
  none.fraction = 0;
  LabelPolicy z(none, 1);
  LabelSpec every;
  LabelPolicy o(every, 1);  // fraction 1, delay 0
  for (int i = 0; i < 1000; ++i) {
    CHECK_FALSE(z.arrival_time(i).has_value());
    CHECK(o.arrival_time(i) == std::optional<double>(i));
  }
  LabelSpec bad;
  bad.fraction = 1.5;
  CHECK_THROWS_AS(LabelPolicy(bad, 1), std::invalid_argument);
}
