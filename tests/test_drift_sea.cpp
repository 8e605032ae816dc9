// SEA generator vs MOA (via CapyMOA's doctest vectors, streams.md §2) and the
// generator registry.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "drift/sea.hpp"
#include "drift/stream.hpp"

using namespace tinyfleet;

namespace {
Params sea_params(double variant = 0, double noise = 0.1, double balance = 0) {
  Params p;
  p.numbers = {{"variant", variant}, {"noise", noise}, {"balance", balance}};
  return p;
}
}  // namespace

TEST_CASE("SEA reproduces CapyMOA/MOA vectors (seed 1, MOA defaults)") {
  auto g = make_generator("sea", sea_params(), 1);
  REQUIRE(g->info().features == 3);
  CHECK(g->info().classes == 2);
  CHECK(g->info().lo == std::vector<float>{0, 0, 0});
  CHECK(g->info().hi == std::vector<float>{10, 10, 10});
  float x[3];
  // CapyMOA SEA #1: x = [7.309, 4.101, 2.077], y = 1.
  int y = g->next(x);
  CHECK(x[0] == doctest::Approx(7.309).epsilon(1e-4));
  CHECK(x[1] == doctest::Approx(4.101).epsilon(1e-4));
  CHECK(x[2] == doctest::Approx(2.077).epsilon(1e-4));
  CHECK(y == 1);
  // Full precision (java.util.Random(1)): 10 * nextDouble().
  CHECK(x[0] == static_cast<float>(7.308781907032909));
  // CapyMOA SEA #2: x = [6.58867239, 7.10739628, 1.52736201]. Matches only
  // because exactly one nextInt(100) (the noise draw) follows the attributes.
  y = g->next(x);
  CHECK(x[0] == static_cast<float>(6.588672394716129));
  CHECK(x[1] == static_cast<float>(7.107396275716601));
  CHECK(x[2] == static_cast<float>(1.5273620134152177));
  CHECK(x[0] == doctest::Approx(6.58867239).epsilon(1e-7));
  CHECK(x[1] == doctest::Approx(7.10739628).epsilon(1e-7));
  CHECK(x[2] == doctest::Approx(1.52736201).epsilon(1e-7));
  CHECK(y == 1);
}

TEST_CASE("SEA: concept functions, noise rate and class balance") {
  float x[3];
  for (int variant = 0; variant < 4; ++variant) {
    const double theta[] = {8, 9, 7, 9.5};
    auto g = make_generator("sea", sea_params(variant, 0.0), 3);
    for (int i = 0; i < 2000; ++i) {
      const int y = g->next(x);
      // Floats of the attributes: only check away from the boundary.
      const double s = double(x[0]) + double(x[1]);
      if (std::abs(s - theta[variant]) > 1e-4) REQUIRE(y == (s <= theta[variant] ? 0 : 1));
    }
  }
  // noise 0.25 → 25% of labels flipped (statistical; n = 40000, sd ≈ 0.0022).
  auto noisy = make_generator("sea", sea_params(0, 0.25), 11);
  int flipped = 0;
  const int n = 40000;
  for (int i = 0; i < n; ++i) {
    const int y = noisy->next(x);
    const double s = double(x[0]) + double(x[1]);
    if (std::abs(s - 8) > 1e-4 && y != (s <= 8 ? 0 : 1)) ++flipped;
  }
  CHECK(double(flipped) / n == doctest::Approx(0.25).epsilon(0.05));
  // balance: classes alternate 1, 0, 1, 0 ... before noise (noise 0 here).
  auto bal = make_generator("sea", sea_params(0, 0.0, 1), 1);
  for (int i = 0; i < 100; ++i) CHECK(bal->next(x) == (i % 2 == 0 ? 1 : 0));
}

TEST_CASE("generator registry: catalog, validation, determinism") {
  const auto& cat = generator_catalog();
  REQUIRE(!cat.empty());
  CHECK(cat[0].name == "sea");
  CHECK(cat[0].params.size() == 3);
  CHECK(default_params(cat[0].params) == sea_params());
  CHECK_THROWS_AS(make_generator("nope", sea_params(), 1), std::invalid_argument);
  CHECK_THROWS_AS(make_generator("sea", sea_params(4), 1), std::invalid_argument);
  CHECK_THROWS_AS(make_generator("sea", sea_params(0.5), 1), std::invalid_argument);
  CHECK_THROWS_AS(make_generator("sea", sea_params(0, 1.5), 1), std::invalid_argument);
  Params missing = sea_params();
  missing.numbers.erase("noise");
  CHECK_THROWS_AS(make_generator("sea", missing, 1), std::invalid_argument);
  Params extra = sea_params();
  extra.numbers["bogus"] = 1;
  CHECK_THROWS_AS(make_generator("sea", extra, 1), std::invalid_argument);

  auto a = make_generator("sea", sea_params(), 99);
  auto b = make_generator("sea", sea_params(), 99);
  float xa[3], xb[3];
  for (int i = 0; i < 100; ++i) {
    REQUIRE(a->next(xa) == b->next(xb));
    REQUIRE(xa[0] == xb[0]);
    REQUIRE(xa[2] == xb[2]);
  }
}
