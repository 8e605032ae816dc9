#pragma once
// Multivariate log-likelihood change-detection test (Kuncheva, IEEE TKDE
// 2013, "Change detection in streaming multivariate data using likelihood
// detectors"; Alippi, Boracchi, Carrera, Roveri, IJCAI 2016,
// arXiv:1510.04850): fit a density φ̂0 on stationary training data, map each
// x_t ∈ R^d to ℓ_t = log φ̂0(x_t), and monitor the scalar stream −ℓ_t with
// any scalar CDT (a change of mean or covariance shifts the distribution of
// ℓ). Here φ̂0 is a single Gaussian fitted (Welford mean, unbiased
// covariance + ridge·I, Eigen LLT Cholesky) on the first n_train vectors; the
// inner CDT is River's Page-Hinkley (default) or CUSUM at their defaults, or
// with `inner_threshold` if > 0. The inner CUSUM estimates its reference over
// n_train values of ℓ (not 30): −ℓ is skewed (a scaled χ²_d), and 30 values
// give a σ too poor for its 5σ threshold (false alarms in our tests). Note the detectability loss:
// var[ℓ] = d/2 for Gaussian data, so the SNR of a fixed-sKL change decays ~1/d (streams.md §3).
// fp32 state; per monitored vector: d subtractions, a d×d triangular solve
// (d(d+1)/2 MACs, reciprocal diagonal precomputed), ‖y‖², plus the inner CDT.
// update(x) feeds a 1-d vector. The update after an alarm restarts (re-fit).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "drift/detector.hpp"

namespace tinyfleet {

class LogLik final : public Detector {
 public:
  enum class Inner : uint8_t { Cusum, PageHinkley };
  struct Config {
    uint32_t n_train = 100;
    Inner inner = Inner::PageHinkley;
    double inner_threshold = 0;  // 0: the inner detector's default
    float ridge = 1e-4f;
  };
  LogLik();
  explicit LogLik(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  void update_vector(const float* x, int d, uint64_t t, OpCounter& ops) override;
  bool multivariate() const override { return true; }
  bool drift_detected() const override { return drift_; }
  // The inner CDT's change estimate on the ℓ stream (in the caller's t).
  uint64_t change_estimate() const override { return inner_->change_estimate(); }
  void reset() override;
  std::size_t memory_bytes() const override;

  bool fitted() const { return fitted_; }
  int dimension() const { return d_; }
  // Last log-likelihood computed (after fitting).
  float last_loglik() const { return last_ll_; }

 private:
  void fit(OpCounter& ops);
  std::unique_ptr<Detector> make_inner() const;

  Config c_;
  std::unique_ptr<Detector> inner_;
  int d_ = 0;
  uint32_t n_ = 0;
  std::vector<float> mean_, m2_, chol_, inv_diag_, diff_;  // d, d², d², d, d
  float log_norm_ = 0, last_ll_ = 0;
  bool fitted_ = false, drift_ = false;
};

ComponentInfo loglik_info();
std::unique_ptr<Detector> make_loglik(const Params& params);

}  // namespace tinyfleet
