#pragma once
// HDDM_A, drift detection with Hoeffding's bound and moving averages
// (Frías-Blanco et al., IEEE TKDE 2014, "A-test"), on 0/1 errors, fp32 state.
// Cut point (n_min, X̄_min) moves to the current global mean whenever
// X̄_min + ε(n_min) >= X̄ + ε(n), ε(n) = sqrt(ln(1/δ_d)/(2n)); an increase is
// declared when X̄ − X̄_min >= sqrt(m/2 · ln(2/δ)), m = (n − n_min)/(n_min·n),
// with δ = drift_confidence (drift) or warning_confidence (warning). The
// two-sided test also tracks (n_max, X̄_max) for decreases.
//  - mode "river" (river.drift.binary.HDDMA, v0.26): running means (stats.Mean),
//    one-sided by default; a decrease also raises drift/warning.
//  - mode "moa" (moa HDDM_A_Test): sums and counts (mean = c/n), two-sided by
//    default; a significant decrease silently restarts the statistics
//    (MOA raises no flag for it).
#include <cstddef>
#include <cstdint>

#include "drift/detector.hpp"

namespace tinyfleet {

class HddmA final : public Detector {
 public:
  enum class Mode : uint8_t { River, Moa };
  struct Config {
    double drift_confidence = 0.001, warning_confidence = 0.005;
    bool two_sided = false;
    Mode mode = Mode::River;
  };
  HddmA();
  explicit HddmA(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return s_.drift; }
  bool warning_detected() const override { return s_.warning; }
  // The cut point: the last t at which (n_min, X̄_min) (resp. max) was taken,
  // i.e. the end of the reference sample of the Hoeffding test.
  uint64_t change_estimate() const override { return s_.estimate; }
  void reset() override { s_ = State{}; }
  std::size_t memory_bytes() const override { return sizeof(State) + sizeof(Constants); }

 private:
  struct Stat {
    uint32_t n = 0;
    float mean = 0;  // river: running mean; moa: sum c
    float get(bool sums) const { return sums ? mean / static_cast<float>(n) : mean; }
  };
  struct State {
    Stat z, lo, hi;
    uint64_t t_lo = 0, t_hi = 0, estimate = 0;
    bool warning = false, drift = false;
  };
  struct Constants {
    float ln_inv_drift, ln2_drift, ln2_warning;
  };
  // Hoeffding test of a shift of the mean between the cut point `cut` and now:
  // an increase (now above the cut) or a decrease (now below it).
  bool mean_shift(const Stat& cut, bool increase, float ln2_conf, OpCounter& ops) const;
  bool mean_incr(float ln2_conf, OpCounter& ops) const {
    return mean_shift(s_.lo, true, ln2_conf, ops);
  }
  bool mean_decr(float ln2_conf, OpCounter& ops) const {
    return mean_shift(s_.hi, false, ln2_conf, ops);
  }

  Config c_;
  Constants k_;
  State s_;
};

ComponentInfo hddm_a_info();
std::unique_ptr<Detector> make_hddm_a(const Params& params);

}  // namespace tinyfleet
