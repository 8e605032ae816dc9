#include "drift/det_hddm_w.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "drift/det_ops.hpp"

namespace tinyfleet {

HddmW::HddmW() : HddmW(Config{}) {}

HddmW::HddmW(const Config& c) : c_(c) {
  if (!(c.drift_confidence > 0 && c.drift_confidence < 1) ||
      !(c.warning_confidence > 0 && c.warning_confidence < 1))
    throw std::invalid_argument("hddm_w: confidences must be in (0, 1)");
  if (!(c.lambda > 0 && c.lambda <= 1)) throw std::invalid_argument("hddm_w: lambda in (0, 1]");
  const float l = c.lambda, m = 1.0f - c.lambda;
  k_ = {static_cast<float>(std::log(1.0 / c.drift_confidence)),
        static_cast<float>(std::log(1.0 / c.warning_confidence)),
        l,
        m,
        l * l,
        m * m};
  reset();
}

void HddmW::reset() {
  s_ = State{};
  s_.incr_cut = std::numeric_limits<float>::infinity();
  // River: −inf. MOA: Double.MIN_VALUE (the smallest POSITIVE double, a quirk
  // kept here as the smallest positive float).
  s_.decr_cut = c_.mode == Mode::River ? -std::numeric_limits<float>::infinity()
                                       : std::numeric_limits<float>::denorm_min();
}

void HddmW::update_sample(Sample& s, float x, OpCounter& ops) const {
  ops.add(Op::Compare);
  ops.add(Op::Load, 2);
  ops.add(Op::Store, 2);
  if (c_.mode == Mode::River) {
    // stats.EWMean restarts whenever its mean is exactly 0; ibc starts at 1.
    s.ewma = s.ewma == 0.0f ? x : k_.lambda * x + k_.one_minus * s.ewma;
    s.ibc = k_.lambda_sq + k_.one_minus_sq * s.ibc;
    ops.add(Op::Fp32Mac, 4);
  } else if (!s.init) {
    s.ewma = x;
    s.ibc = 1.0f;
  } else {
    s.ewma = k_.lambda * x + k_.one_minus * s.ewma;
    s.ibc = k_.lambda_sq + k_.one_minus_sq * s.ibc;
    ops.add(Op::Fp32Mac, 4);
  }
  s.init = true;
}

// McDiarmid test: has the mean increased from sample a to sample b?
bool HddmW::changed(const Sample& a, const Sample& b, float ln_inv_conf, OpCounter& ops) const {
  ops.add(Op::Compare, 2);
  if (!(a.init && b.init)) return false;
  const float bound = std::sqrt((a.ibc + b.ibc) * ln_inv_conf / 2);
  ops.add(Op::Fp32Mac, 4);
  detail::count_sqrt(ops);
  ops.add(Op::Compare);
  return b.ewma - a.ewma > bound;
}

void HddmW::update(double xd, uint64_t t, OpCounter& ops) {
  const bool river = c_.mode == Mode::River;
  if (river && s_.drift) reset();  // River resets lazily; MOA already did
  const float x = static_cast<float>(xd);
  update_sample(s_.total, x, ops);

  // Increase monitoring: move the cut point to the minimum of Z + ε.
  {
    const float eps = std::sqrt(s_.total.ibc * k_.ln_inv_drift / 2);
    ops.add(Op::Fp32Mac, 3);
    detail::count_sqrt(ops);
    ops.add(Op::Compare);
    if (s_.total.ewma + eps < s_.incr_cut) {
      s_.incr_cut = s_.total.ewma + eps;
      s_.s1_incr = s_.total;
      s_.s2_incr = Sample{};
      s_.t_incr = t;
      ops.add(Op::Store, 7);
    } else {
      update_sample(s_.s2_incr, x, ops);
    }
  }
  if (changed(s_.s1_incr, s_.s2_incr, k_.ln_inv_drift, ops)) {
    s_.drift = true, s_.warning = false;
    s_.estimate = s_.t_incr;
    if (!river) reset(), s_.drift = true;  // MOA resetLearning() at once
  } else {
    s_.drift = false;
    s_.warning = changed(s_.s1_incr, s_.s2_incr, k_.ln_inv_warning, ops);
  }

  // Decrease monitoring: the cut point is the maximum of Z − ε.
  {
    const float eps = std::sqrt(s_.total.ibc * k_.ln_inv_drift / 2);
    ops.add(Op::Fp32Mac, 3);
    detail::count_sqrt(ops);
    ops.add(Op::Compare);
    if (s_.total.ewma - eps > s_.decr_cut) {
      s_.decr_cut = s_.total.ewma - eps;
      s_.s1_decr = s_.total;
      s_.s2_decr = Sample{};
      s_.t_decr = t;
      ops.add(Op::Store, 7);
    } else {
      update_sample(s_.s2_decr, x, ops);
    }
  }
  if (!c_.two_sided) return;
  if (river) {
    if (changed(s_.s2_decr, s_.s1_decr, k_.ln_inv_drift, ops)) {
      if (!s_.drift) s_.estimate = s_.t_decr;
      s_.drift = true;
    } else if (changed(s_.s2_decr, s_.s1_decr, k_.ln_inv_warning, ops)) {
      s_.warning = true;
    }
  } else if (changed(s_.s2_decr, s_.s1_decr, k_.ln_inv_drift, ops)) {
    const bool d = s_.drift, w = s_.warning;  // MOA: silent restart
    reset();
    s_.drift = d, s_.warning = w;
  }
}

ComponentInfo hddm_w_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "hddm_w",
      "HDDM_W on 0/1 errors (Frias-Blanco et al. 2014): McDiarmid test between EWMAs before "
      "and after the cut point",
      {
          detail::param("drift_confidence", T::Real, 1e-12, 0.5, 0.001, {},
                        "delta of the drift test"),
          detail::param("warning_confidence", T::Real, 1e-12, 0.5, 0.005, {},
                        "delta of the warning test"),
          detail::param("lambda_val", T::Real, 1e-6, 1, 0.05, {},
                        "EWMA weight of the newest value"),
          detail::param(
              "test", T::Choice, 0, 0, 0, {"default", "one_sided", "two_sided"},
              "monitor increases only or also decreases (river and moa default: one-sided)"),
          detail::param("mode", T::Choice, 0, 0, 0, {"river", "moa"},
                        "river (drift.binary.HDDMW: EWMean restart at 0, ibc decays from 1) or moa "
                        "(HDDM_W_Test)"),
      }};
}

std::unique_ptr<Detector> make_hddm_w(const Params& p) {
  HddmW::Config c;
  c.drift_confidence = p.number("drift_confidence");
  c.warning_confidence = p.number("warning_confidence");
  c.lambda = static_cast<float>(p.number("lambda_val"));
  c.mode = p.string("mode") == "moa" ? HddmW::Mode::Moa : HddmW::Mode::River;
  c.two_sided = p.string("test") == "two_sided";
  return std::make_unique<HddmW>(c);
}

}  // namespace tinyfleet
