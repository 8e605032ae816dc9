#pragma once
// Tail risk of a windowed-accuracy series A_w read at the output ticks
// (docs/METRICS.md "Tail risk"; reference taxonomy.md §3):
//   5th percentile of A_w (inverted-CDF: the ⌈0.05·n⌉-th smallest value),
//   worst window = min A_w,
//   CVaR_α of the windowed loss L = 1 − A_w: the mean of the worst α share of
//     the losses, the boundary loss weighted by its fraction (Acerbi & Tasche
//     2002): with L_(1) ≥ L_(2) ≥ … and m = α·n,
//     CVaR_α = (Σ_{i ≤ ⌊m⌋} L_(i) + (m − ⌊m⌋)·L_(⌊m⌋+1)) / m,
//   time below the service level s: Σ over ticks with A_w < s of the tick
//     interval (`output.every_s`).
// Ticks at which the window holds no prediction are left out.
#include <optional>
#include <vector>

namespace tinyfleet {

inline constexpr double kDefaultCvarAlpha = 0.05;
inline constexpr double kTailPercentile = 0.05;

// Inverted-CDF quantile of `values` at p ∈ (0, 1]; none if empty.
std::optional<double> lower_quantile(std::vector<double> values, double p);
// CVaR_α of `losses` (α ∈ (0, 1]); none if empty.
std::optional<double> cvar(std::vector<double> losses, double alpha);

struct TailRisk {
  std::size_t windows = 0;  // ticks scored
  double p5 = 0, worst = 0, cvar = 0, time_below_s = 0;
};
// From a series of windowed accuracies, each standing for `tick_s` seconds.
TailRisk tail_risk(const std::vector<double>& accuracy_windows, double tick_s, double service_level,
                   double alpha = kDefaultCvarAlpha);

}  // namespace tinyfleet
