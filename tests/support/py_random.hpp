#pragma once
// Test support: a bit-exact re-implementation of CPython's `random.Random`
// for integer seeds (streams.md §6 "Reproducing Python's random in C++"), so
// that River doctest streams can be regenerated in C++ conformance tests.
//  - MT19937 (Matsumoto & Nishimura 1998) with the standard twist/tempering,
//    seeded by init_by_array(key), key = 32-bit little-endian words of |seed|
//    (NOT init_genrand / std::mt19937(seed), which is NumPy's legacy seeding).
//  - random() = (a * 2^26 + b) / 2^53 with a = u32 >> 5, b = u32 >> 6.
//  - choices(pop, k) = pop[floor(random() * n)] for each of k draws;
//    with weights: bisect_right(cumulative weights, random() * total, 0, n - 1).
//  - gauss(mu, sigma): Box–Muller with the second value cached (§6 step 4).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace tinyfleet::test {

class PyRandom {
 public:
  explicit PyRandom(uint64_t seed) {
    // CPython random_seed: the absolute value's 32-bit words, least significant first; 0 → {0}.
    std::vector<uint32_t> key;
    do {
      key.push_back(static_cast<uint32_t>(seed & 0xFFFFFFFFu));
      seed >>= 32;
    } while (seed != 0);
    init_by_array(key);
  }

  uint32_t next_u32() {
    if (index_ >= kN) twist();
    uint32_t y = mt_[index_++];
    // Tempering.
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680u;
    y ^= (y << 15) & 0xEFC60000u;
    y ^= y >> 18;
    return y;
  }

  // random.random(): 53-bit double in [0, 1).
  double random() {
    const uint32_t a = next_u32() >> 5;
    const uint32_t b = next_u32() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  // random.choices(population, weights, k=k): cumulative weights as Python's
  // itertools.accumulate (left-to-right float sums).
  template <typename T>
  std::vector<T> choices(const std::vector<T>& population, const std::vector<double>& weights,
                         std::size_t k) {
    std::vector<double> cum(weights.size());
    double acc = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) cum[i] = acc += weights[i];
    const double total = cum.back();
    std::vector<T> out;
    out.reserve(k);
    for (std::size_t i = 0; i < k; ++i) {
      const double r = random() * total;
      // bisect_right over cum[0 .. n-1) (hi = n - 1).
      const auto it = std::upper_bound(cum.begin(), cum.end() - 1, r);
      out.push_back(population[static_cast<std::size_t>(it - cum.begin())]);
    }
    return out;
  }

  // random.gauss(mu, sigma).
  double gauss(double mu = 0, double sigma = 1) {
    double z;
    if (has_gauss_) {
      z = gauss_next_;
      has_gauss_ = false;
    } else {
      const double x2pi = random() * 2 * std::numbers::pi;
      const double g2rad = std::sqrt(-2.0 * std::log(1.0 - random()));
      z = std::cos(x2pi) * g2rad;
      gauss_next_ = std::sin(x2pi) * g2rad;
      has_gauss_ = true;
    }
    return mu + z * sigma;
  }

  // random.choices(population, k=k) without weights.
  template <typename T>
  std::vector<T> choices(const std::vector<T>& population, std::size_t k) {
    std::vector<T> out;
    out.reserve(k);
    const double n = static_cast<double>(population.size());
    for (std::size_t i = 0; i < k; ++i)
      out.push_back(population[static_cast<std::size_t>(std::floor(random() * n))]);
    return out;
  }

 private:
  static constexpr int kN = 624, kM = 397;

  void init_genrand(uint32_t s) {
    mt_[0] = s;
    for (int i = 1; i < kN; ++i)
      mt_[i] = 1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<uint32_t>(i);
    index_ = kN;
  }

  void init_by_array(const std::vector<uint32_t>& key) {
    init_genrand(19650218u);
    int i = 1, j = 0;
    const int len = static_cast<int>(key.size());
    for (int k = (kN > len ? kN : len); k > 0; --k) {
      mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525u)) + key[j] +
               static_cast<uint32_t>(j);
      ++i, ++j;
      if (i >= kN) mt_[0] = mt_[kN - 1], i = 1;
      if (j >= len) j = 0;
    }
    for (int k = kN - 1; k > 0; --k) {
      mt_[i] =
          (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941u)) - static_cast<uint32_t>(i);
      ++i;
      if (i >= kN) mt_[0] = mt_[kN - 1], i = 1;
    }
    mt_[0] = 0x80000000u;  // MSB set: non-zero initial state
    index_ = kN;
  }

  void twist() {
    for (int k = 0; k < kN; ++k) {
      const uint32_t y = (mt_[k] & 0x80000000u) | (mt_[(k + 1) % kN] & 0x7FFFFFFFu);
      mt_[k] = mt_[(k + kM) % kN] ^ (y >> 1) ^ ((y & 1u) ? 0x9908B0DFu : 0u);
    }
    index_ = 0;
  }

  std::array<uint32_t, kN> mt_{};
  int index_ = kN;
  double gauss_next_ = 0;
  bool has_gauss_ = false;
};

}  // namespace tinyfleet::test
