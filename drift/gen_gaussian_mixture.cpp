#include "drift/gen_gaussian_mixture.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tinyfleet {

namespace {

// Class means before the shift (see the header). Draws from `model` only.
Eigen::MatrixXd place_means(int d, int c, double separation, JavaRandom& model) {
  Eigen::MatrixXd means(d, c);  // one column per class
  if (c <= d + 1) {
    // Helmert coordinates: row k (k = 1..c−1) of the Helmert matrix is
    // (1,…,1, −k, 0,…)/√(k(k+1)) with k ones; its columns are c points in
    // R^(c−1) with every pairwise distance √2 (a regular simplex, centred).
    Eigen::MatrixXd simplex = Eigen::MatrixXd::Zero(d, c);
    for (int k = 1; k < c; ++k) {
      const double norm = std::sqrt(static_cast<double>(k) * (k + 1));
      for (int j = 0; j < k; ++j) simplex(k - 1, j) = 1.0 / norm;
      simplex(k - 1, k) = -static_cast<double>(k) / norm;
    }
    // Haar-random rotation: Q of the QR of a Gaussian matrix, column signs
    // fixed by sign(R_ii) (Mezzadri, Notices AMS 54(5), 2007).
    Eigen::MatrixXd g(d, d);
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) g(i, j) = model.next_gaussian();
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
    Eigen::MatrixXd q = qr.householderQ();
    const Eigen::MatrixXd r = qr.matrixQR();
    for (int j = 0; j < d; ++j)
      if (r(j, j) < 0) q.col(j) = -q.col(j);
    means = (separation / std::sqrt(2.0)) * (q * simplex);
  } else {
    for (int j = 0; j < c; ++j)
      for (int i = 0; i < d; ++i) means(i, j) = model.next_gaussian();
    const Eigen::VectorXd centre = means.rowwise().mean();
    means.colwise() -= centre;
    double closest = std::numeric_limits<double>::infinity();
    for (int a = 0; a < c; ++a)
      for (int b = a + 1; b < c; ++b)
        closest = std::min(closest, (means.col(a) - means.col(b)).norm());
    if (!(closest > 0)) throw std::invalid_argument("gaussian_mixture: degenerate class layout");
    means *= separation / closest;
  }
  return means;
}

}  // namespace

GaussianMixtureGenerator::GaussianMixtureGenerator(const GaussianMixtureConfig& cfg, int64_t seed)
    : rng_(seed), d_(cfg.features), classes_(cfg.classes) {
  if (cfg.features < 1) throw std::invalid_argument("gaussian_mixture: features must be >= 1");
  if (cfg.classes < 2) throw std::invalid_argument("gaussian_mixture: classes must be >= 2");
  if (!(cfg.separation >= 0) || !std::isfinite(cfg.separation))
    throw std::invalid_argument("gaussian_mixture: separation must be >= 0");
  if (!(cfg.scale > 0) || !std::isfinite(cfg.scale))
    throw std::invalid_argument("gaussian_mixture: scale must be > 0");
  if (!(std::abs(cfg.correlation) < 1))
    throw std::invalid_argument("gaussian_mixture: correlation must be in (-1, 1)");
  if (!std::isfinite(cfg.shift))
    throw std::invalid_argument("gaussian_mixture: shift must be finite");
  const int d = d_, c = classes_;

  JavaRandom model(cfg.model_seed);
  Eigen::MatrixXd means = place_means(d, c, cfg.separation, model);
  means.row(0).array() += cfg.shift;  // σ = 1: `shift` is in units of σ

  // Σ = scale · R(ρ); its Cholesky factor is computed once here, never per sample.
  Eigen::MatrixXd sigma = Eigen::MatrixXd::Constant(d, d, cfg.correlation);
  sigma.diagonal().setOnes();
  sigma *= cfg.scale;
  Eigen::LLT<Eigen::MatrixXd> llt(sigma);
  if (llt.info() != Eigen::Success)
    throw std::invalid_argument(
        "gaussian_mixture: covariance not positive definite (correlation must exceed -1/(d-1))");
  const Eigen::MatrixXd l = llt.matrixL();

  const auto du = static_cast<std::size_t>(d);
  means_.resize(static_cast<std::size_t>(c) * du);
  for (int k = 0; k < c; ++k)
    for (int i = 0; i < d; ++i)
      means_[static_cast<std::size_t>(k) * du + static_cast<std::size_t>(i)] = means(i, k);
  l_.assign(du * du, 0.0);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j <= i; ++j)
      l_[static_cast<std::size_t>(i) * du + static_cast<std::size_t>(j)] = l(i, j);
  z_.resize(du);

  info_.features = d;
  info_.classes = c;
  // Quantisation range: every class mean ± 6 standard deviations (√scale per
  // axis); exceeded with probability 2e-9 per value (learners clamp).
  const double half = 6.0 * std::sqrt(cfg.scale);
  info_.lo.resize(du);
  info_.hi.resize(du);
  for (int i = 0; i < d; ++i) {
    info_.lo[static_cast<std::size_t>(i)] = static_cast<float>(means.row(i).minCoeff() - half);
    info_.hi[static_cast<std::size_t>(i)] = static_cast<float>(means.row(i).maxCoeff() + half);
  }
}

int GaussianMixtureGenerator::next(float* x) {
  // Draw order: the class (nextInt(C)), then d × nextGaussian() for z.
  const int y = rng_.next_int(classes_);
  const auto d = static_cast<std::size_t>(d_);
  for (std::size_t j = 0; j < d; ++j) z_[j] = rng_.next_gaussian();
  const double* mu = &means_[static_cast<std::size_t>(y) * d];
  for (std::size_t i = 0; i < d; ++i) {
    const double* row = &l_[i * d];
    double v = mu[i];
    for (std::size_t j = 0; j <= i; ++j) v += row[j] * z_[j];
    x[i] = static_cast<float>(v);
  }
  return y;
}

ComponentInfo gaussian_mixture_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "gaussian_mixture",
      "Gaussian-mixture sensor stream: x = mu_y + L z, y uniform, shared covariance "
      "scale*R(correlation); drift via shift (mean) and scale (covariance)",
      {
          {"features", T::Int, 1, 64, 2, {}, "dimension d"},
          {"classes", T::Int, 2, 32, 2, {}, "number of classes C (labels uniform)"},
          {"separation", T::Real, 0, 100, 2.0, {}, "class-mean distance in sigma (see header)"},
          {"correlation", T::Real, -0.9, 0.9, 0.0, {}, "equicorrelation rho (> -1/(d-1))"},
          {"model_seed", T::Int, 0, 2147483647, 1, {}, "seed of the class-mean layout"},
          {"shift", T::Real, -100, 100, 0.0, {}, "every class mean += shift*sigma on axis 1"},
          {"scale", T::Real, 0.001, 1000, 1.0, {}, "multiplies the covariance"},
      }};
}

std::unique_ptr<Generator> make_gaussian_mixture(const Params& params, uint64_t seed) {
  GaussianMixtureConfig c;
  c.features = static_cast<int>(params.number("features"));
  c.classes = static_cast<int>(params.number("classes"));
  c.separation = params.number("separation");
  c.correlation = params.number("correlation");
  c.model_seed = static_cast<int64_t>(params.number("model_seed"));
  c.shift = params.number("shift");
  c.scale = params.number("scale");
  return std::make_unique<GaussianMixtureGenerator>(c, static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
