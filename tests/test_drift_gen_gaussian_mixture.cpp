// gaussian_mixture (drift/gen_gaussian_mixture.hpp): class-mean layout,
// per-class sample mean and covariance vs the parameters, shift and scale as
// concept changes.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "drift/gen_gaussian_mixture.hpp"
#include "drift/stream.hpp"

using namespace tinyfleet;

namespace {

double dist(const double* a, const double* b, int d) {
  double s = 0;
  for (int i = 0; i < d; ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s);
}

struct Moments {
  std::vector<std::vector<double>> mean;              // [class][i]
  std::vector<std::vector<std::vector<double>>> cov;  // [class][i][j]
  std::vector<int> count;
};

Moments moments(Generator& g, int n) {
  const int d = g.info().features, c = g.info().classes;
  const auto du = std::size_t(d), cu = std::size_t(c);
  Moments m;
  m.mean.assign(cu, std::vector<double>(du, 0.0));
  m.cov.assign(cu, std::vector<std::vector<double>>(du, std::vector<double>(du, 0.0)));
  m.count.assign(cu, 0);
  const auto nu = static_cast<std::size_t>(n);
  std::vector<std::vector<float>> xs(nu, std::vector<float>(du));
  std::vector<int> ys(nu);
  for (std::size_t k = 0; k < nu; ++k) {
    ys[k] = g.next(xs[k].data());
    ++m.count[std::size_t(ys[k])];
    for (std::size_t i = 0; i < du; ++i) m.mean[std::size_t(ys[k])][i] += xs[k][i];
  }
  for (std::size_t y = 0; y < cu; ++y)
    for (auto& v : m.mean[y]) v /= m.count[y];
  for (std::size_t k = 0; k < nu; ++k) {
    const auto y = std::size_t(ys[k]);
    for (std::size_t i = 0; i < du; ++i)
      for (std::size_t j = 0; j < du; ++j)
        m.cov[y][i][j] += (xs[k][i] - m.mean[y][i]) * (xs[k][j] - m.mean[y][j]);
  }
  for (std::size_t y = 0; y < cu; ++y)
    for (auto& row : m.cov[y])
      for (auto& v : row) v /= (m.count[y] - 1);
  return m;
}

}  // namespace

TEST_CASE("gaussian_mixture: class means are `separation` apart") {
  GaussianMixtureConfig c;  // d = 2, C = 2, separation 2
  GaussianMixtureGenerator g(c, 1);
  CHECK(dist(g.mean(0), g.mean(1), 2) == doctest::Approx(2.0));
  // C <= d + 1: regular simplex, every pair at the separation.
  c.features = 5;
  c.classes = 6;
  c.separation = 3.0;
  GaussianMixtureGenerator s(c, 1);
  for (int a = 0; a < 6; ++a)
    for (int b = a + 1; b < 6; ++b) CHECK(dist(s.mean(a), s.mean(b), 5) == doctest::Approx(3.0));
  // C > d + 1: the closest pair is at the separation.
  c.features = 2;
  c.classes = 7;
  GaussianMixtureGenerator r(c, 1);
  double closest = 1e9;
  for (int a = 0; a < 7; ++a)
    for (int b = a + 1; b < 7; ++b) closest = std::min(closest, dist(r.mean(a), r.mean(b), 2));
  CHECK(closest == doctest::Approx(3.0));
  // The layout depends on model_seed only, not on the stream seed.
  GaussianMixtureGenerator r2(c, 99);
  CHECK(r2.mean(3)[1] == r.mean(3)[1]);
  c.model_seed = 2;
  GaussianMixtureGenerator r3(c, 1);
  CHECK(r3.mean(3)[1] != r.mean(3)[1]);
}

TEST_CASE("gaussian_mixture: per-class sample mean and covariance match the parameters") {
  const Params base = [] {
    for (const auto& c : generator_catalog())
      if (c.name == "gaussian_mixture") return default_params(c.params);
    throw std::logic_error("gaussian_mixture not registered");
  }();
  Params p = base;
  p.numbers["features"] = 3;
  p.numbers["correlation"] = 0.5;
  auto g = make_generator("gaussian_mixture", p, 4);
  auto* gm = dynamic_cast<GaussianMixtureGenerator*>(g.get());
  REQUIRE(gm != nullptr);
  const Moments m = moments(*g, 10000);
  // 5000 samples per class: SE(mean) ≈ 0.014, SE(cov) ≈ 0.02.
  for (int y = 0; y < 2; ++y) {
    CHECK(m.count[std::size_t(y)] / 10000.0 == doctest::Approx(0.5).epsilon(0.05));
    for (int i = 0; i < 3; ++i) {
      CHECK(std::abs(m.mean[std::size_t(y)][std::size_t(i)] - gm->mean(y)[i]) < 0.06);
      for (int j = 0; j < 3; ++j)
        CHECK(std::abs(m.cov[std::size_t(y)][std::size_t(i)][std::size_t(j)] -
                       (i == j ? 1.0 : 0.5)) < 0.08);
    }
  }

  // shift 3: every mean moves by 3σ along axis 0; scale 4: covariance × 4.
  Params q = p;
  q.numbers["shift"] = 3.0;
  q.numbers["scale"] = 4.0;
  auto h = make_generator("gaussian_mixture", q, 4);
  auto* hm = dynamic_cast<GaussianMixtureGenerator*>(h.get());
  REQUIRE(hm != nullptr);
  for (int y = 0; y < 2; ++y) {
    CHECK(hm->mean(y)[0] == doctest::Approx(gm->mean(y)[0] + 3.0));
    CHECK(hm->mean(y)[1] == doctest::Approx(gm->mean(y)[1]));
  }
  const Moments s = moments(*h, 10000);
  for (int y = 0; y < 2; ++y) {
    CHECK(std::abs(s.mean[std::size_t(y)][0] - (gm->mean(y)[0] + 3.0)) < 0.12);
    CHECK(std::abs(s.mean[std::size_t(y)][2] - gm->mean(y)[2]) < 0.12);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        CHECK(std::abs(s.cov[std::size_t(y)][std::size_t(i)][std::size_t(j)] -
                       (i == j ? 4.0 : 2.0)) < 0.32);
  }
  // The StreamInfo range follows the concept (mean ± 6·√scale per axis).
  CHECK(h->info().hi[0] > g->info().hi[0] + 3.0);
}

TEST_CASE("gaussian_mixture: invalid covariance is rejected") {
  GaussianMixtureConfig c;
  c.features = 3;
  c.correlation = -0.6;  // < −1/(d−1) = −0.5: not positive definite
  CHECK_THROWS_AS(GaussianMixtureGenerator(c, 1), std::invalid_argument);
  c.correlation = -0.4;
  CHECK_NOTHROW(GaussianMixtureGenerator(c, 1));
  c.features = 1;  // a single axis has no correlation
  c.correlation = -0.9;
  CHECK_NOTHROW(GaussianMixtureGenerator(c, 1));
}
