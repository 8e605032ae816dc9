#pragma once
// DDM, Drift Detection Method (Gama, Medas, Castillo, Rodrigues, SBIA 2004),
// on a stream of 0/1 errors, fp32 state.
//  - mode "river" (river.drift.binary.DDM, v0.26): p_i = running error rate,
//    s_i = sqrt(p_i(1 − p_i)/i); once i > warm_start, (p_min, s_min) is stored
//    whenever p_i + s_i <= p_min + s_min; warning if p_i + s_i > p_min + w·s_min,
//    drift if > p_min + d·s_min (the drift clears the warning). The warning flag
//    is only re-evaluated after the warm-up.
//  - mode "moa" (moa DDM): same statistics but MOA's counters: p starts at 1
//    with n = 1 (so the first value sets p), n is incremented after s is
//    computed, the test starts when n >= warm_start, a drift needs n > warm_start,
//    and both flags are cleared at every update.
#include <cstddef>
#include <cstdint>

#include "drift/detector.hpp"

namespace tinyfleet {

class Ddm final : public Detector {
 public:
  enum class Mode : uint8_t { River, Moa };
  struct Config {
    uint32_t warm_start = 30;
    float warning_threshold = 2.0f, drift_threshold = 3.0f;
    Mode mode = Mode::River;
  };
  Ddm();
  explicit Ddm(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return s_.drift; }
  bool warning_detected() const override { return s_.warning; }
  // Gama et al.: the new context starts where the warning zone began; without
  // a preceding warning, the alarm time itself.
  uint64_t change_estimate() const override { return s_.estimate; }
  void reset() override;
  std::size_t memory_bytes() const override { return sizeof(State) + sizeof(Config); }

  float error_rate() const { return s_.p; }

 private:
  struct State {
    uint32_t n = 0;
    float p = 0, p_min = 0, s_min = 0, ps_min = 0;
    uint64_t warning_start = 0, estimate = 0;
    bool warning = false, drift = false;
  };
  Config c_;
  State s_;
};

ComponentInfo ddm_info();
std::unique_ptr<Detector> make_ddm(const Params& params);

}  // namespace tinyfleet
