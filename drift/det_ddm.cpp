#include "drift/det_ddm.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "drift/det_ops.hpp"

namespace tinyfleet {

Ddm::Ddm() : Ddm(Config{}) {}

Ddm::Ddm(const Config& c) : c_(c) {
  if (!(c.warning_threshold > 0) || !(c.drift_threshold > 0))
    throw std::invalid_argument("ddm: thresholds must be > 0");
  reset();
}

void Ddm::reset() {
  s_ = State{};
  const float inf = std::numeric_limits<float>::infinity();
  s_.p_min = s_.s_min = s_.ps_min = inf;  // River; MOA uses Double.MAX_VALUE: same ordering
  if (c_.mode == Mode::Moa) {
    s_.n = 1;  // MOA: m_n = 1, m_p = 1
    s_.p = 1;
  }
}

void Ddm::update(double xd, uint64_t t, OpCounter& ops) {
  if (s_.drift) reset();
  const float x = static_cast<float>(xd);
  const bool was_warning = s_.warning;
  const bool river = c_.mode == Mode::River;
  float p, si;
  uint32_t n_test;
  if (river) {
    ++s_.n;  // stats.Mean: n first, then p += (x − p)/n
    s_.p += (x - s_.p) / static_cast<float>(s_.n);
    p = s_.p;
    si = std::sqrt(p * (1 - p) / static_cast<float>(s_.n));
    n_test = s_.n;
  } else {
    s_.p += (x - s_.p) / static_cast<float>(s_.n);
    p = s_.p;
    si = std::sqrt(p * (1 - p) / static_cast<float>(s_.n));
    ++s_.n;
    n_test = s_.n;
    s_.warning = false;
  }
  ops.add(Op::Add);
  ops.add(Op::Fp32Mac, 4);  // x − p, p + ·, 1 − p, p·(1 − p)
  ops.add(Op::Div, 2);
  detail::count_sqrt(ops);
  ops.add(Op::Load, 2);
  ops.add(Op::Store, 2);
  ops.add(Op::Compare);  // warm-up
  const bool tested = river ? n_test > c_.warm_start : n_test >= c_.warm_start;
  if (!tested) return;

  const float ps = p + si;
  ops.add(Op::Fp32Mac, 3);  // p + s, two thresholds (fused p_min + k·s_min)
  ops.add(Op::Compare, 3);
  ops.add(Op::Load, 3);
  if (ps <= s_.ps_min) {
    s_.p_min = p;
    s_.s_min = si;
    s_.ps_min = p + si;
    ops.add(Op::Store, 3);
  }
  const bool over_drift = ps > s_.p_min + c_.drift_threshold * s_.s_min;
  const bool over_warning = ps > s_.p_min + c_.warning_threshold * s_.s_min;
  if (over_drift && (river || n_test > c_.warm_start)) {
    s_.drift = true;
    s_.warning = false;
  } else {
    s_.warning = over_warning;
  }
  if (s_.warning && !was_warning) s_.warning_start = t;
  if (s_.drift) s_.estimate = was_warning ? s_.warning_start : t;
}

ComponentInfo ddm_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "ddm",
      "DDM on 0/1 errors (Gama et al. 2004): warning if p+s > p_min + w*s_min, drift if "
      "> p_min + d*s_min",
      {
          detail::param("warm_start", T::Int, 0, 1e9, 30, {},
                        "observations before the test starts"),
          detail::param("warning_threshold", T::Real, 1e-9, 1e3, 2.0, {},
                        "warning level w (in s_min)"),
          detail::param("drift_threshold", T::Real, 1e-9, 1e3, 3.0, {}, "drift level d (in s_min)"),
          detail::param("mode", T::Choice, 0, 0, 0, {"river", "moa"},
                        "river (drift.binary.DDM) or moa (DDM.java counters)"),
      }};
}

std::unique_ptr<Detector> make_ddm(const Params& p) {
  Ddm::Config c;
  c.warm_start = static_cast<uint32_t>(p.number("warm_start"));
  c.warning_threshold = static_cast<float>(p.number("warning_threshold"));
  c.drift_threshold = static_cast<float>(p.number("drift_threshold"));
  c.mode = p.string("mode") == "moa" ? Ddm::Mode::Moa : Ddm::Mode::River;
  return std::make_unique<Ddm>(c);
}

}  // namespace tinyfleet
