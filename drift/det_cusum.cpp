#include "drift/det_cusum.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "drift/det_ops.hpp"

namespace tinyfleet {

Cusum::Cusum() : Cusum(Config{}) {}

Cusum::Cusum(const Config& c) : c_(c) {
  if (c.min_instances < 1) throw std::invalid_argument("cusum: min_instances must be >= 1");
  if (!(c.slack >= 0)) throw std::invalid_argument("cusum: slack must be >= 0");
  if (!(c.threshold > 0)) throw std::invalid_argument("cusum: threshold must be > 0");
  if (!(c.delta >= 0)) throw std::invalid_argument("cusum: delta must be >= 0");
  if (!(c.lambda > 0)) throw std::invalid_argument("cusum: lambda must be > 0");
  reset();
}

void Cusum::update(double xd, uint64_t t, OpCounter& ops) {
  if (s_.drift) reset();  // River/MOA: the update after an alarm restarts the test
  const float x = static_cast<float>(xd);
  if (c_.mode == Mode::River)
    update_river(x, t, ops);
  else
    update_moa(x, t, ops);
}

void Cusum::update_river(float x, uint64_t t, OpCounter& ops) {
  ops.add(Op::Add);  // n += 1
  ops.add(Op::Compare);
  ++s_.n;
  if (!s_.frozen) {
    // Welford (River stats.Mean/stats.Var, ddof = 1) over the warm-up only:
    // River keeps updating them afterwards but never reads them again.
    const float d_old = x - s_.mean;
    s_.mean += d_old / static_cast<float>(s_.n);
    s_.m2 += d_old * (x - s_.mean);
    ops.add(Op::Fp32Mac, 4);
    ops.add(Op::Div);
    ops.add(Op::Load, 2);
    ops.add(Op::Store, 2);
    if (s_.n < c_.min_instances) return;
    // Freeze μ0 and σ: a running mean would chase the very shift to detect.
    s_.sigma = s_.n > 1 ? std::sqrt(std::max(s_.m2 / static_cast<float>(s_.n - 1), 0.0f)) : 0.0f;
    s_.frozen = true;
    s_.t_zero_up = s_.t_zero_down = t;
    ops.add(Op::Div);
    detail::count_sqrt(ops);
  }
  const float k = c_.slack * s_.sigma;
  const float limit = c_.threshold * s_.sigma;
  const float dev = x - s_.mean;
  // River updates both sums whatever the direction; only the test differs.
  s_.up = std::max(0.0f, s_.up + dev - k);
  s_.down = std::max(0.0f, s_.down - dev - k);
  ops.add(Op::Fp32Mac, 7);  // k, limit, dev, two sums of two terms each
  ops.add(Op::Compare, 2);  // clamps
  ops.add(Op::Load, 4);     // μ0, σ, S⁺, S⁻
  ops.add(Op::Store, 2);
  if (s_.up == 0.0f) s_.t_zero_up = t;
  if (s_.down == 0.0f) s_.t_zero_down = t;
  ops.add(Op::Compare, 2);
  const bool up = c_.direction != Direction::Down && s_.up > limit;
  const bool down = c_.direction != Direction::Up && s_.down > limit;
  ops.add(Op::Compare, c_.direction == Direction::Both ? 2 : 1);
  s_.drift = up || down;
  if (s_.drift) s_.estimate = (up && (!down || s_.up >= s_.down)) ? s_.t_zero_up : s_.t_zero_down;
}

void Cusum::update_moa(float x, uint64_t t, OpCounter& ops) {
  // MOA's m_n starts at 1 and is incremented after the mean update.
  if (s_.n == 0) {
    s_.n = 1;
    s_.t_zero_up = t;
  }
  s_.mean += (x - s_.mean) / static_cast<float>(s_.n);
  s_.up = std::max(0.0f, s_.up + x - s_.mean - c_.delta);
  ++s_.n;
  ops.add(Op::Fp32Mac, 5);
  ops.add(Op::Div);
  ops.add(Op::Compare, 2);
  ops.add(Op::Add);
  ops.add(Op::Load, 3);
  ops.add(Op::Store, 3);
  if (s_.up == 0.0f) s_.t_zero_up = t;
  if (s_.n < c_.min_instances) return;
  ops.add(Op::Compare);
  s_.drift = s_.up > c_.lambda;
  if (s_.drift) s_.estimate = s_.t_zero_up;
}

ComponentInfo cusum_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "cusum",
      "CUSUM control chart (fp32). river: reference mean/sd frozen after warm-up, "
      "S+/S- > threshold*sd; moa: one-sided sum on a running mean, sum > lambda",
      {
          detail::param("min_instances", T::Int, 1, 1e6, 30, {},
                        "warm-up observations before an alarm"),
          detail::param("slack", T::Real, 0, 1e6, 0.5, {},
                        "river: slack k, in reference standard deviations"),
          detail::param("threshold", T::Real, 1e-9, 1e9, 5.0, {},
                        "river: decision interval h, in reference standard deviations"),
          detail::param("direction", T::Choice, 0, 0, 0, {"both", "up", "down"},
                        "river: changes to detect (River's own 'mode' argument)"),
          detail::param("mode", T::Choice, 0, 0, 0, {"river", "moa"},
                        "river (drift.CUSUM) or moa (CusumDM, one-sided, uses delta/lambda)"),
          detail::param("delta", T::Real, 0, 1e9, 0.005, {},
                        "moa: tolerated deviation from the running mean"),
          detail::param("lambda", T::Real, 1e-9, 1e12, 50, {}, "moa: alarm threshold of the sum"),
      }};
}

std::unique_ptr<Detector> make_cusum(const Params& p) {
  Cusum::Config c;
  c.min_instances = static_cast<uint32_t>(p.number("min_instances"));
  c.slack = static_cast<float>(p.number("slack"));
  c.threshold = static_cast<float>(p.number("threshold"));
  const std::string& d = p.string("direction");
  c.direction = d == "up"     ? Cusum::Direction::Up
                : d == "down" ? Cusum::Direction::Down
                              : Cusum::Direction::Both;
  c.mode = p.string("mode") == "moa" ? Cusum::Mode::Moa : Cusum::Mode::River;
  c.delta = static_cast<float>(p.number("delta"));
  c.lambda = static_cast<float>(p.number("lambda"));
  return std::make_unique<Cusum>(c);
}

}  // namespace tinyfleet
