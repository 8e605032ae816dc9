// MOA-ported generators (drift/gen_*.{hpp,cpp}): concept functions on
// hand-computed instances, consistency of the streamed labels with them,
// attribute ranges, class rates and drift mechanics. Definitions: MOA
// moa.streams.generators.* and streams.md §2.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "drift/gen_agrawal.hpp"
#include "drift/gen_hyperplane.hpp"
#include "drift/gen_led.hpp"
#include "drift/gen_mixed.hpp"
#include "drift/gen_random_rbf.hpp"
#include "drift/gen_sine.hpp"
#include "drift/gen_stagger.hpp"
#include "drift/gen_waveform.hpp"
#include "drift/stream.hpp"

using namespace tinyfleet;

namespace {

const ComponentInfo& spec_of(const std::string& name) {
  for (const auto& c : generator_catalog())
    if (c.name == name) return c;
  throw std::logic_error("no generator " + name);
}

// Defaults of `name` with some values replaced.
Params params_of(const std::string& name, std::map<std::string, double> overrides = {}) {
  Params p = default_params(spec_of(name).params);
  for (const auto& [k, v] : overrides) p.numbers[k] = v;
  return p;
}

// Every value of 10 000 samples inside info().lo/hi. Bounded attributes have
// hard ranges; Gaussian-tailed ones (random_rbf, waveform) a ±6σ quantisation
// range, exceeded with probability 2e-9 per value (fixed seeds here).
void check_ranges(Generator& g, int n = 10000) {
  const StreamInfo& info = g.info();
  REQUIRE(info.lo.size() == static_cast<std::size_t>(info.features));
  REQUIRE(info.hi.size() == static_cast<std::size_t>(info.features));
  std::vector<float> x(static_cast<std::size_t>(info.features));
  for (int i = 0; i < n; ++i) {
    const int y = g.next(x.data());
    REQUIRE(y >= 0);
    REQUIRE(y < info.classes);
    for (int j = 0; j < info.features; ++j) {
      const auto k = static_cast<std::size_t>(j);
      REQUIRE(std::isfinite(x[k]));
      REQUIRE(x[k] >= info.lo[k]);
      REQUIRE(x[k] <= info.hi[k]);
    }
  }
}

// Share of class 1 (or of `cls`) over n samples.
double class_rate(Generator& g, int n, int cls = 1) {
  std::vector<float> x(static_cast<std::size_t>(g.info().features));
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += g.next(x.data()) == cls;
  return double(hits) / n;
}

}  // namespace

TEST_CASE("stagger: concept functions, stream, balance") {
  // f1: small ∧ red; f2: green ∨ circle; f3: medium ∨ large (MOA indices).
  CHECK(StaggerGenerator::label(1, 0, 0, 2) == 1);
  CHECK(StaggerGenerator::label(1, 0, 1, 0) == 0);
  CHECK(StaggerGenerator::label(1, 1, 0, 0) == 0);
  CHECK(StaggerGenerator::label(2, 0, 2, 1) == 1);
  CHECK(StaggerGenerator::label(2, 2, 1, 0) == 1);
  CHECK(StaggerGenerator::label(2, 0, 0, 1) == 0);
  CHECK(StaggerGenerator::label(3, 1, 0, 1) == 1);
  CHECK(StaggerGenerator::label(3, 2, 2, 2) == 1);
  CHECK(StaggerGenerator::label(3, 0, 2, 0) == 0);
  for (int f = 1; f <= 3; ++f) {
    auto g = make_generator("stagger", params_of("stagger", {{"function", f}}), 5);
    float x[3];
    for (int i = 0; i < 2000; ++i) {
      const int y = g->next(x);
      REQUIRE(x[0] == std::floor(x[0]));
      REQUIRE(y == StaggerGenerator::label(f, int(x[0]), int(x[1]), int(x[2])));
    }
    check_ranges(*g);
  }
  // P(small ∧ red) = 1/9; P(green ∨ circle) = 5/9; P(medium ∨ large) = 2/3.
  auto f1 = make_generator("stagger", params_of("stagger"), 2);
  CHECK(class_rate(*f1, 40000) == doctest::Approx(1.0 / 9).epsilon(0.05));
  auto f2 = make_generator("stagger", params_of("stagger", {{"function", 2}}), 2);
  CHECK(class_rate(*f2, 40000) == doctest::Approx(5.0 / 9).epsilon(0.03));
  auto bal = make_generator("stagger", params_of("stagger", {{"balance", 1}}), 1);
  float x[3];
  for (int i = 0; i < 100; ++i) CHECK(bal->next(x) == (i % 2 == 0 ? 1 : 0));
}

TEST_CASE("hyperplane: label rule, noise rate, per-sample incremental drift") {
  // No noise, no drift: label = [Σ w x >= ½ Σ w] with the generator's weights.
  HyperplaneGenerator g(10, 2, 0.0, 0, 10, 3);
  const std::vector<double> w0 = g.weights();
  float x[10];
  int ones = 0;
  for (int i = 0; i < 5000; ++i) {
    const int y = g.next(x);
    double s = 0, sw = 0;
    for (int j = 0; j < 10; ++j) s += w0[std::size_t(j)] * x[j], sw += w0[std::size_t(j)];
    if (std::abs(s - 0.5 * sw) > 1e-5) REQUIRE(y == (s >= 0.5 * sw ? 1 : 0));
    ones += y;
  }
  CHECK(g.weights() == w0);  // t = 0: weights never move
  CHECK(double(ones) / 5000 == doctest::Approx(0.5).epsilon(0.1));
  // noise 5 % (default): share of labels disagreeing with the rule.
  auto noisy = make_generator("hyperplane", params_of("hyperplane"), 8);
  auto* hp = dynamic_cast<HyperplaneGenerator*>(noisy.get());
  REQUIRE(hp != nullptr);
  const std::vector<double> w = hp->weights();
  int flipped = 0;
  const int n = 40000;
  for (int i = 0; i < n; ++i) {
    const int y = noisy->next(x);
    double s = 0, sw = 0;
    for (int j = 0; j < 10; ++j) s += w[std::size_t(j)] * x[j], sw += w[std::size_t(j)];
    flipped += y != (s >= 0.5 * sw ? 1 : 0);
  }
  CHECK(double(flipped) / n == doctest::Approx(0.05).epsilon(0.1));
  // t = 0.01, sigma 0: the first k = 2 weights grow by t per sample, the others stay.
  HyperplaneGenerator drift(10, 2, 0.01, 0, 0, 3);
  const std::vector<double> before = drift.weights();
  for (int i = 0; i < 100; ++i) drift.next(x);
  CHECK(drift.weights()[0] == doctest::Approx(before[0] + 1.0));
  CHECK(drift.weights()[1] == doctest::Approx(before[1] + 1.0));
  CHECK(drift.weights()[2] == before[2]);
  CHECK_THROWS_AS(HyperplaneGenerator(3, 4, 0, 0, 0, 1), std::invalid_argument);
  check_ranges(*make_generator("hyperplane", params_of("hyperplane", {{"mag_change", 0.001}}), 4));
}

TEST_CASE("random_rbf: model seed vs stream seed, labels, drift") {
  RandomRbfConfig c;
  RandomRbfGenerator a(c, 1), b(c, 2);
  // Same model seed → same centroids whatever the stream seed.
  for (int j = 0; j < 10; ++j) CHECK(a.centre(7)[j] == b.centre(7)[j]);
  RandomRbfConfig c2 = c;
  c2.model_seed = 2;
  RandomRbfGenerator other(c2, 1);
  CHECK(other.centre(0)[0] != a.centre(0)[0]);
  // Different stream seeds → different samples.
  float xa[10], xb[10];
  a.next(xa);
  b.next(xb);
  CHECK(xa[0] != xb[0]);
  auto g = make_generator("random_rbf", params_of("random_rbf", {{"classes", 4}}), 6);
  const double r0 = class_rate(*g, 20000, 0), r3 = class_rate(*g, 20000, 3);
  CHECK(r0 > 0.02);  // every class owns some centroids (seed 1 model, 50 centroids)
  CHECK(r3 > 0.02);
  check_ranges(*make_generator("random_rbf", params_of("random_rbf"), 3));

  // Drift: centres move along their unit speed vector and stay in [0, 1].
  RandomRbfConfig d = c;
  d.speed = 0.01;
  d.drift_centroids = 5;
  RandomRbfGenerator moving(d, 1);
  RandomRbfGenerator still(c, 1);
  float x[10];
  for (int i = 0; i < 1000; ++i) moving.next(x);
  bool moved = false;
  for (int k = 0; k < 50; ++k)
    for (int j = 0; j < 10; ++j) {
      const double v = moving.centre(k)[j];
      REQUIRE(v >= 0.0);
      REQUIRE(v <= 1.0);
      if (k >= 5) REQUIRE(v == still.centre(k)[j]);  // only the first k drift
      if (k < 5 && v != still.centre(k)[j]) moved = true;
    }
  CHECK(moved);
  // speed 0: the drift variant is the plain stream (no extra draws).
  auto p0 = make_generator("random_rbf_drift", params_of("random_rbf_drift"), 9);
  auto p1 = make_generator("random_rbf", params_of("random_rbf"), 9);
  for (int i = 0; i < 200; ++i) {
    REQUIRE(p0->next(xa) == p1->next(xb));
    for (int j = 0; j < 10; ++j) REQUIRE(xa[j] == xb[j]);
  }
  check_ranges(
      *make_generator("random_rbf_drift", params_of("random_rbf_drift", {{"speed", 0.001}}), 2));
}

TEST_CASE("agrawal: loan functions on hand-computed records") {
  using R = AgrawalGenerator::Record;
  R r{60000, 20000, 30, 2, 0, 0, 400000, 10, 250000};
  // f1: class 0 iff age < 40 or age >= 60.
  r.age = 39;
  CHECK(AgrawalGenerator::label(1, r) == 0);
  r.age = 40;
  CHECK(AgrawalGenerator::label(1, r) == 1);
  r.age = 59;
  CHECK(AgrawalGenerator::label(1, r) == 1);
  r.age = 60;
  CHECK(AgrawalGenerator::label(1, r) == 0);
  // f2: age < 40 → 0 iff 50k <= salary <= 100k (inclusive).
  r.age = 30;
  r.salary = 50000;
  CHECK(AgrawalGenerator::label(2, r) == 0);
  r.salary = 100001;
  CHECK(AgrawalGenerator::label(2, r) == 1);
  // f3: 40 <= age < 60 → 0 iff elevel in {1,2,3}.
  r.age = 45;
  r.elevel = 0;
  CHECK(AgrawalGenerator::label(3, r) == 1);
  r.elevel = 3;
  CHECK(AgrawalGenerator::label(3, r) == 0);
  // f5 tests loan (MOA; River tests salary): age 30, salary 60k → 0 iff 100k <= loan <= 300k.
  r.age = 30;
  r.salary = 60000;
  r.loan = 250000;
  CHECK(AgrawalGenerator::label(5, r) == 0);
  r.loan = 350000;
  CHECK(AgrawalGenerator::label(5, r) == 1);
  // f7: 2/3·(salary + commission) − loan/5 − 20000 > 0 → 0. (60k+20k)·2/3 = 53333; −50000 − 20000 <
  // 0.
  r.loan = 250000;
  CHECK(AgrawalGenerator::label(7, r) == 1);
  r.loan = 100000;  // 53333 − 20000 − 20000 > 0
  CHECK(AgrawalGenerator::label(7, r) == 0);
  // f10: equity = hvalue·(hyears − 20)/10 if hyears >= 20: 400000·10/10 = 400000; /5 = 80000.
  r.hyears = 30;
  r.elevel = 4;  // 53333 − 20000 + 80000 − 10000 > 0
  CHECK(AgrawalGenerator::label(10, r) == 0);
  r.salary = 20000;
  r.commission = 10000;
  r.hyears = 10;  // 20000 − 20000 + 0 − 10000 < 0
  CHECK(AgrawalGenerator::label(10, r) == 1);
}

TEST_CASE("agrawal: stream draws, ranges, perturbation, balance") {
  float x[9];
  for (int f = 1; f <= 10; ++f) {
    auto g = make_generator("agrawal", params_of("agrawal", {{"function", f}, {"perturb", 0}}), 4);
    for (int i = 0; i < 2000; ++i) {
      const int y = g->next(x);
      // Without perturbation the features are exactly the record the label was computed on.
      AgrawalGenerator::Record r{x[0],      x[1], int(x[2]), int(x[3]), int(x[4]),
                                 int(x[5]), x[6], int(x[7]), x[8]};
      if (f == 1) REQUIRE(y == ((r.age < 40 || r.age >= 60) ? 0 : 1));
      // The float rounding of salary etc. only matters right at a boundary: skip those.
      if (f != 1 && f != 3) continue;
      REQUIRE(y == AgrawalGenerator::label(f, r));
      REQUIRE((x[1] == 0) == (x[0] >= 75000));  // commission only below 75k
      REQUIRE(x[6] >= (9 - x[5]) * 50000.0f * 0.999f);
      REQUIRE(x[6] <= (9 - x[5]) * 150000.0f * 1.001f);
    }
    check_ranges(*g);
    check_ranges(*make_generator("agrawal", params_of("agrawal", {{"function", f}}), 4));
  }
  // Default perturbation 5 %: MOA clips hvalue to [0, 135000].
  auto p = make_generator("agrawal", params_of("agrawal"), 1);
  for (int i = 0; i < 1000; ++i) {
    p->next(x);
    REQUIRE(x[6] <= 135000.0f);
    REQUIRE(x[2] == std::floor(x[2]));  // age stays an integer
  }
  // f1 class-1 rate = P(40 <= age < 60) = 20/61.
  auto f1 = make_generator("agrawal", params_of("agrawal"), 12);
  CHECK(class_rate(*f1, 40000) == doctest::Approx(20.0 / 61).epsilon(0.03));
  auto bal = make_generator("agrawal", params_of("agrawal", {{"balance", 1}}), 1);
  for (int i = 0; i < 100; ++i) CHECK(bal->next(x) == (i % 2 == 0 ? 1 : 0));
}

TEST_CASE("led / led_drift: segments, noise rate, attribute swap") {
  float x[24];
  auto clean = make_generator("led", params_of("led", {{"noise", 0}}), 3);
  REQUIRE(clean->info().features == 24);
  REQUIRE(clean->info().classes == 10);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 20000; ++i) {
    const int y = clean->next(x);
    ++counts[std::size_t(y)];
    for (int s = 0; s < 7; ++s) REQUIRE(x[s] == LedGenerator::kDigits[y][s]);
    for (int s = 7; s < 24; ++s) REQUIRE((x[s] == 0 || x[s] == 1));
  }
  for (int c : counts) CHECK(double(c) / 20000 == doctest::Approx(0.1).epsilon(0.1));
  // Default noise 10 %: share of flipped segments.
  auto noisy = make_generator("led", params_of("led"), 4);
  int flips = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const int y = noisy->next(x);
    for (int s = 0; s < 7; ++s) flips += x[s] != LedGenerator::kDigits[y][s];
  }
  CHECK(double(flips) / (7.0 * n) == doctest::Approx(0.1).epsilon(0.05));
  CHECK(make_generator("led", params_of("led", {{"suppress_irrelevant", 1}}), 1)->info().features ==
        7);
  check_ranges(*noisy);
  // led_drift makes no extra draws: it is the led stream with segment i at
  // position 7 + i and irrelevant attribute 7 + i at position i (i < d).
  for (int d = 0; d <= 7; ++d) {
    LedGenerator drift(10, false, d, 21);
    auto plain = make_generator("led", params_of("led"), 21);
    for (int s = 0; s < 7; ++s) CHECK(drift.position(s) == (s < d ? 7 + s : s));
    float xd[24];
    for (int i = 0; i < 300; ++i) {
      REQUIRE(drift.next(xd) == plain->next(x));
      for (int a = 0; a < 24; ++a) REQUIRE(xd[drift.position(a)] == x[a]);
    }
  }
  check_ranges(*make_generator("led_drift", params_of("led_drift"), 5));
}

TEST_CASE("sine: SINE1/SINE2 boundaries, stream, suppress, balance") {
  // SINE1: class 0 iff y < sin x. sin(1) = 0.84147...
  CHECK(SineGenerator::label(1, 1.0, 0.84) == 0);
  CHECK(SineGenerator::label(1, 1.0, 0.85) == 1);
  CHECK(SineGenerator::label(2, 1.0, 0.84) == 1);
  CHECK(SineGenerator::label(2, 1.0, 0.85) == 0);
  // SINE2: class 0 iff y < 0.5 + 0.3 sin(3πx); x = 1/6 → 0.8.
  CHECK(SineGenerator::label(3, 1.0 / 6, 0.79) == 0);
  CHECK(SineGenerator::label(3, 1.0 / 6, 0.81) == 1);
  CHECK(SineGenerator::label(4, 1.0 / 6, 0.79) == 1);
  CHECK(SineGenerator::label(3, 0.5, 0.19) == 0);  // sin(1.5π) = −1 → 0.2
  CHECK(SineGenerator::label(3, 0.5, 0.21) == 1);
  float x[4];
  for (int f = 1; f <= 4; ++f) {
    auto g = make_generator("sine", params_of("sine", {{"function", f}}), 7);
    REQUIRE(g->info().features == 4);
    for (int i = 0; i < 2000; ++i) {
      const int y = g->next(x);
      const double b = f <= 2 ? std::sin(double(x[0]))
                              : 0.5 + 0.3 * std::sin(3 * std::numbers::pi * double(x[0]));
      if (std::abs(double(x[1]) - b) > 1e-6) REQUIRE(y == SineGenerator::label(f, x[0], x[1]));
    }
    check_ranges(*g);
  }
  auto s = make_generator("sine", params_of("sine", {{"suppress_irrelevant", 1}}), 7);
  CHECK(s->info().features == 2);
  // P(y < sin x) over the unit square = ∫0^1 sin x dx = 1 − cos 1 = 0.4597.
  auto f1 = make_generator("sine", params_of("sine"), 13);
  CHECK(class_rate(*f1, 40000, 0) == doctest::Approx(1 - std::cos(1.0)).epsilon(0.03));
  auto bal = make_generator("sine", params_of("sine", {{"balance", 1}}), 1);
  for (int i = 0; i < 100; ++i) CHECK(bal->next(x) == (i % 2 == 0 ? 1 : 0));
}

TEST_CASE("mixed: two-of-three rule, stream, balance") {
  // z = y < 0.5 + 0.3 sin(3πx); at x = 1/6 the curve is 0.8.
  CHECK(MixedGenerator::label(1, 1, 1, 1.0 / 6, 0.9) == 0);  // v ∧ w
  CHECK(MixedGenerator::label(1, 1, 0, 1.0 / 6, 0.5) == 0);  // v ∧ z
  CHECK(MixedGenerator::label(1, 0, 1, 1.0 / 6, 0.5) == 0);  // w ∧ z
  CHECK(MixedGenerator::label(1, 1, 0, 1.0 / 6, 0.9) == 1);  // only v
  CHECK(MixedGenerator::label(1, 0, 0, 1.0 / 6, 0.5) == 1);  // only z
  CHECK(MixedGenerator::label(2, 0, 0, 1.0 / 6, 0.5) == 0);
  CHECK(MixedGenerator::label(2, 1, 1, 0.0, 0.9) == 1);
  float x[4];
  for (int f = 1; f <= 2; ++f) {
    auto g = make_generator("mixed", params_of("mixed", {{"function", f}}), 7);
    for (int i = 0; i < 2000; ++i) {
      const int y = g->next(x);
      REQUIRE((x[0] == 0 || x[0] == 1));
      REQUIRE((x[1] == 0 || x[1] == 1));
      const double b = 0.5 + 0.3 * std::sin(3 * std::numbers::pi * double(x[2]));
      if (std::abs(double(x[3]) - b) > 1e-6)
        REQUIRE(y == MixedGenerator::label(f, int(x[0]), int(x[1]), x[2], x[3]));
    }
    check_ranges(*g);
  }
  // P(z) = 0.5 (the sine averages out over 1.5 periods... E[0.5+0.3 sin 3πx] = 0.5 + 0.2/π),
  // class 0 = P(v∧w) + P(exactly one of v, w)·P(z) = 1/4 + 1/2·p.
  const double pz = 0.5 + 0.2 / std::numbers::pi;
  auto f1 = make_generator("mixed", params_of("mixed"), 14);
  CHECK(class_rate(*f1, 40000, 0) == doctest::Approx(0.25 + 0.5 * pz).epsilon(0.03));
  auto bal = make_generator("mixed", params_of("mixed", {{"balance", 1}}), 1);
  for (int i = 0; i < 100; ++i) CHECK(bal->next(x) == (i % 2 == 0 ? 1 : 0));
}

TEST_CASE("waveform / waveform_drift: class means, noise attributes, swaps") {
  // E[attr 6 | class] = ½ h_a(6) + ½ h_b(6): class 0 (h1,h2) 3, class 1 (h1,h3) 4, class 2
  // (h2,h3) 1.
  auto g = make_generator("waveform", params_of("waveform"), 5);
  REQUIRE(g->info().features == 21);
  REQUIRE(g->info().classes == 3);
  float x[40];
  double sum[3] = {0, 0, 0};
  int cnt[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) {
    const int y = g->next(x);
    sum[y] += x[6];
    ++cnt[y];
  }
  CHECK(sum[0] / cnt[0] == doctest::Approx(3.0).epsilon(0.03));
  CHECK(sum[1] / cnt[1] == doctest::Approx(4.0).epsilon(0.03));
  CHECK(sum[2] / cnt[2] == doctest::Approx(1.0).epsilon(0.08));
  for (int c = 0; c < 3; ++c) CHECK(cnt[c] / 30000.0 == doctest::Approx(1.0 / 3).epsilon(0.05));
  check_ranges(*g);
  auto noisy = make_generator("waveform", params_of("waveform", {{"add_noise", 1}}), 5);
  REQUIRE(noisy->info().features == 40);
  double m = 0, v = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    noisy->next(x);
    m += x[30];
    v += double(x[30]) * x[30];
  }
  CHECK(std::abs(m / n) < 0.03);
  CHECK(v / n == doctest::Approx(1.0).epsilon(0.05));
  check_ranges(*noisy);
  // waveform_drift draws its two offsets for every d, so d = k is the d = 0
  // stream with attributes permuted: x_k[position(i)] == x_0[i].
  for (int add_noise = 0; add_noise <= 1; ++add_noise)
    for (int d : {1, 5, 21, 40}) {
      WaveformGenerator base(add_noise, true, 0, 33), drift(add_noise, true, d, 33);
      const int na = add_noise ? 40 : 21;
      std::vector<int> seen(std::size_t(na), 0);
      for (int a = 0; a < na; ++a) ++seen[std::size_t(drift.position(a))];
      for (int s : seen) REQUIRE(s == 1);  // a permutation
      float xd[40];
      for (int i = 0; i < 200; ++i) {
        REQUIRE(drift.next(xd) == base.next(x));
        for (int a = 0; a < na; ++a) REQUIRE(xd[drift.position(a)] == x[a]);
      }
    }
  // The drift variant consumes two draws up front, so it is not the plain stream.
  auto plain = make_generator("waveform", params_of("waveform"), 1);
  auto d0 = make_generator("waveform_drift", params_of("waveform_drift"), 1);
  float xp[21], xd[21];
  plain->next(xp);
  d0->next(xd);
  CHECK(xp[0] != xd[0]);
  check_ranges(
      *make_generator("waveform_drift", params_of("waveform_drift", {{"drift_attributes", 7}}), 8));
}
