#include "drift/det_ici.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "drift/det_ops.hpp"

namespace tinyfleet {

Ici::Ici() : Ici(Config{}) {}

Ici::Ici(const Config& c) : c_(c) {
  if (c.nu < 1) throw std::invalid_argument("ici: nu must be >= 1");
  if (c.s0 < 2) throw std::invalid_argument("ici: s0 must be >= 2");
  if (!(c.gamma > 0)) throw std::invalid_argument("ici: gamma must be > 0");
  train_mean_.assign(c.s0, 0.0f);
  train_var_.assign(c.s0, 0.0f);
  reset();
}

void Ici::reset() {
  m_ = v_ = Feature{};
  win_mean_ = win_m2_ = 0;
  h0_ = 1.0f / 3;
  in_window_ = windows_ = 0;
  estimate_ = 0;
  drift_ = false;
}

std::size_t Ici::memory_bytes() const {
  return (train_mean_.size() + train_var_.size()) * sizeof(float) + 2 * sizeof(Feature) +
         4 * sizeof(float) + 2 * sizeof(uint32_t) + sizeof(Config);
}

void Ici::update(double xd, uint64_t t, OpCounter& ops) {
  if (drift_) reset();
  const float x = static_cast<float>(xd);
  // Welford within the window: mean and sum of squared deviations S(s).
  ++in_window_;
  const float d = x - win_mean_;
  win_mean_ += d / static_cast<float>(in_window_);
  win_m2_ += d * (x - win_mean_);
  ops.add(Op::Add);
  ops.add(Op::Fp32Mac, 4);
  ops.add(Op::Div);
  ops.add(Op::Load, 3);
  ops.add(Op::Store, 3);
  ops.add(Op::Compare);
  if (in_window_ == c_.nu) end_window(t, ops);
}

int Ici::intersect(Feature& f, float value, float half, uint64_t t, OpCounter& ops) {
  f.sum += value;
  const float m = f.sum / static_cast<float>(windows_);
  const float lo = m - half, hi = m + half;
  ops.add(Op::Fp32Mac, 3);
  ops.add(Op::Div);
  ops.add(Op::Compare, 4);
  ops.add(Op::Load, 3);
  ops.add(Op::Store, 1);
  // Cumulative deviation from the training mean, for the change-time estimate.
  f.cum += value - f.mu;
  ops.add(Op::Fp32Mac, 2);
  ops.add(Op::Compare, 2);
  if (f.cum < f.cmin) f.cmin = f.cum, f.t_cmin = t, ops.add(Op::Store, 2);
  if (f.cum > f.cmax) f.cmax = f.cum, f.t_cmax = t, ops.add(Op::Store, 2);
  if (lo > f.hi) return +1;
  if (hi < f.lo) return -1;
  if (lo > f.lo) f.lo = lo, ops.add(Op::Store);
  if (hi < f.hi) f.hi = hi, ops.add(Op::Store);
  return 0;
}

void Ici::end_window(uint64_t t, OpCounter& ops) {
  const float mean = win_mean_;
  float var = 0;  // element-wise training: filled in by train() from the trained mean
  if (c_.nu > 1) {
    var = win_m2_ / static_cast<float>(c_.nu - 1);
    ops.add(Op::Div);
  } else if (windows_ >= c_.s0) {
    var = (mean - m_.mu) * (mean - m_.mu);  // the squared deviation from the trained mean
    ops.add(Op::Add);
    ops.add(Op::Fp32Mac);
  }
  win_mean_ = win_m2_ = 0;
  in_window_ = 0;
  ++windows_;
  ops.add(Op::Store, 3);
  if (windows_ <= c_.s0) {
    train_mean_[windows_ - 1] = mean;
    train_var_[windows_ - 1] = var;
    ops.add(Op::Store, 2);
    if (windows_ == c_.s0) train(t, ops);
    return;
  }
  const float vfeat = var > 0 ? std::pow(var, h0_) : 0.0f;
  detail::count_transcendental(ops);
  const float inv_sqrt_s = 1.0f / std::sqrt(static_cast<float>(windows_));
  detail::count_sqrt(ops);
  ops.add(Op::Div);
  ops.add(Op::Fp32Mac, 2);
  const int rm = intersect(m_, mean, c_.gamma * m_.sigma * inv_sqrt_s, t, ops);
  const int rv = intersect(v_, vfeat, c_.gamma * v_.sigma * inv_sqrt_s, t, ops);
  if (rm == 0 && rv == 0) return;
  drift_ = true;
  const Feature& f = rm != 0 ? m_ : v_;
  const int dir = rm != 0 ? rm : rv;
  estimate_ = dir > 0 ? f.t_cmin : f.t_cmax;
}

void Ici::train(uint64_t t, OpCounter& ops) {
  const uint32_t n = c_.s0;
  const float fn = static_cast<float>(n);
  if (c_.nu == 1) {  // element-wise: V's training values need the trained mean first
    float mu = 0;
    for (float x : train_mean_) mu += x;
    mu /= fn;
    for (uint32_t i = 0; i < n; ++i) train_var_[i] = (train_mean_[i] - mu) * (train_mean_[i] - mu);
    ops.add(Op::Fp32Mac, 2 * n);
    ops.add(Op::Add, n);
    ops.add(Op::Div);
    ops.add(Op::Load, 2 * n);
    ops.add(Op::Store, n);
  }
  // Sample cumulants of the window variances (k-statistics k1, k2, k3).
  float k1 = 0;
  for (float v : train_var_) k1 += v;
  k1 /= fn;
  float s2 = 0, s3 = 0;
  for (float v : train_var_) {
    const float d = v - k1;
    s2 += d * d;
    s3 += d * d * d;
  }
  const float k2 = s2 / (fn - 1);
  const float k3 = n >= 3 ? fn * s3 / ((fn - 1) * (fn - 2)) : 0.0f;
  h0_ = 1.0f / 3;
  if (n >= 3 && k2 > 0 && k1 > 0) h0_ = std::clamp(1 - k1 * k3 / (3 * k2 * k2), 0.05f, 1.0f);
  ops.add(Op::Fp32Mac, 6 * n + 10);
  ops.add(Op::Div, 5);
  ops.add(Op::Load, 2 * n);

  // Feature statistics over the training windows; the ICI sequence starts
  // with CI_{S0} = [μ̂ ± Γσ̂/√S0].
  auto fit = [&](Feature& f, auto&& value) {
    float sum = 0;
    for (uint32_t i = 0; i < n; ++i) sum += value(i);
    f.mu = sum / fn;
    float ss = 0;
    for (uint32_t i = 0; i < n; ++i) ss += (value(i) - f.mu) * (value(i) - f.mu);
    f.sigma = std::sqrt(ss / (fn - 1));
    f.sum = sum;
    const float half = c_.gamma * f.sigma / std::sqrt(fn);
    f.lo = f.mu - half, f.hi = f.mu + half;
    f.cum = f.cmin = f.cmax = 0;
    f.t_cmin = f.t_cmax = t;
    ops.add(Op::Fp32Mac, 3 * n + 4);
    ops.add(Op::Div, 3);
    detail::count_sqrt(ops, 2);
  };
  fit(m_, [&](uint32_t i) { return train_mean_[i]; });
  for (float& v : train_var_) v = v > 0 ? std::pow(v, h0_) : 0.0f;  // V(s), in place
  detail::count_transcendental(ops, n);
  fit(v_, [&](uint32_t i) { return train_var_[i]; });
}

ComponentInfo ici_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "ici",
      "ICI-based CDT (Alippi & Roveri 2008): window mean and power-transformed variance, "
      "alarm when the intersection of confidence intervals becomes empty",
      {
          detail::param("nu", T::Int, 1, 1e6, 20, {},
                        "samples per window; 1: element-wise (each sample is a window)"),
          detail::param("s0", T::Int, 2, 1e5, 20, {}, "training windows (samples when nu = 1)"),
          detail::param("gamma", T::Real, 1e-3, 100, 2.5, {},
                        "CI half-width in standard deviations (Gamma)"),
      }};
}

std::unique_ptr<Detector> make_ici(const Params& p) {
  Ici::Config c;
  c.nu = static_cast<uint32_t>(p.number("nu"));
  c.s0 = static_cast<uint32_t>(p.number("s0"));
  c.gamma = static_cast<float>(p.number("gamma"));
  return std::make_unique<Ici>(c);
}

}  // namespace tinyfleet
