#include "drift/det_hddm_a.hpp"

#include <cmath>
#include <stdexcept>

#include "drift/det_ops.hpp"

namespace tinyfleet {

HddmA::HddmA() : HddmA(Config{}) {}

HddmA::HddmA(const Config& c) : c_(c) {
  if (!(c.drift_confidence > 0 && c.drift_confidence < 1) ||
      !(c.warning_confidence > 0 && c.warning_confidence < 1))
    throw std::invalid_argument("hddm_a: confidences must be in (0, 1)");
  // Constant logarithms computed once (at configuration, not per update).
  k_ = {static_cast<float>(std::log(1.0 / c.drift_confidence)),
        static_cast<float>(std::log(2.0 / c.drift_confidence)),
        static_cast<float>(std::log(2.0 / c.warning_confidence))};
  reset();
}

bool HddmA::mean_shift(const Stat& cut, bool increase, float ln2_conf, OpCounter& ops) const {
  ops.add(Op::Compare);
  if (cut.n == s_.z.n) return false;
  const bool sums = c_.mode == Mode::Moa;
  const float m = static_cast<float>(s_.z.n - cut.n) / static_cast<float>(cut.n) *
                  (1.0f / static_cast<float>(s_.z.n));
  const float eps = std::sqrt(m / 2 * ln2_conf);
  ops.add(Op::Add);
  ops.add(Op::Div, sums ? 5 : 3);
  ops.add(Op::Fp32Mac, 4);
  detail::count_sqrt(ops);
  ops.add(Op::Compare);
  const float shift = increase ? s_.z.get(sums) - cut.get(sums) : cut.get(sums) - s_.z.get(sums);
  return shift >= eps;
}

void HddmA::update(double xd, uint64_t t, OpCounter& ops) {
  if (s_.drift) reset();
  const float x = static_cast<float>(xd);
  const bool sums = c_.mode == Mode::Moa;
  s_.z.n += 1;
  if (sums)
    s_.z.mean += x;
  else
    s_.z.mean += (x - s_.z.mean) / static_cast<float>(s_.z.n);
  ops.add(Op::Add);
  ops.add(Op::Fp32Mac, sums ? 1 : 2);
  if (!sums) ops.add(Op::Div);
  ops.add(Op::Load, 6);
  ops.add(Op::Store, 2);
  if (s_.lo.n == 0) s_.lo = s_.z, s_.t_lo = t;
  if (s_.hi.n == 0) s_.hi = s_.z, s_.t_hi = t;
  ops.add(Op::Compare, 2);

  auto bound = [&](uint32_t n) {  // ε(n) = sqrt(ln(1/δ_d) / (2n))
    ops.add(Op::Div);
    ops.add(Op::Fp32Mac);
    detail::count_sqrt(ops);
    return std::sqrt(1.0f / (2.0f * static_cast<float>(n)) * k_.ln_inv_drift);
  };
  const float zm = s_.z.get(sums);
  const float eps_z = bound(s_.z.n);
  if (s_.lo.get(sums) + bound(s_.lo.n) >= zm + eps_z) {
    s_.lo = s_.z, s_.t_lo = t;
    ops.add(Op::Store, 2);
  }
  if (s_.hi.get(sums) - bound(s_.hi.n) <= zm - eps_z) {
    s_.hi = s_.z, s_.t_hi = t;
    ops.add(Op::Store, 2);
  }
  ops.add(Op::Fp32Mac, 4);
  ops.add(Op::Compare, 2);
  if (sums) ops.add(Op::Div, 3);

  if (mean_incr(k_.ln2_drift, ops)) {
    s_.drift = true, s_.warning = false;
    s_.estimate = s_.t_lo;
  } else {
    s_.drift = false;
    s_.warning = mean_incr(k_.ln2_warning, ops);
  }
  const bool two_sided = c_.two_sided;
  if (!two_sided) return;
  if (!sums) {
    if (mean_decr(k_.ln2_drift, ops)) {
      if (!s_.drift) s_.estimate = s_.t_hi;
      s_.drift = true;
    } else if (mean_decr(k_.ln2_warning, ops)) {
      s_.warning = true;
    }
  } else if (!s_.drift && mean_decr(k_.ln2_drift, ops)) {
    // MOA: a decrease restarts the statistics without raising a flag (after
    // an increase alarm MOA has already zeroed them, so the test is void).
    const bool w = s_.warning;
    reset();
    s_.warning = w;
  }
}

ComponentInfo hddm_a_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "hddm_a",
      "HDDM_A on 0/1 errors (Frias-Blanco et al. 2014): Hoeffding test between the global mean "
      "and the cut-point mean",
      {
          detail::param("drift_confidence", T::Real, 1e-12, 0.5, 0.001, {},
                        "delta of the drift test"),
          detail::param("warning_confidence", T::Real, 1e-12, 0.5, 0.005, {},
                        "delta of the warning test"),
          detail::param(
              "test", T::Choice, 0, 0, 0, {"default", "one_sided", "two_sided"},
              "monitor increases only or also decreases; default: river one-sided, moa two-sided"),
          detail::param(
              "mode", T::Choice, 0, 0, 0, {"river", "moa"},
              "river (drift.binary.HDDMA) or moa (HDDM_A_Test: sums, silent reset on decrease)"),
      }};
}

std::unique_ptr<Detector> make_hddm_a(const Params& p) {
  HddmA::Config c;
  c.drift_confidence = p.number("drift_confidence");
  c.warning_confidence = p.number("warning_confidence");
  c.mode = p.string("mode") == "moa" ? HddmA::Mode::Moa : HddmA::Mode::River;
  const std::string& test = p.string("test");
  c.two_sided = test == "two_sided" || (test == "default" && c.mode == HddmA::Mode::Moa);
  return std::make_unique<HddmA>(c);
}

}  // namespace tinyfleet
