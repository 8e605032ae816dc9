#pragma once
// ICI-based change-detection test (Alippi & Roveri, "Just-in-time adaptive
// classifiers — Part I", IEEE TNN 2008; Alippi, Boracchi, Roveri, Neural
// Networks 2011), fp32 state, O(1) memory after training.
//  - The stream is cut into non-overlapping windows of ν samples; each window s
//    gives two features: M(s) = sample mean and V(s) = (S(s)/(ν−1))^{h0}, the
//    Mudholkar–Trivedi (1981) power transform that makes the sample variance
//    approximately Gaussian, h0 = 1 − k1·k3/(3·k2²).
//  - Training on the first S0 windows: k1, k2, k3 are the sample cumulants
//    (k-statistics) of the S0 window variances; h0 is clamped to [0.05, 1]
//    (a noisy k3 from few windows can push it out of range), and falls back
//    to 1/3 — its exact value for Gaussian data, where S/σ² ~ χ²_{ν−1}, the
//    Wilson–Hilferty cube root — when S0 < 3 or the variances do not vary.
//    μ̂ and σ̂ of each feature are the mean and standard deviation over the
//    S0 training windows.
//  - ICI rule: at window s ≥ S0, CI_s = [m_s ± Γ·σ̂/√s] with m_s the mean of the
//    feature over windows 1..s; a change is detected when the intersection
//    ∩_{S0 ≤ u ≤ s} CI_u becomes empty for either feature.
//  - change_estimate (refined, O(1) memory): rather than the start of the
//    window where the intersection became empty (which lags the change by the
//    ICI detection delay), each feature keeps the cumulative sum
//    C_s = Σ_{u ≤ s} (F(u) − μ̂) after training and its running arg-min and
//    arg-max; for the feature that failed, an upward (downward) departure is
//    dated at argmin C (argmax C): the least-squares change point of a mean
//    shift in the window features (Page 1954 / Hinkley 1970 estimate), reported
//    as the last sample of that window. Alippi et al. (2011) refine with a
//    second ICI pass over stored features; this keeps memory constant.
//  - Element-wise variant (nu = 1): every sample is a window of its own, so the
//    test can alarm at any sample instead of at window ends (streams.md §3
//    defines only the window-wise test). M(t) = x_t: the ICI rule on the raw
//    observations, its original form (Goldenshluger & Nemirovski 1997; the
//    window means of Alippi & Roveri only make non-Gaussian data Gaussian). A
//    one-sample window has no sample variance: V(t) = ((x_t − μ̂_M)²)^{h0}, the
//    squared deviation from the trained mean under the same Mudholkar–Trivedi
//    transform (h0 from the cumulants of the S0 training values' squared
//    deviations; for Gaussian data (x−μ)²/σ² ~ χ²_1 and h0 = 1/3, Wilson–Hilferty).
//    s0 then counts samples. CI_s still averages s ≥ S0 values, so its Gaussian
//    width rests on the CLT as the window-wise test's does. With s0 = nu·S0 both
//    see the same running mean of M and CI width at window ends; the
//    element-wise test also checks between them (no wait for a window's end,
//    but more intervals to intersect: more false alarms).
// The update after a detection restarts the test (re-training).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drift/detector.hpp"

namespace tinyfleet {

class Ici final : public Detector {
 public:
  struct Config {
    uint32_t nu = 20, s0 = 20;
    float gamma = 2.5f;
  };
  Ici();
  explicit Ici(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return drift_; }
  uint64_t change_estimate() const override { return estimate_; }
  void reset() override;
  std::size_t memory_bytes() const override;

  float h0() const { return h0_; }
  bool trained() const { return windows_ >= c_.s0; }

 private:
  struct Feature {
    float mu = 0, sigma = 0, sum = 0;   // training stats; sum over windows 1..s
    float lo = 0, hi = 0;               // current intersection
    float cum = 0, cmin = 0, cmax = 0;  // C_s and its extrema (change-time estimate)
    uint64_t t_cmin = 0, t_cmax = 0;
  };
  void end_window(uint64_t t, OpCounter& ops);
  void train(uint64_t t, OpCounter& ops);
  // Returns +1 (CI above the intersection), −1 (below) or 0 (still non-empty).
  int intersect(Feature& f, float value, float half, uint64_t t, OpCounter& ops);

  Config c_;
  std::vector<float> train_mean_, train_var_;  // S0 training features
  Feature m_, v_;
  float win_mean_ = 0, win_m2_ = 0, h0_ = 1.0f / 3;
  uint32_t in_window_ = 0, windows_ = 0;
  uint64_t estimate_ = 0;
  bool drift_ = false;
};

ComponentInfo ici_info();
std::unique_ptr<Detector> make_ici(const Params& params);

}  // namespace tinyfleet
