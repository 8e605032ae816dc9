// KS distribution, KSWIN, ICI and the multivariate log-likelihood CDT.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "drift/det_ici.hpp"
#include "drift/det_kswin.hpp"
#include "drift/det_loglik.hpp"
#include "tests/support/py_random.hpp"

using namespace tinyfleet;
using tinyfleet::test::PyRandom;

TEST_CASE("KS statistic and exact p-values on hand-computable cases") {
  const std::vector<float> a{1, 2, 3}, b{4, 5, 6}, c{1, 3, 5}, e{2, 4, 6};
  CHECK(ks_statistic_sorted(a.data(), 3, b.data(), 3) == 1.0);
  CHECK(ks_statistic_sorted(c.data(), 3, e.data(), 3) == doctest::Approx(1.0 / 3));
  CHECK(ks_statistic_sorted(a.data(), 3, a.data(), 3) == 0.0);
  // Ties advance both ECDFs together: {1,1,2} vs {1,2,2}: max |2/3 − 1/3| = 1/3.
  const std::vector<float> t1{1, 1, 2}, t2{1, 2, 2};
  CHECK(ks_statistic_sorted(t1.data(), 3, t2.data(), 3) == doctest::Approx(1.0 / 3));
  // n = m: P(D ≥ 1) = 2 / C(2n, n) (only the two fully separated orderings).
  CHECK(ks_pvalue_exact(2, 2, 1.0) == doctest::Approx(2.0 / 6));
  CHECK(ks_pvalue_exact(3, 3, 1.0) == doctest::Approx(2.0 / 20));   // scipy: 0.1
  CHECK(ks_pvalue_exact(5, 5, 1.0) == doctest::Approx(2.0 / 252));  // scipy: 0.007936507936507936
  // P(D ≥ 2/3), n = m = 3: 2·C(6,1)/C(6,3) = 0.6.
  CHECK(ks_pvalue_exact(3, 3, 2.0 / 3) == doctest::Approx(0.6));
  CHECK(ks_pvalue_exact(3, 3, 0.0) == 1.0);
  // n ≠ m via lattice paths: sizes 1 and 2, D = 1 iff the single value is
  // the extreme one (2 of the 3 orderings): p = 2/3; D ≥ 1/2 always: p = 1.
  CHECK(ks_pvalue_exact(1, 2, 1.0) == doctest::Approx(2.0 / 3));
  CHECK(ks_pvalue_exact(1, 2, 0.5) == doctest::Approx(1.0));
  // Fully separated samples of sizes 2 and 3: 2 / C(5, 2) = 0.2.
  CHECK(ks_pvalue_exact(2, 3, 1.0) == doctest::Approx(0.2));
  // The lattice method agrees with the closed form when n = m... through
  // n = 4, m = 8 vs symmetric swap.
  CHECK(ks_pvalue_exact(4, 8, 0.5) == doctest::Approx(ks_pvalue_exact(8, 4, 0.5)));
  // Kolmogorov distribution: Q(1) = 0.26999967, Q(1.3581) ≈ 0.05, Q(0.5) ≈ 0.96394.
  CHECK(kolmogorov_q(1.0) == doctest::Approx(0.2699996716).epsilon(1e-8));
  CHECK(kolmogorov_q(1.3581) == doctest::Approx(0.05).epsilon(1e-3));
  CHECK(kolmogorov_q(0.5) == doctest::Approx(0.9639452436).epsilon(1e-8));
  CHECK(kolmogorov_q(1.18) == doctest::Approx(kolmogorov_q(1.1799999)).epsilon(1e-6));
  // Asymptotic ≈ exact for moderate n.
  CHECK(ks_pvalue_asymptotic(200, 200, 0.15) ==
        doctest::Approx(ks_pvalue_exact(200, 200, 0.15)).epsilon(0.15));
  CHECK(ks_pvalue(2000, 2000, 0.05) == doctest::Approx(ks_pvalue_asymptotic(2000, 2000, 0.05)));
}

TEST_CASE("CPythonMt matches the test-support PyRandom") {
  detail::CPythonMt a(12345);
  PyRandom b(12345);
  for (int i = 0; i < 2000; ++i) CHECK(a.next_u32() == b.next_u32());
  detail::CPythonMt c((1ULL << 40) + 7);
  PyRandom d((1ULL << 40) + 7);
  CHECK(c.next_u32() == d.next_u32());
}

TEST_CASE("KSWIN: warm-up, window memory, quiet on stationary data") {
  Kswin k;
  OpCounter ops;
  for (uint64_t i = 0; i < 99; ++i) {
    k.update(0.0, i, ops);
    CHECK_FALSE(k.drift_detected());
  }
  CHECK(k.memory_bytes() >= 100 * sizeof(float));
  PyRandom rng(5);
  Kswin q;
  int alarms = 0;
  for (uint64_t i = 0; i < 3000; ++i) {
    q.update(rng.gauss(), i, ops);
    alarms += q.drift_detected();
  }
  CHECK(alarms <= 20);  // alpha = 0.005 per test, correlated windows
}

TEST_CASE("ICI: detects a mean shift, quiet on stationary data, estimate near the change") {
  for (uint64_t seed : {1u, 2u, 3u, 4u}) {
    CAPTURE(seed);
    PyRandom rng(seed);
    Ici ici;
    OpCounter ops;
    std::vector<uint64_t> alarms;
    uint64_t estimate = 0;
    for (uint64_t i = 0; i < 6000; ++i) {
      ici.update(rng.gauss(i < 3000 ? 0.0 : 1.0, 1.0), i, ops);
      if (ici.drift_detected()) {
        if (alarms.empty()) estimate = ici.change_estimate();
        alarms.push_back(i);
      }
    }
    REQUIRE(!alarms.empty());
    CHECK(alarms[0] >= 3000);
    CHECK(alarms[0] < 3400);
    CHECK(estimate <= alarms[0]);
  }
  for (uint64_t seed : {11u, 12u, 13u, 14u}) {
    CAPTURE(seed);
    PyRandom rng(seed);
    Ici ici;
    OpCounter ops;
    int alarms = 0;
    for (uint64_t i = 0; i < 10000; ++i) {
      ici.update(rng.gauss(5.0, 2.0), i, ops);
      alarms += ici.drift_detected();
    }
    CHECK(alarms == 0);
    CHECK(ici.trained());
    CHECK(ici.h0() >= 0.05f);  // clamped range [0.05, 1]
    CHECK(ici.h0() < 1.0f);
  }
  // A variance change alone (mean unchanged) is caught by the V feature.
  PyRandom rng(6);
  Ici ici;
  OpCounter ops;
  int first = -1;
  for (int i = 0; i < 4000 && first < 0; ++i) {
    ici.update(rng.gauss(0.0, i < 2000 ? 1.0 : 3.0), static_cast<uint64_t>(i), ops);
    if (ici.drift_detected()) first = i;
  }
  CHECK(first >= 2000);
  CHECK(first < 2400);
}

namespace {
// x = A·z + shift, z ~ N(0, I₅).
std::vector<float> gauss5(PyRandom& rng, double scale, double shift) {
  std::vector<float> x(5);
  double z[5];
  for (double& v : z) v = rng.gauss();
  for (int i = 0; i < 5; ++i) {
    double s = z[i] + (i > 0 ? 0.5 * z[i - 1] : 0.0);  // correlated features
    x[static_cast<std::size_t>(i)] = static_cast<float>(scale * s + shift + i);
  }
  return x;
}
}  // namespace

TEST_CASE("loglik: mean and covariance changes in 5-d Gaussian data") {
  for (const char* inner : {"cusum", "page_hinkley"}) {
    const std::string who = inner;
    CAPTURE(who);
    for (int change = 0; change < 2; ++change) {
      CAPTURE(change);
      LogLik::Config c;
      c.inner = std::string(inner) == "cusum" ? LogLik::Inner::Cusum : LogLik::Inner::PageHinkley;
      if (c.inner == LogLik::Inner::Cusum) c.inner_threshold = 10;  // h = 5: ARL0 ~ 300
      LogLik ll(c);
      CHECK(ll.multivariate());
      PyRandom rng(17);
      OpCounter ops;
      int first = -1;
      for (int i = 0; i < 2000 && first < 0; ++i) {
        const bool after = i >= 1000;
        const auto x =
            gauss5(rng, after && change == 1 ? 2.0 : 1.0, after && change == 0 ? 1.5 : 0.0);
        ll.update_vector(x.data(), 5, static_cast<uint64_t>(i), ops);
        if (ll.drift_detected()) first = i;
      }
      CHECK(first >= 1000);
      CHECK(first < 1100);
      CHECK(ll.memory_bytes() > 5 * 5 * sizeof(float));
      CHECK(ops[Op::Fp32Mac] > 0);
    }
  }
  LogLik ll;
  OpCounter ops;
  const float x3[3] = {1, 2, 3};
  ll.update_vector(x3, 3, 0, ops);
  CHECK_THROWS_AS(ll.update_vector(x3, 2, 1, ops), std::invalid_argument);
}
