#pragma once
// A full confusion matrix (rows: true class, columns: predicted class), grown
// as new class ids appear. O(K²) memory, so the simulator's devices keep only
// the per-class counts of ClassificationCounts; offline evaluation
// (`tinyfleet evaluate`) prints this one too.
#include <cstdint>
#include <vector>

namespace tinyfleet {

class ConfusionMatrix {
 public:
  void add(std::size_t y_true, std::size_t y_pred) {
    const std::size_t need = (y_true > y_pred ? y_true : y_pred) + 1;
    if (need > k_) grow(need);
    cells_[y_true * k_ + y_pred] += 1;
  }
  std::size_t classes() const { return k_; }
  uint64_t at(std::size_t y_true, std::size_t y_pred) const {
    return y_true < k_ && y_pred < k_ ? cells_[y_true * k_ + y_pred] : 0;
  }

 private:
  void grow(std::size_t k) {
    std::vector<uint64_t> cells(k * k, 0);
    for (std::size_t r = 0; r < k_; ++r)
      for (std::size_t c = 0; c < k_; ++c) cells[r * k + c] = cells_[r * k_ + c];
    cells_.swap(cells);
    k_ = k;
  }
  std::size_t k_ = 0;
  std::vector<uint64_t> cells_;
};

}  // namespace tinyfleet
