#pragma once
// ADWIN, adaptive windowing (Bifet & Gavaldà, SDM 2007), fp32 bucket sums.
// The window is an exponential histogram: row i holds up to max_buckets (+1
// transiently) buckets of 2^i values, each a (total, variance) pair; merging
// uses the Babcock et al. (PODS 2003) variance update. Every `clock` updates,
// once the width exceeds grace_period, every cut W = W0·W1 (oldest first) is
// tested: cut if |μ0 − μ1| > ε, ε = sqrt(2·m·σ²_W·δ′) + (2/3)·δ′·m,
// δ′ = ln(2·ln|W|/δ), m = 1/(n0 − mwl + 1) + 1/(n1 − mwl + 1); on a cut the
// oldest bucket is dropped and the scan restarts.
//  - mode "river" (river.drift.ADWIN, v0.26, Rust port of adwin_c.pyx): cut
//    needs n0, n1 >= min_window_length; any direction alarms; the update after
//    an alarm restarts ADWIN from an empty window.
//  - mode "moa" (moa ADWINChangeDetector): cut needs n0, n1 > min_window_length + 1;
//    only a cut that raised the mean estimate alarms (error-rate semantics);
//    the window is never reset (the cut already dropped the old data).
// Rows are preallocated at construction (kMaxRows), so no update allocates.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drift/detector.hpp"

namespace tinyfleet {

class Adwin final : public Detector {
 public:
  enum class Mode : uint8_t { River, Moa };
  struct Config {
    double delta = 0.002;
    uint32_t clock = 32, max_buckets = 5, min_window_length = 5, grace_period = 10;
    Mode mode = Mode::River;
  };
  // 40 rows of 2^i buckets hold > 5·2^39 values: more than any simulation feeds.
  static constexpr uint32_t kMaxRows = 40;

  Adwin();
  explicit Adwin(const Config& c);

  void update(double x, uint64_t t, OpCounter& ops) override;
  bool drift_detected() const override { return drift_; }
  // The t of the newest value dropped by the cut(s) (last value of the old
  // concept): t − width·(mean t step since reset), exact for consecutive t.
  uint64_t change_estimate() const override { return estimate_; }
  void reset() override;
  // The buckets in use (two fp32 per slot, max_buckets + 1 slots per row) plus
  // the window statistics and configuration.
  std::size_t memory_bytes() const override;

  uint32_t width() const { return width_; }
  float total() const { return total_; }
  float variance() const { return variance_; }
  float estimation() const { return width_ ? total_ / static_cast<float>(width_) : 0.0f; }
  uint32_t rows() const { return rows_; }

 private:
  std::size_t slot(uint32_t row, uint32_t k) const { return row * (c_.max_buckets + 1) + k; }
  void insert(float value, OpCounter& ops);
  void compress(OpCounter& ops);
  void compress_row(uint32_t row, uint32_t n);
  uint32_t delete_oldest(OpCounter& ops);
  bool detect(OpCounter& ops);

  Config c_;
  std::vector<float> totals_, variances_;   // kMaxRows × (max_buckets + 1), preallocated
  std::array<uint32_t, kMaxRows> count_{};  // buckets in each row
  uint32_t rows_ = 1, width_ = 0, tick_ = 0;
  float total_ = 0, variance_ = 0;
  uint64_t t_first_ = 0, updates_ = 0, estimate_ = 0;
  bool drift_ = false;
};

ComponentInfo adwin_info();
std::unique_ptr<Detector> make_adwin(const Params& params);

}  // namespace tinyfleet
