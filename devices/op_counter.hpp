#pragma once
// Counts the operations a kernel really executes, by class. The device profile
// turns counts into cycles (devices/cost_model.hpp).
#include <array>
#include <cstdint>
#include <string_view>

namespace tinyfleet {

enum class Op : uint8_t {
  Int8Mac,   // 8-bit multiply-accumulate (also 8-bit sub/abs-diff in distance loops)
  Int32Mac,  // 32-bit multiply-accumulate
  Fp32Mac,   // float multiply-accumulate
  Add,       // integer add / sub
  Compare,   // compare / branch / min / max
  Div,       // integer or float division
  Load,      // memory load (one word)
  Store,     // memory store (one word)
  Popcount,  // population count (binary kernels)
  Count_
};
inline constexpr std::size_t kOpClasses = static_cast<std::size_t>(Op::Count_);

// Names as used in board YAML files (`cycles:` map) and outputs.
inline constexpr std::array<std::string_view, kOpClasses> kOpNames = {
    "int8_mac", "int32_mac", "fp32_mac", "add", "compare", "div", "load", "store", "popcount"};

struct OpCounter {
  std::array<uint64_t, kOpClasses> n{};

  void add(Op op, uint64_t count = 1) { n[static_cast<std::size_t>(op)] += count; }
  uint64_t operator[](Op op) const { return n[static_cast<std::size_t>(op)]; }
  void reset() { n.fill(0); }
  uint64_t total() const {
    uint64_t s = 0;
    for (auto v : n) s += v;
    return s;
  }
  OpCounter& operator+=(const OpCounter& o) {
    for (std::size_t i = 0; i < kOpClasses; ++i) n[i] += o.n[i];
    return *this;
  }
};

}  // namespace tinyfleet
