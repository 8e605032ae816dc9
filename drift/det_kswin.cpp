#include "drift/det_kswin.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include "drift/det_ops.hpp"

namespace tinyfleet {

// ---- Kolmogorov–Smirnov distribution ----------------------------------------

double kolmogorov_q(double lambda) {
  if (!(lambda > 0)) return 1.0;
  if (lambda < 1.18) {
    // Jacobi-theta form of K(λ) = 1 − Q(λ), which converges fast for small λ:
    // K(λ) = √(2π)/λ Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)).
    const double pi2 = std::numbers::pi * std::numbers::pi;
    double s = 0;
    for (int k = 1; k <= 20; ++k) {
      const double j = 2 * k - 1;
      s += std::exp(-j * j * pi2 / (8 * lambda * lambda));
    }
    return std::clamp(1.0 - std::sqrt(2 * std::numbers::pi) / lambda * s, 0.0, 1.0);
  }
  double s = 0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * lambda * lambda);
    s += (k % 2 ? term : -term);
    if (term < 1e-18) break;
  }
  return std::clamp(2 * s, 0.0, 1.0);
}

double ks_pvalue_asymptotic(int n, int m, double d) {
  const double en = static_cast<double>(n) * m / (n + m);
  return kolmogorov_q(std::sqrt(en) * d);
}

double ks_pvalue_exact(int n, int m, double d) {
  if (n < 1 || m < 1) throw std::invalid_argument("ks_pvalue_exact: empty sample");
  // As SciPy: express D on the lattice of multiples of 1/lcm(n, m).
  const int64_t g = std::gcd(n, m);
  const int64_t lcm = static_cast<int64_t>(n) / g * m;
  const int64_t h = std::llround(d * static_cast<double>(lcm));
  if (h <= 0) return 1.0;
  if (n == m) {
    // Reflection principle: P(D ≥ h/n) = 2 Σ_{k=1}^{⌊n/h⌋} (−1)^{k+1} r_k,
    // r_k = C(2n, n−kh)/C(2n, n) = Π_{j<kh} (n−j)/(n+1+j); nested from the
    // innermost term to limit cancellation.
    double p = 0;
    for (int64_t k = n / h; k >= 1; --k) {
      double r = 1;
      for (int64_t j = 0; j < k * h; ++j) r *= static_cast<double>(n - j) / (n + 1 + j);
      p = r - p;
    }
    return std::clamp(2 * p, 0.0, 1.0);
  }
  // Lattice paths (i, j) from (0, 0) to (n, m), all C(n+m, n) equally likely;
  // P(inside) = mass of the paths with |i·m − j·n| / g < h at every point.
  std::vector<double> row(static_cast<std::size_t>(m) + 1, 0.0);
  auto inside = [&](int64_t i, int64_t j) { return std::llabs(i * m - j * n) / g < h; };
  row[0] = 1.0;
  for (int64_t i = 0; i <= n; ++i) {
    for (int64_t j = 0; j <= m; ++j) {
      double& cur = row[static_cast<std::size_t>(j)];
      if (i == 0 && j == 0) continue;
      // Mass arriving from (i−1, j) is already in cur (carried from the previous
      // row, scaled below); add the mass from (i, j−1).
      if (j > 0) {
        const double left = row[static_cast<std::size_t>(j - 1)];
        cur += left * static_cast<double>(m - (j - 1)) / static_cast<double>(n - i + m - (j - 1));
      }
      if (!inside(i, j)) cur = 0;
    }
    if (i == n) break;
    // Move to row i+1: the mass at (i, j) steps down with prob (n−i)/(n−i+m−j).
    for (int64_t j = 0; j <= m; ++j) {
      const double rem = static_cast<double>(n - i + m - j);
      row[static_cast<std::size_t>(j)] *= rem > 0 ? static_cast<double>(n - i) / rem : 0.0;
    }
  }
  return std::clamp(1.0 - row[static_cast<std::size_t>(m)], 0.0, 1.0);
}

double ks_pvalue(int n, int m, double d) {
  return static_cast<double>(n) * m <= 1e6 ? ks_pvalue_exact(n, m, d)
                                           : ks_pvalue_asymptotic(n, m, d);
}

double ks_statistic_sorted(const float* a, int n, const float* b, int m, uint64_t* compares) {
  // Walk both sorted samples; at each distinct value v, compare the ECDFs
  // after all elements ≤ v (ties advance both sides together).
  int i = 0, j = 0;
  int64_t best = 0;  // max |i·m − j·n|
  uint64_t c = 0;
  while (i < n && j < m) {
    const float v = std::min(a[i], b[j]);
    while (i < n && a[i] == v) ++i, ++c;
    while (j < m && b[j] == v) ++j, ++c;
    const int64_t diff = std::llabs(static_cast<int64_t>(i) * m - static_cast<int64_t>(j) * n);
    best = std::max(best, diff);
    c += 3;
  }
  if (compares) *compares += c;
  return static_cast<double>(best) / (static_cast<double>(n) * m);
}

// ---- CPython random ----------------------------------------------------------

namespace detail {

void CPythonMt::seed_with(uint64_t seed) {
  // init_by_array(key), key = 32-bit words of |seed|, least significant first.
  uint32_t key[2];
  int len = 0;
  do {
    key[len++] = static_cast<uint32_t>(seed & 0xFFFFFFFFu);
    seed >>= 32;
  } while (seed != 0 && len < 2);
  mt_[0] = 19650218u;
  for (int i = 1; i < 624; ++i)
    mt_[i] = 1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<uint32_t>(i);
  int i = 1, j = 0;
  for (int k = std::max(624, len); k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525u)) + key[j] +
             static_cast<uint32_t>(j);
    if (++i >= 624) mt_[0] = mt_[623], i = 1;
    if (++j >= len) j = 0;
  }
  for (int k = 623; k > 0; --k) {
    mt_[i] =
        (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941u)) - static_cast<uint32_t>(i);
    if (++i >= 624) mt_[0] = mt_[623], i = 1;
  }
  mt_[0] = 0x80000000u;
  index_ = 624;
}

uint32_t CPythonMt::next_u32() {
  if (index_ >= 624) {
    for (int k = 0; k < 624; ++k) {
      const uint32_t y = (mt_[k] & 0x80000000u) | (mt_[(k + 1) % 624] & 0x7FFFFFFFu);
      mt_[k] = mt_[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908B0DFu : 0u);
    }
    index_ = 0;
  }
  uint32_t y = mt_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9D2C5680u;
  y ^= (y << 15) & 0xEFC60000u;
  y ^= y >> 18;
  return y;
}

uint32_t CPythonMt::randbelow(uint32_t n, uint64_t* draws) {
  if (n == 0) return 0;
  const int k = std::bit_width(n);  // n.bit_length()
  uint32_t r;
  do {
    r = next_u32() >> (32 - k);
    if (draws) ++*draws;
  } while (r >= n);
  return r;
}

}  // namespace detail

// ---- KSWIN ------------------------------------------------------------------

Kswin::Kswin() : Kswin(Config{}) {}

Kswin::Kswin(const Config& c) : c_(c) {
  if (!(c.alpha >= 0 && c.alpha <= 1)) throw std::invalid_argument("kswin: alpha in [0, 1]");
  if (c.stat_size < 1 || c.window_size <= c.stat_size)
    throw std::invalid_argument("kswin: need 1 <= stat_size < window_size");
  window_.assign(c.window_size, 0.0f);
  times_.assign(c.window_size, 0);
  pool_.assign(c.window_size - c.stat_size, 0);
  selected_.assign(c.window_size - c.stat_size, 0);
  picked_.assign(c.stat_size, 0);
  ref_.assign(c.stat_size, 0.0f);
  recent_.assign(c.stat_size, 0.0f);
  reset();
}

void Kswin::reset() {
  head_ = size_ = 0;
  rng_.seed_with(c_.seed);  // River: random.Random(seed) again at every reset
  p_value_ = stat_ = 0;
  estimate_ = 0;
  drift_ = false;
}

std::size_t Kswin::memory_bytes() const {
  return window_.size() * sizeof(float) + pool_.size() * sizeof(uint16_t) +
         2 * c_.stat_size * sizeof(float) + 624 * sizeof(uint32_t) + sizeof(Config) + 16;
}

// CPython Random.sample(range(N), k): the pool method when N is small relative
// to k (N <= 21 + 4^⌈log4(3k)⌉), else rejection with a selected-set.
void Kswin::sample_indices(OpCounter& ops) {
  const uint32_t n = c_.window_size - c_.stat_size, k = c_.stat_size;
  uint64_t draws = 0;
  std::size_t setsize = 21;
  if (k > 5)
    setsize += static_cast<std::size_t>(
        std::pow(4.0, std::ceil(std::log(static_cast<double>(k) * 3) / std::log(4.0))));
  if (n <= setsize) {
    std::iota(pool_.begin(), pool_.end(), 0u);
    for (uint32_t i = 0; i < k; ++i) {
      const uint32_t j = rng_.randbelow(n - i, &draws);
      picked_[i] = pool_[j];
      pool_[j] = pool_[n - i - 1];
    }
    ops.add(Op::Store, n + 2 * k);
    ops.add(Op::Load, 2 * k);
  } else {
    std::fill(selected_.begin(), selected_.end(), 0);
    for (uint32_t i = 0; i < k; ++i) {
      uint32_t j = rng_.randbelow(n, &draws);
      while (selected_[j]) j = rng_.randbelow(n, &draws), ops.add(Op::Compare);
      selected_[j] = 1;
      picked_[i] = j;
    }
    ops.add(Op::Store, n + 2 * k);
    ops.add(Op::Load, k);
  }
  // One MT19937 output ≈ 8 integer ops of tempering + ~4 amortised twist ops.
  ops.add(Op::Add, 12 * draws);
  ops.add(Op::Compare, draws);
}

void Kswin::update(double xd, uint64_t t, OpCounter& ops) {
  if (drift_) reset();
  const uint32_t w = c_.window_size, r = c_.stat_size;
  // Append (deque with maxlen: the oldest value falls out when full).
  if (size_ < w) {
    window_[(head_ + size_) % w] = static_cast<float>(xd);
    times_[(head_ + size_) % w] = t;
    ++size_;
  } else {
    window_[head_] = static_cast<float>(xd);
    times_[head_] = t;
    head_ = (head_ + 1) % w;
  }
  ops.add(Op::Store, 2);
  ops.add(Op::Add, 2);
  ops.add(Op::Compare);
  if (size_ < w) {
    drift_ = false;
    return;
  }
  sample_indices(ops);
  for (uint32_t i = 0; i < r; ++i) ref_[i] = at(picked_[i]), recent_[i] = at(w - r + i);
  ops.add(Op::Load, 2 * r);
  ops.add(Op::Store, 2 * r);
  uint64_t cmp = 0;
  auto less = [&cmp](float a, float b) {
    ++cmp;
    return a < b;
  };
  std::sort(ref_.begin(), ref_.end(), less);
  std::sort(recent_.begin(), recent_.end(), less);
  ops.add(Op::Load, 2 * cmp);  // each comparison reads two words
  stat_ = ks_statistic_sorted(ref_.data(), static_cast<int>(r), recent_.data(), static_cast<int>(r),
                              &cmp);
  ops.add(Op::Compare, cmp);
  p_value_ = ks_pvalue(static_cast<int>(r), static_cast<int>(r), stat_);
  // p-value (n = m closed form): about n multiply-divides in the nested sum.
  ops.add(Op::Fp32Mac, 2 * r);
  ops.add(Op::Div, r);
  ops.add(Op::Compare, 2);
  drift_ = p_value_ <= c_.alpha && stat_ > 0.1;
  if (drift_) {
    const uint32_t first_recent = (head_ + w - r) % w;
    estimate_ = times_[(first_recent + w - 1) % w];  // last value before R
  }
}

ComponentInfo kswin_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "kswin",
      "KSWIN (Raab et al. 2020, River semantics): two-sample KS test between the last "
      "stat_size values and a random sample of the older part of the window",
      {
          detail::param("alpha", T::Real, 0, 1, 0.005, {}, "p-value threshold of the KS test"),
          detail::param("window_size", T::Int, 2, 1e5, 100, {}, "sliding window length"),
          detail::param("stat_size", T::Int, 1, 1e5, 30, {},
                        "size of the recent and reference samples"),
          detail::param(
              "seed", T::Int, 0, 4294967295.0, 42, {},
              "seed of the CPython-compatible sampler (River default None = OS entropy; fixed here "
              "for reproducibility)"),
      }};
}

std::unique_ptr<Detector> make_kswin(const Params& p) {
  Kswin::Config c;
  c.alpha = p.number("alpha");
  c.window_size = static_cast<uint32_t>(p.number("window_size"));
  c.stat_size = static_cast<uint32_t>(p.number("stat_size"));
  c.seed = static_cast<uint64_t>(p.number("seed"));
  return std::make_unique<Kswin>(c);
}

}  // namespace tinyfleet
