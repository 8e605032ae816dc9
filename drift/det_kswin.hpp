#pragma once
// KSWIN, Kolmogorov–Smirnov windowing (Raab, Heusinger, Schleif,
// Neurocomputing 2020), with River's semantics (river.drift.KSWIN, v0.26):
// a sliding window Ψ of window_size values; once full, stat_size indices are
// drawn without replacement from the first window_size − stat_size positions
// (CPython random.Random(seed).sample, bit-exact, so River's doctest
// reproduces), compared with the last stat_size values by the two-sample KS
// test; drift if p ≤ alpha AND D > 0.1 (River's extra guard). River sets
// Ψ := R on an alarm but then resets on the next update anyway (empty window,
// RNG re-seeded): that is what runs, so that is what we do.
//
// p-value (SciPy ks_2samp, method "auto", uses the exact distribution for
// these sizes): exact two-sided P(D ≥ d). For n = m, the reflection-principle
// sum P = 2 Σ_{k≥1} (−1)^{k+1} C(2n, n−kh)/C(2n, n) with h = round(d·n)
// (Gnedenko–Korolyuk 1951); for n ≠ m, the lattice-path probability of
// staying strictly inside |i/n − j/m| < d (Hodges 1957), O(n·m). Beyond
// n·m > 10^6 we use the asymptotic Kolmogorov distribution
// Q(√(nm/(n+m))·d) (SciPy's "asymp" uses kstwo(round(nm/(n+m))) instead, so
// very large samples may differ slightly in the tail).
//
// Values are kept in fp32 (ties and order of integer/quantised data are
// unaffected). Memory: the window, the sampling pool, the two sorted samples
// and the 2.5 KB MT19937 state needed for CPython-compatible sampling.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drift/detector.hpp"

namespace tinyfleet {

// Kolmogorov survival function Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}.
double kolmogorov_q(double lambda);
// Two-sided two-sample KS p-values for D = d between samples of sizes n, m.
double ks_pvalue_exact(int n, int m, double d);
double ks_pvalue_asymptotic(int n, int m, double d);
// Exact when n·m ≤ 10^6, else asymptotic.
double ks_pvalue(int n, int m, double d);
// D = sup |F_a − F_b| of two ascending-sorted samples. `compares` (optional)
// receives the number of comparisons made.
double ks_statistic_sorted(const float* a, int n, const float* b, int m,
                           uint64_t* compares = nullptr);

namespace detail {
// CPython's random.Random for integer seeds: MT19937 seeded by init_by_array,
// getrandbits(k ≤ 32) = u32 >> (32 − k), _randbelow by rejection.
class CPythonMt {
 public:
  explicit CPythonMt(uint64_t seed = 0) { seed_with(seed); }
  void seed_with(uint64_t seed);
  uint32_t next_u32();
  uint32_t randbelow(uint32_t n, uint64_t* draws = nullptr);

 private:
  std::array<uint32_t, 624> mt_{};
  int index_ = 624;
};
}  // namespace detail

class Kswin final : public Detector {
 public:
  struct Config {
    double alpha = 0.005;
    uint32_t window_size = 100, stat_size = 30;
    uint64_t seed = 42;
  };
  Kswin();
  explicit Kswin(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return drift_; }
  // The start of the recent sample R (its first t): the oldest value that
  // differs from the reference, so the change estimate is the value before it.
  uint64_t change_estimate() const override { return estimate_; }
  void reset() override;
  std::size_t memory_bytes() const override;

  double p_value() const { return p_value_; }
  double statistic() const { return stat_; }

 private:
  float at(uint32_t i) const { return window_[(head_ + i) % c_.window_size]; }
  void sample_indices(OpCounter& ops);

  Config c_;
  std::vector<float> window_;  // ring buffer, oldest at head_
  std::vector<uint64_t> times_;
  std::vector<uint32_t> pool_, picked_;
  std::vector<uint8_t> selected_;
  std::vector<float> ref_, recent_;
  detail::CPythonMt rng_;
  uint32_t head_ = 0, size_ = 0;
  double p_value_ = 0, stat_ = 0;
  uint64_t estimate_ = 0;
  bool drift_ = false;
};

ComponentInfo kswin_info();
std::unique_ptr<Detector> make_kswin(const Params& params);

}  // namespace tinyfleet
