#pragma once
// Gaussian-mixture sensor stream: a synthetic d-dimensional sensor reading per
// class, with no MOA counterpart (this project's own definition, below).
#include <cstdint>
#include <memory>
#include <vector>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

// y ~ U{0..C−1};  x = μ_y + L·z,  z ~ N(0, I_d),  L·Lᵀ = Σ = scale · R(ρ),
// R(ρ) = equicorrelation matrix (1 on the diagonal, ρ elsewhere); σ = 1 is
// the unit of every length. Σ is the covariance of every class.
//
// Class means (fixed by model_seed, independent of the stream seed):
//  - C ≤ d+1: a regular simplex with every pairwise distance = separation,
//    randomly rotated (Haar orthogonal matrix from model_seed);
//  - C > d+1 (no regular simplex fits): C random N(0, I_d) points, centred
//    and scaled so that the CLOSEST pair is `separation` apart.
// Then every mean moves by `shift` along the first axis.
//
// Drift = a concept change through the scenario's `to:` params: `shift`
// moves every class mean (mean shift), `scale` multiplies the covariance
// (variance change), `correlation` changes its shape, `separation` moves the
// classes apart/together, `model_seed` re-draws the layout.
struct GaussianMixtureConfig {
  int features = 2;
  int classes = 2;
  double separation = 2.0;
  double correlation = 0.0;  // must be in (−1/(d−1), 1) for Σ to be positive definite
  int64_t model_seed = 1;
  double shift = 0.0;
  double scale = 1.0;
};

class GaussianMixtureGenerator final : public Generator {
 public:
  // Throws std::invalid_argument on bad values, including a correlation
  // that leaves Σ not positive definite (ρ ≤ −1/(d−1)).
  GaussianMixtureGenerator(const GaussianMixtureConfig& config, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  // Mean of class c (d values) and the Cholesky factor (row-major d×d).
  const double* mean(int c) const {
    return &means_[static_cast<std::size_t>(c) * static_cast<std::size_t>(d_)];
  }
  const std::vector<double>& cholesky() const { return l_; }

 private:
  StreamInfo info_;
  JavaRandom rng_;
  int d_, classes_;
  std::vector<double> means_;  // classes × d
  std::vector<double> l_;      // lower-triangular Cholesky factor of Σ, row-major d×d
  std::vector<double> z_;      // per-sample scratch, sized once
};

ComponentInfo gaussian_mixture_info();
// `params` resolved against gaussian_mixture_info().params.
std::unique_ptr<Generator> make_gaussian_mixture(const Params& params, uint64_t seed);

}  // namespace tinyfleet
