#pragma once
// EDDM, Early Drift Detection Method (Baena-García et al., IWKDDS 2006), on a
// stream of 0/1 errors, fp32 state. Monitors the distance between consecutive
// errors: mean p′ and standard deviation s′; tracks the maximum of p′ + 2s′;
// level = (p′ + 2s′) / max; warning if level < alpha, drift if level < beta.
//  - mode "river" (river.drift.binary.EDDM, v0.26): s′ with ddof = 1 (stats.Var);
//    after n > warm_start observations, a new maximum is recorded, otherwise
//    the level is tested once more than warm_start errors were seen; the
//    warning flag persists between errors and is not cleared by a drift.
//  - mode "moa" (moa EDDM.java): s′ with ddof = 0; the maximum is recorded only
//    once n > 30, the level test needs n > 30 and errors > warm_start, and the
//    warning flag is cleared at each error. (MOA hard-codes alpha 0.95,
//    beta 0.9: our defaults.)
#include <cstddef>
#include <cstdint>

#include "drift/detector.hpp"

namespace tinyfleet {

class Eddm final : public Detector {
 public:
  enum class Mode : uint8_t { River, Moa };
  struct Config {
    uint32_t warm_start = 30;
    float alpha = 0.95f, beta = 0.9f;
    Mode mode = Mode::River;
  };
  Eddm();
  explicit Eddm(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return s_.drift; }
  bool warning_detected() const override { return s_.warning; }
  // Where the current warning zone began (as DDM); without one, the alarm time.
  uint64_t change_estimate() const override { return s_.estimate; }
  void reset() override { s_ = State{}; }
  std::size_t memory_bytes() const override { return sizeof(State) + sizeof(Config); }

 private:
  struct State {
    uint32_t n = 0, errors = 0, last_error = 0;
    float mean = 0, m2 = 0, p2s_max = -1;
    uint64_t warning_start = 0, estimate = 0;
    bool warning = false, drift = false;
  };
  Config c_;
  State s_;
};

ComponentInfo eddm_info();
std::unique_ptr<Detector> make_eddm(const Params& params);

}  // namespace tinyfleet
