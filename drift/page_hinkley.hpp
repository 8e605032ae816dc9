#pragma once
// Page-Hinkley change detector with River's current semantics
// (river.drift.PageHinkley, v0.26; streams.md §3), computed in fp32 as a
// microcontroller with a single-precision FPU would (River uses double). The
// fp32 state still reproduces River's doctest alarm (S1 → index 1006,
// tests/test_drift_page_hinkley.cpp); borderline crossings of λ may differ by
// rounding. Each update counts its ops: every fp32 add/sub/mul or fused
// multiply-add as one Fp32Mac, plus Div, integer Add, Compare, Load/Store of
// state words.
#include <cstddef>
#include <cstdint>

#include "drift/detector.hpp"

namespace tinyfleet {

class PageHinkley final : public Detector {
 public:
  enum class Mode : uint8_t { Both, Up, Down };
  // river: River's two-sided test (below); moa: MOA's PageHinkleyDM —
  // one-sided sum S = αS + (x − x̄ − δ), alarm when S > λ (no minimum
  // subtracted), alarms possible once the sample counter (which starts at 1)
  // reaches min_instances, i.e. one update earlier than River.
  enum class Variant : uint8_t { River, Moa };

  // River defaults: min_instances 30, delta 0.005, threshold (λ) 50, alpha 1 - 1e-4, "both".
  explicit PageHinkley(uint32_t min_instances = 30, double delta = 0.005, double threshold = 50,
                       double alpha = 1 - 0.0001, Mode mode = Mode::Both,
                       Variant variant = Variant::River);

  // River's update order: (1) reset if the previous update alarmed; (2) update
  // the running mean x̄ with x FIRST; (3) U = αU + (x − x̄ − δ),
  // L = αL + (x − x̄ + δ); (4) track min U, max L (max L starts at −1, as in
  // River); (5) once n >= min_instances, alarm if U − min U > λ (up) or
  // max L − L > λ (down).
  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return s_.drift; }
  // Classic Page-Hinkley change-time estimate: the t at which the cumulative
  // statistic of the side that alarmed reached its extremum before the alarm
  // (argmin U for an increase, argmax L for a decrease): the last point
  // consistent with the old mean, so the change began right after it. When
  // both sides exceed λ in "both" mode, the side with the larger excess wins.
  uint64_t change_estimate() const override { return s_.estimate; }
  void reset() override;
  // Bytes of state: the runtime statistics plus the configuration it keeps.
  std::size_t memory_bytes() const override { return sizeof(State) + sizeof(Config); }

  uint32_t count() const { return s_.n; }
  float mean() const { return s_.mean; }

 private:
  struct Config {
    float delta, threshold, alpha;
    uint32_t min_instances;
    Mode mode;
    Variant variant;
  };
  struct State {
    float mean = 0, sum_up = 0, sum_down = 0;
    float min_up = 0, max_down = 0;
    uint32_t n = 0;
    uint64_t t_min_up = 0, t_max_down = 0, estimate = 0;
    bool fresh = true;  // no update since reset: extremum trackers not set
    bool drift = false;
  };
  void update_moa(float x, uint64_t t, OpCounter& ops);
  Config c_;
  State s_;
};

ComponentInfo page_hinkley_info();
// `params` resolved against page_hinkley_info().params.
std::unique_ptr<Detector> make_page_hinkley(const Params& params);

}  // namespace tinyfleet
