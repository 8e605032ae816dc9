#include "drift/det_loglik.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "drift/det_cusum.hpp"
#include "drift/det_ops.hpp"
#include "drift/page_hinkley.hpp"

namespace tinyfleet {

LogLik::LogLik() : LogLik(Config{}) {}

LogLik::LogLik(const Config& c) : c_(c) {
  if (c.n_train < 2) throw std::invalid_argument("loglik: n_train must be >= 2");
  if (!(c.ridge >= 0)) throw std::invalid_argument("loglik: ridge must be >= 0");
  if (!(c.inner_threshold >= 0)) throw std::invalid_argument("loglik: inner_threshold >= 0");
  inner_ = make_inner();
}

std::unique_ptr<Detector> LogLik::make_inner() const {
  if (c_.inner == Inner::PageHinkley)
    return std::make_unique<PageHinkley>(30, 0.005,
                                         c_.inner_threshold > 0 ? c_.inner_threshold : 50);
  Cusum::Config cc;
  cc.min_instances = std::max<uint32_t>(30, c_.n_train);
  if (c_.inner_threshold > 0) cc.threshold = static_cast<float>(c_.inner_threshold);
  return std::make_unique<Cusum>(cc);
}

void LogLik::reset() {
  n_ = 0;
  fitted_ = drift_ = false;
  last_ll_ = 0;
  inner_->reset();
  std::fill(mean_.begin(), mean_.end(), 0.0f);
  std::fill(m2_.begin(), m2_.end(), 0.0f);
}

std::size_t LogLik::memory_bytes() const {
  const std::size_t d = static_cast<std::size_t>(d_);
  // mean, scatter (symmetric: d(d+1)/2 words suffice; we hold d²), Cholesky
  // factor, reciprocal diagonal, scratch vector, scalars, plus the inner CDT.
  return (3 * d + 2 * d * d) * sizeof(float) + 4 * sizeof(float) + sizeof(Config) +
         inner_->memory_bytes();
}

void LogLik::update(double x, uint64_t t, OpCounter& ops) {
  const float xf = static_cast<float>(x);
  update_vector(&xf, 1, t, ops);
}

void LogLik::update_vector(const float* x, int d, uint64_t t, OpCounter& ops) {
  if (drift_) reset();
  if (d < 1) throw std::invalid_argument("loglik: dimension must be >= 1");
  if (d_ != d) {
    if (n_ != 0 || fitted_)
      throw std::invalid_argument("loglik: dimension changed from " + std::to_string(d_) + " to " +
                                  std::to_string(d));
    // Allocated on the first vector (dimension known), reused after resets.
    d_ = d;
    const std::size_t du = static_cast<std::size_t>(d);
    mean_.assign(du, 0.0f);
    m2_.assign(du * du, 0.0f);
    chol_.assign(du * du, 0.0f);
    inv_diag_.assign(du, 0.0f);
    diff_.assign(du, 0.0f);
  }
  const std::size_t du = static_cast<std::size_t>(d);
  if (!fitted_) {
    // Welford: δ = x − μ_old; μ += δ/n; M2 += δ·(x − μ_new)ᵀ (lower triangle).
    ++n_;
    const float inv_n = 1.0f / static_cast<float>(n_);
    for (std::size_t i = 0; i < du; ++i) {
      diff_[i] = x[i] - mean_[i];
      mean_[i] += diff_[i] * inv_n;
    }
    for (std::size_t i = 0; i < du; ++i) {
      const float xi = x[i] - mean_[i];
      for (std::size_t j = 0; j <= i; ++j) m2_[i * du + j] += diff_[j] * xi;
    }
    const uint64_t tri = du * (du + 1) / 2;
    ops.add(Op::Div);
    ops.add(Op::Fp32Mac, 3 * du + tri);
    ops.add(Op::Load, 3 * du + tri);
    ops.add(Op::Store, 2 * du + tri);
    ops.add(Op::Add);
    ops.add(Op::Compare);
    if (n_ == c_.n_train) fit(ops);
    drift_ = false;
    return;
  }
  // ℓ = log_norm − ½‖L⁻¹(x − μ)‖²: forward substitution, reciprocal diagonal.
  float q = 0;
  for (std::size_t i = 0; i < du; ++i) {
    float s = x[i] - mean_[i];
    for (std::size_t j = 0; j < i; ++j) s -= chol_[i * du + j] * diff_[j];
    diff_[i] = s * inv_diag_[i];
    q += diff_[i] * diff_[i];
  }
  last_ll_ = log_norm_ - 0.5f * q;
  const uint64_t tri = du * (du - 1) / 2;
  ops.add(Op::Fp32Mac, 3 * du + tri + 1);
  ops.add(Op::Load, 3 * du + 2 * tri);
  ops.add(Op::Store, du);
  inner_->update(-static_cast<double>(last_ll_), t, ops);
  drift_ = inner_->drift_detected();
}

void LogLik::fit(OpCounter& ops) {
  const int d = d_;
  const std::size_t du = static_cast<std::size_t>(d);
  Eigen::MatrixXf cov(d, d);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j <= i; ++j)
      cov(i, j) = cov(j, i) = m2_[static_cast<std::size_t>(i) * du + static_cast<std::size_t>(j)] /
                              static_cast<float>(n_ - 1);
  // Ridge: keeps Σ positive definite on degenerate data (constant features,
  // n_train <= d); grown tenfold until the factorisation succeeds.
  float ridge = c_.ridge > 0 ? c_.ridge : 1e-12f;
  Eigen::LLT<Eigen::MatrixXf> llt;
  for (int attempt = 0; attempt < 12; ++attempt, ridge *= 10) {
    Eigen::MatrixXf reg = cov;
    reg.diagonal().array() += ridge;
    llt.compute(reg);
    if (llt.info() == Eigen::Success) break;
  }
  if (llt.info() != Eigen::Success) throw std::runtime_error("loglik: covariance not factorisable");
  const Eigen::MatrixXf L = llt.matrixL();
  float log_det = 0;
  for (int i = 0; i < d; ++i) {
    for (int j = 0; j < d; ++j)
      chol_[static_cast<std::size_t>(i) * du + static_cast<std::size_t>(j)] = L(i, j);
    inv_diag_[static_cast<std::size_t>(i)] = 1.0f / L(i, i);
    log_det += 2.0f * std::log(L(i, i));
  }
  log_norm_ =
      -0.5f * (static_cast<float>(d) * std::log(2.0f * std::numbers::pi_v<float>) + log_det);
  fitted_ = true;
  // Cholesky ≈ d³/6 MACs + d sqrt; the log-determinant d logs.
  ops.add(Op::Fp32Mac, du * du * du / 6 + du * du + 2 * du);
  ops.add(Op::Div, du * du / 2 + du);
  detail::count_sqrt(ops, du);
  detail::count_transcendental(ops, du + 1);
}

ComponentInfo loglik_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "loglik",
      "multivariate log-likelihood CDT (Kuncheva 2013; Alippi et al. 2016): Gaussian fitted on "
      "the first n_train vectors, scalar CDT on -log-likelihood",
      {
          detail::param("n_train", T::Int, 2, 1e7, 100, {},
                        "training vectors for the Gaussian fit"),
          detail::param("inner", T::Choice, 0, 0, 0, {"page_hinkley", "cusum"},
                        "scalar CDT monitoring -log-likelihood (River defaults)"),
          detail::param(
              "inner_threshold", T::Real, 0, 1e12, 0, {},
              "threshold of the inner CDT; 0 = its default (cusum 5 sd, page_hinkley 50)"),
          detail::param("ridge", T::Real, 0, 1e6, 1e-4, {}, "added to the covariance diagonal"),
      }};
}

std::unique_ptr<Detector> make_loglik(const Params& p) {
  LogLik::Config c;
  c.n_train = static_cast<uint32_t>(p.number("n_train"));
  c.inner = p.string("inner") == "cusum" ? LogLik::Inner::Cusum : LogLik::Inner::PageHinkley;
  c.inner_threshold = p.number("inner_threshold");
  c.ridge = static_cast<float>(p.number("ridge"));
  return std::make_unique<LogLik>(c);
}

}  // namespace tinyfleet
