#include "drift/page_hinkley.hpp"

#include <limits>
#include <stdexcept>

namespace tinyfleet {

PageHinkley::PageHinkley(uint32_t min_instances, double delta, double threshold, double alpha,
                         Mode mode, Variant variant)
    : c_{static_cast<float>(delta),
         static_cast<float>(threshold),
         static_cast<float>(alpha),
         min_instances,
         mode,
         variant} {
  if (min_instances < 1) throw std::invalid_argument("page_hinkley: min_instances must be >= 1");
  if (!(delta >= 0)) throw std::invalid_argument("page_hinkley: delta must be >= 0");
  if (!(threshold > 0)) throw std::invalid_argument("page_hinkley: threshold must be > 0");
  if (!(alpha >= 0 && alpha <= 1)) throw std::invalid_argument("page_hinkley: alpha in [0, 1]");
  reset();
}

void PageHinkley::reset() {
  // River _reset(): fresh stats.Mean, sums 0, min U = +inf, max L = -1.
  s_ = State{};
  s_.min_up = std::numeric_limits<float>::infinity();
  s_.max_down = -1.0f;
}

void PageHinkley::update(double xd, uint64_t t, OpCounter& ops) {
  // River resets lazily: the update after an alarm starts a fresh test.
  if (s_.drift) reset();
  if (s_.fresh) {
    // Nothing reached an extremum yet; if L never exceeds River's initial -1
    // the estimate falls back to the first t of this run.
    s_.t_min_up = s_.t_max_down = t;
    s_.fresh = false;
  }
  const float x = static_cast<float>(xd);
  if (c_.variant == Variant::Moa) return update_moa(x, t, ops);
  const bool up = c_.mode != Mode::Down;
  const bool down = c_.mode != Mode::Up;

  // Running mean (River stats.Mean): x̄ += (x − x̄) / n, updated BEFORE the
  // deviation, so x contributes to the mean it is compared with.
  s_.n += 1;
  s_.mean += (x - s_.mean) / static_cast<float>(s_.n);
  const float dev = x - s_.mean;
  ops.add(Op::Add);         // n += 1
  ops.add(Op::Fp32Mac, 3);  // x − x̄, x̄ + ·, dev = x − x̄
  ops.add(Op::Div);         // (x − x̄) / n
  ops.add(Op::Load, 2);     // n, x̄
  ops.add(Op::Store, 2);

  // Page (1954) cumulative sums with River's forgetting factor α
  // (streams.md §3): U tests an increase of the mean, L a decrease. The test
  // for a side needs only that side's sums, so single-sided modes skip the other.
  if (up) {
    s_.sum_up = c_.alpha * s_.sum_up + (dev - c_.delta);
    ops.add(Op::Fp32Mac, 2);  // dev − δ, αU + ·
    ops.add(Op::Compare);     // U < min U
    ops.add(Op::Load, 2);     // U, min U
    ops.add(Op::Store, 1);    // U
    if (s_.sum_up < s_.min_up) {
      s_.min_up = s_.sum_up;
      s_.t_min_up = t;
      ops.add(Op::Store, 2);
    }
  }
  if (down) {
    s_.sum_down = c_.alpha * s_.sum_down + (dev + c_.delta);
    ops.add(Op::Fp32Mac, 2);  // dev + δ, αL + ·
    ops.add(Op::Compare);     // L > max L
    ops.add(Op::Load, 2);     // L, max L
    ops.add(Op::Store, 1);    // L
    if (s_.sum_down > s_.max_down) {
      s_.max_down = s_.sum_down;
      s_.t_max_down = t;
      ops.add(Op::Store, 2);
    }
  }

  // River: the drift flag is (re)computed only once n >= min_instances; after
  // a reset it is false until then.
  ops.add(Op::Compare);  // n >= min_instances
  if (s_.n < c_.min_instances) return;
  // Strict ">" as in River's _test_increase/_test_decrease.
  const float test_up = s_.sum_up - s_.min_up;
  const float test_down = s_.max_down - s_.sum_down;
  const bool up_fired = up && test_up > c_.threshold;
  const bool down_fired = down && test_down > c_.threshold;
  const uint64_t sides = static_cast<uint64_t>(up) + static_cast<uint64_t>(down);
  ops.add(Op::Fp32Mac, sides);  // U − min U, max L − L
  ops.add(Op::Compare, sides);  // > λ
  s_.drift = up_fired || down_fired;
  if (s_.drift) {
    const bool use_up = up_fired && (!down_fired || test_up >= test_down);
    s_.estimate = use_up ? s_.t_min_up : s_.t_max_down;
    ops.add(Op::Compare);
  }
}

// MOA PageHinkleyDM.input (streams.md §3): the mean uses the counter before
// it is incremented (it starts at 1 after a reset), the one-sided sum is
// compared with λ as it is. The change estimate is the argmin of the sum, as
// for River's up side.
void PageHinkley::update_moa(float x, uint64_t t, OpCounter& ops) {
  const float count = static_cast<float>(s_.n + 1);  // MOA sampleCount
  s_.mean += (x - s_.mean) / count;
  s_.sum_up = c_.alpha * s_.sum_up + (x - s_.mean - c_.delta);
  s_.n += 1;
  ops.add(Op::Fp32Mac, 5);
  ops.add(Op::Div);
  ops.add(Op::Add);
  ops.add(Op::Load, 3);
  ops.add(Op::Store, 3);
  ops.add(Op::Compare, 2);
  if (s_.sum_up < s_.min_up) {
    s_.min_up = s_.sum_up;
    s_.t_min_up = t;
    ops.add(Op::Store, 2);
  }
  if (s_.n + 1 < c_.min_instances) return;
  s_.drift = s_.sum_up > c_.threshold;
  if (s_.drift) s_.estimate = s_.t_min_up;
}

ComponentInfo page_hinkley_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "page_hinkley",
      "Page-Hinkley test on the mean (River semantics, fp32): alarm if U - min U > threshold (up) "
      "or max L - L > threshold (down)",
      {
          {"min_instances", T::Int, 1, 1e6, 30, {}, "observations before an alarm is possible"},
          {"delta", T::Real, 0, 1e9, 0.005, {}, "tolerated change of the mean (delta)"},
          {"threshold", T::Real, 1e-9, 1e12, 50, {}, "alarm threshold lambda, > 0"},
          {"alpha", T::Real, 0, 1, 0.9999, {}, "forgetting factor of the cumulative sums"},
          {"mode",
           T::Choice,
           0,
           0,
           0,
           {"both", "up", "down"},
           "which changes to detect; 'up' for error-rate monitoring (River default: both)"},
          {"variant",
           T::Choice,
           0,
           0,
           0,
           {"river", "moa"},
           "river: two-sided test with min/max tracking; moa: MOA PageHinkleyDM (one-sided sum > "
           "threshold; mode is ignored)"},
      }};
}

std::unique_ptr<Detector> make_page_hinkley(const Params& params) {
  const std::string& m = params.string("mode");
  const PageHinkley::Mode mode = m == "up"     ? PageHinkley::Mode::Up
                                 : m == "down" ? PageHinkley::Mode::Down
                                               : PageHinkley::Mode::Both;
  const PageHinkley::Variant variant =
      params.string("variant") == "moa" ? PageHinkley::Variant::Moa : PageHinkley::Variant::River;
  return std::make_unique<PageHinkley>(static_cast<uint32_t>(params.number("min_instances")),
                                       params.number("delta"), params.number("threshold"),
                                       params.number("alpha"), mode, variant);
}

}  // namespace tinyfleet
