#include "drift/gen_led.hpp"

#include <cmath>
#include <stdexcept>

namespace tinyfleet {

LedGenerator::LedGenerator(int noise_percent, bool suppress_irrelevant, int drift_attributes,
                           int64_t seed)
    : rng_(seed), noise_percent_(noise_percent), suppress_(suppress_irrelevant) {
  if (noise_percent < 0 || noise_percent > 100)
    throw std::invalid_argument("led: noise percentage must be 0..100");
  if (drift_attributes < 0 || drift_attributes > kSegments)
    throw std::invalid_argument("led: drift_attributes must be 0..7");
  for (std::size_t i = 0; i < map_.size(); ++i) map_[i] = static_cast<int>(i);
  // MOA LEDGeneratorDrift.prepareForUseImpl(): segment i trades places with
  // irrelevant attribute 7 + i for i < d (its random offsets are commented
  // out in MOA, so no draws are made here).
  if (!suppress_irrelevant) {
    for (int i = 0; i < drift_attributes; ++i) {
      const int a = i % kSegments, b = kSegments + i % kIrrelevant;
      map_[static_cast<std::size_t>(a)] = b;
      map_[static_cast<std::size_t>(b)] = a;
    }
  }
  const int n = suppress_irrelevant ? kSegments : kSegments + kIrrelevant;
  info_.features = n;
  info_.classes = 10;
  info_.lo.assign(static_cast<std::size_t>(n), 0.0f);
  info_.hi.assign(static_cast<std::size_t>(n), 1.0f);
}

int LedGenerator::next(float* x) {
  // MOA LEDGenerator.nextInstance(): digit = nextInt(10); per segment one
  // nextInt(100) (flip iff 1 + draw <= noise %); then 17 × nextInt(2).
  const int digit = rng_.next_int(10);
  for (int i = 0; i < kSegments; ++i) {
    int bit = kDigits[digit][i];
    if (1 + rng_.next_int(100) <= noise_percent_) bit = 1 - bit;
    x[map_[static_cast<std::size_t>(i)]] = static_cast<float>(bit);
  }
  if (!suppress_) {
    for (int i = kSegments; i < kSegments + kIrrelevant; ++i)
      x[map_[static_cast<std::size_t>(i)]] = static_cast<float>(rng_.next_int(2));
  }
  return digit;
}

ComponentInfo led_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "led",
      "LED digits (Breiman et al. 1984), MOA-exact: 7 noisy segment bits + 17 irrelevant bits, "
      "10 classes",
      {
          {"noise", T::Real, 0, 1, 0.1, {}, "segment flip prob. (MOA -n, integer %)"},
          {"suppress_irrelevant", T::Bool, 0, 1, 0, {}, "only the 7 segment attributes (MOA -s)"},
      }};
}

std::unique_ptr<Generator> make_led(const Params& params, uint64_t seed) {
  return std::make_unique<LedGenerator>(static_cast<int>(std::lround(params.number("noise") * 100)),
                                        params.number("suppress_irrelevant") != 0, 0,
                                        static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
