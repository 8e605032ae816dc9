#pragma once
// Bytes of every live structure on a device, against its RAM budget.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tinyfleet {

class MemoryLedger {
 public:
  explicit MemoryLedger(uint64_t budget_bytes) : budget_(budget_bytes) {}

  // Sets the current size of item `name` (adds it on first use).
  void set(const std::string& name, uint64_t bytes) {
    for (auto& [n, b] : items_)
      if (n == name) {
        total_ = total_ - b + bytes;
        b = bytes;
        peak_ = std::max(peak_, total_);
        return;
      }
    items_.emplace_back(name, bytes);
    total_ += bytes;
    peak_ = std::max(peak_, total_);
  }
  uint64_t total() const { return total_; }
  uint64_t peak() const { return peak_; }
  uint64_t budget() const { return budget_; }
  bool over_budget() const { return total_ > budget_; }
  const std::vector<std::pair<std::string, uint64_t>>& items() const { return items_; }

 private:
  uint64_t budget_;
  uint64_t total_ = 0, peak_ = 0;
  std::vector<std::pair<std::string, uint64_t>> items_;
};

}  // namespace tinyfleet
