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

  // Registers an item and returns its id (for the hot path: no name lookup).
  std::size_t add_item(const std::string& name, uint64_t bytes = 0) {
    items_.emplace_back(name, 0);
    set(items_.size() - 1, bytes);
    return items_.size() - 1;
  }
  // Sets the current size of item `id`.
  void set(std::size_t id, uint64_t bytes) {
    uint64_t& b = items_[id].second;
    total_ = total_ - b + bytes;
    b = bytes;
    peak_ = std::max(peak_, total_);
  }
  // Sets the current size of item `name` (adds it on first use).
  void set(const std::string& name, uint64_t bytes) {
    for (std::size_t i = 0; i < items_.size(); ++i)
      if (items_[i].first == name) return set(i, bytes);
    add_item(name, bytes);
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
