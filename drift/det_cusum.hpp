#pragma once
// CUSUM change detector (Page 1954, "Continuous inspection schemes"), fp32.
//  - mode "river" (river.drift.CUSUM, v0.26; streams.md §3): the reference
//    mean μ0 and deviation σ are estimated over the first min_instances values
//    and then frozen; S⁺ = max(0, S⁺ + (x − μ0) − kσ), S⁻ = max(0, S⁻ − (x − μ0) − kσ),
//    alarm if the watched sum(s) > hσ (k = slack, h = threshold, `direction`
//    = River's `mode` argument: both/up/down).
//  - mode "moa" (moa CusumDM): one-sided on a RUNNING mean x̄ (including x),
//    sum = max(0, sum + x − x̄ − δ), alarm if sum > λ once n >= min_instances
//    (MOA counts n from 1 and increments after the update, so the first test
//    happens at the min_instances-1'th value; reproduced).
// Both reset lazily: the update after an alarm starts a fresh test.
#include <cstddef>
#include <cstdint>

#include "drift/detector.hpp"

namespace tinyfleet {

class Cusum final : public Detector {
 public:
  enum class Mode : uint8_t { River, Moa };
  enum class Direction : uint8_t { Both, Up, Down };
  struct Config {
    uint32_t min_instances = 30;
    float slack = 0.5f, threshold = 5.0f;  // river: multiples of σ
    Direction direction = Direction::Both;
    Mode mode = Mode::River;
    float delta = 0.005f, lambda = 50.0f;  // moa
  };

  Cusum();
  explicit Cusum(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return s_.drift; }
  // Classical CUSUM change-point estimate: the last t at which the alarming
  // sum was at its floor 0 (the last point consistent with the reference), as
  // PageHinkley's argmin convention.
  uint64_t change_estimate() const override { return s_.estimate; }
  void reset() override { s_ = State{}; }
  std::size_t memory_bytes() const override { return sizeof(State) + sizeof(Config); }

  float reference() const { return s_.mean; }
  float sigma() const { return s_.sigma; }

 private:
  struct State {
    uint32_t n = 0;
    float mean = 0, m2 = 0, sigma = 0;  // river: Welford warm-up, then frozen
    float up = 0, down = 0;
    uint64_t t_zero_up = 0, t_zero_down = 0, estimate = 0;
    bool frozen = false, drift = false;
  };
  void update_river(float x, uint64_t t, OpCounter& ops);
  void update_moa(float x, uint64_t t, OpCounter& ops);

  Config c_;
  State s_;
};

ComponentInfo cusum_info();
std::unique_ptr<Detector> make_cusum(const Params& params);

}  // namespace tinyfleet
