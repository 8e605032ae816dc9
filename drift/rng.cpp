#include "drift/rng.hpp"

#include <cmath>
#include <stdexcept>

namespace tinyfleet {

int32_t JavaRandom::next_int(int32_t bound) {
  if (bound <= 0) throw std::invalid_argument("JavaRandom::next_int: bound must be positive");
  int32_t r = next(31);
  const int32_t m = bound - 1;
  if ((bound & m) == 0) {
    // Power of two: take the high-order bits, (bound * r) >> 31 (Java API docs).
    return static_cast<int32_t>((static_cast<int64_t>(bound) * r) >> 31);
  }
  // Java: for (u = r; u - (r = u % bound) + m < 0; u = next(31));
  // The int overflow of u - r + m flags the incomplete last block of size
  // bound at the top of [0, 2^31); those draws are rejected to stay unbiased.
  for (int32_t u = r;; u = next(31)) {
    r = u % bound;
    if (static_cast<int64_t>(u) - r + m <= INT32_MAX) break;
  }
  return r;
}

double JavaRandom::next_gaussian() {
  // Marsaglia polar method (Knuth TAOCP 3.4.1 C), as in java.util.Random.
  if (have_next_gaussian_) {
    have_next_gaussian_ = false;
    return next_gaussian_;
  }
  double v1, v2, s;
  do {
    v1 = 2 * next_double() - 1;
    v2 = 2 * next_double() - 1;
    s = v1 * v1 + v2 * v2;
  } while (s >= 1 || s == 0);
  const double multiplier = std::sqrt(-2 * std::log(s) / s);
  next_gaussian_ = v2 * multiplier;
  have_next_gaussian_ = true;
  return v1 * multiplier;
}

uint64_t SplitMix64::next_below(uint64_t n) {
  // Lemire, "Fast random integer generation in an interval", TOMACS 2019.
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

}  // namespace tinyfleet
