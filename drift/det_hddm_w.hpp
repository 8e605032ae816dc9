#pragma once
// HDDM_W, drift detection with McDiarmid's bound and EWMA (Frías-Blanco et
// al., IEEE TKDE 2014, "W-test"), on 0/1 errors, fp32 state.
// Z = λx + (1−λ)Z and its independent-bounded-condition sum
// ibc = λ² + (1−λ)²·ibc; the increase cut point is the sample where
// Z + ε is minimal, ε = sqrt(ibc·ln(1/δ_d)/2); a second EWMA restarts after the
// cut; increase if Z2 − Z1 > sqrt((ibc1 + ibc2)·ln(1/δ)/2) with δ the drift or
// warning confidence (decreases symmetrically).
//  - mode "river" (river.drift.binary.HDDMW, v0.26): every EWMA restarts on x
//    whenever its value is exactly 0 (River's stats.EWMean: `if mean == 0:
//    mean = x`, streams.md §3), and ibc starts at 1 and decays from the first
//    sample on; one-sided by default; a decrease also raises drift/warning.
//  - mode "moa" (moa HDDM_W_Test): the first sample sets Z = x and ibc = 1; a
//    drift resets the test at once (before the decrease statistics of the same
//    sample are updated, as MOA does); two-sided decreases reset silently.
#include <cstddef>
#include <cstdint>

#include "drift/detector.hpp"

namespace tinyfleet {

class HddmW final : public Detector {
 public:
  enum class Mode : uint8_t { River, Moa };
  struct Config {
    double drift_confidence = 0.001, warning_confidence = 0.005;
    float lambda = 0.05f;
    bool two_sided = false;
    Mode mode = Mode::River;
  };
  HddmW();
  explicit HddmW(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return s_.drift; }
  bool warning_detected() const override { return s_.warning; }
  // The increase (resp. decrease) cut point: the t of the last sample before
  // the second EWMA started.
  uint64_t change_estimate() const override { return s_.estimate; }
  void reset() override;
  std::size_t memory_bytes() const override { return sizeof(State) + sizeof(Constants); }

 private:
  struct Sample {
    float ewma = 0, ibc = 1;
    bool init = false;
  };
  struct State {
    Sample total, s1_incr, s2_incr, s1_decr, s2_decr;
    float incr_cut = 0, decr_cut = 0;
    uint64_t t_incr = 0, t_decr = 0, estimate = 0;
    bool warning = false, drift = false;
  };
  struct Constants {
    float ln_inv_drift, ln_inv_warning, lambda, one_minus, lambda_sq, one_minus_sq;
  };
  void update_sample(Sample& s, float x, OpCounter& ops) const;
  bool changed(const Sample& a, const Sample& b, float ln_inv_conf, OpCounter& ops) const;

  Config c_;
  Constants k_;
  State s_;
};

ComponentInfo hddm_w_info();
std::unique_ptr<Detector> make_hddm_w(const Params& params);

}  // namespace tinyfleet
