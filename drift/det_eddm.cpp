#include "drift/det_eddm.hpp"

#include <cmath>
#include <stdexcept>

#include "drift/det_ops.hpp"

namespace tinyfleet {

Eddm::Eddm() : Eddm(Config{}) {}

Eddm::Eddm(const Config& c) : c_(c) {
  if (!(c.alpha >= c.beta)) throw std::invalid_argument("eddm: alpha must be >= beta");
  if (!(c.beta > 0 && c.alpha <= 1)) throw std::invalid_argument("eddm: 0 < beta <= alpha <= 1");
  reset();
}

void Eddm::update(double xd, uint64_t t, OpCounter& ops) {
  if (s_.drift) reset();
  const bool was_warning = s_.warning;
  ++s_.n;
  ops.add(Op::Add);
  ops.add(Op::Compare);  // x == 1
  if (xd != 1.0) return;
  const bool river = c_.mode == Mode::River;
  if (!river) s_.warning = false;
  ++s_.errors;
  // Welford on the distance since the previous error (River stats.Var; MOA's
  // m_mean / m_stdTemp are the same recurrence).
  const float dist = static_cast<float>(s_.n - s_.last_error);
  const float d_old = dist - s_.mean;
  s_.mean += d_old / static_cast<float>(s_.errors);
  s_.m2 += d_old * (dist - s_.mean);
  s_.last_error = s_.n;
  ops.add(Op::Add, 3);      // errors, distance, last_error
  ops.add(Op::Fp32Mac, 4);  // Welford
  ops.add(Op::Div);
  ops.add(Op::Load, 5);
  ops.add(Op::Store, 4);

  const float var = river ? (s_.errors > 1 ? s_.m2 / static_cast<float>(s_.errors - 1) : 0.0f)
                          : s_.m2 / static_cast<float>(s_.errors);
  const float p2s = s_.mean + 2 * std::sqrt(var);
  ops.add(Op::Div);
  detail::count_sqrt(ops);
  ops.add(Op::Fp32Mac);
  ops.add(Op::Compare, 2);
  if (river) {
    if (s_.n <= c_.warm_start) return;
    if (p2s > s_.p2s_max) {
      s_.p2s_max = p2s;
      ops.add(Op::Store);
    } else if (s_.errors > c_.warm_start) {
      const float level = p2s / s_.p2s_max;
      ops.add(Op::Div);
      ops.add(Op::Compare, 2);
      if (level < c_.beta)
        s_.drift = true;  // River leaves the warning flag as it was
      else
        s_.warning = level < c_.alpha;
    }
  } else {
    const bool warm = s_.n > 30;  // MOA FDDM_MINNUMINSTANCES
    if (p2s > s_.p2s_max) {
      if (warm) s_.p2s_max = p2s, ops.add(Op::Store);
    } else if (warm && s_.errors > c_.warm_start) {
      const float level = p2s / s_.p2s_max;
      ops.add(Op::Div);
      ops.add(Op::Compare, 2);
      if (level < c_.beta)
        s_.drift = true;
      else
        s_.warning = level < c_.alpha;
    }
  }
  if (s_.warning && !was_warning) s_.warning_start = t;
  if (s_.drift) s_.estimate = was_warning ? s_.warning_start : t;
}

ComponentInfo eddm_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "eddm",
      "EDDM on 0/1 errors (Baena-Garcia et al. 2006): distance between errors, level = "
      "(p'+2s')/max; warning < alpha, drift < beta",
      {
          detail::param("warm_start", T::Int, 0, 1e9, 30, {},
                        "observations and errors before the test"),
          detail::param("alpha", T::Real, 1e-9, 1, 0.95, {}, "warning level (>= beta)"),
          detail::param("beta", T::Real, 1e-9, 1, 0.9, {}, "drift level"),
          detail::param("mode", T::Choice, 0, 0, 0, {"river", "moa"},
                        "river (drift.binary.EDDM) or moa (EDDM.java: ddof 0, n > 30)"),
      }};
}

std::unique_ptr<Detector> make_eddm(const Params& p) {
  Eddm::Config c;
  c.warm_start = static_cast<uint32_t>(p.number("warm_start"));
  c.alpha = static_cast<float>(p.number("alpha"));
  c.beta = static_cast<float>(p.number("beta"));
  c.mode = p.string("mode") == "moa" ? Eddm::Mode::Moa : Eddm::Mode::River;
  return std::make_unique<Eddm>(c);
}

}  // namespace tinyfleet
