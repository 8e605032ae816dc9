#pragma once
// Prequential (test-then-train) accuracy of one device: cumulative, and over a
// sliding window of the last `window` predictions (MOA/River "windowed"
// accuracy, counted in samples).
#include <cstdint>
#include <vector>

namespace tinyfleet {

class PrequentialAccuracy {
 public:
  explicit PrequentialAccuracy(std::size_t window) : ring_(window > 0 ? window : 1, 0) {}

  void add(bool correct) {
    ++n_;
    correct_ += correct;
    if (filled_ == ring_.size())
      window_correct_ -= ring_[head_];
    else
      ++filled_;
    ring_[head_] = correct;
    window_correct_ += correct;
    head_ = (head_ + 1) % ring_.size();
  }
  uint64_t count() const { return n_; }
  uint64_t correct() const { return correct_; }
  uint64_t window_correct() const { return window_correct_; }
  uint64_t window_count() const { return filled_; }
  double cumulative() const { return n_ ? static_cast<double>(correct_) / n_ : 0.0; }
  double windowed() const { return filled_ ? static_cast<double>(window_correct_) / filled_ : 0.0; }
  std::size_t memory_bytes() const { return ring_.size() + 4 * sizeof(uint64_t); }

 private:
  std::vector<uint8_t> ring_;
  std::size_t head_ = 0, filled_ = 0;
  uint64_t n_ = 0, correct_ = 0, window_correct_ = 0;
};

}  // namespace tinyfleet
