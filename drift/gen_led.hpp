#pragma once
// LED display digits (Breiman et al., CART 1984), a sample-exact port of MOA's
// moa.streams.generators.LEDGenerator and, with drift attributes, of its
// subclass LEDGeneratorDrift (streams.md §2). This pair registers `led`;
// gen_led_drift.{hpp,cpp} registers `led_drift` on the same class.
#include <array>
#include <cstdint>
#include <memory>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

// Features: 7 segment bits of digit y (each flipped with probability noise),
// then 17 irrelevant random bits (24 binary attributes, nominal {0,1} emitted
// as 0.0/1.0), or only the 7 segments with suppress_irrelevant. Label = the
// digit 0..9.
class LedGenerator final : public Generator {
 public:
  static constexpr int kSegments = 7;
  static constexpr int kIrrelevant = 17;  // MOA NUM_IRRELEVANT_ATTRIBUTES

  // noise_percent = MOA -n (integer %); suppress_irrelevant = MOA -s;
  // drift_attributes = LEDGeneratorDrift -d (0..7; 0 = plain LEDGenerator;
  // ignored with suppress_irrelevant, as in MOA). The JavaRandom is seeded
  // with `seed` (MOA instanceRandomSeed).
  LedGenerator(int noise_percent, bool suppress_irrelevant, int drift_attributes, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  // Output position of MOA attribute i (identity unless drifting).
  int position(int i) const { return map_[static_cast<std::size_t>(i)]; }

  // Segment pattern of each digit (MOA originalInstances).
  static constexpr int kDigits[10][7] = {
      {1, 1, 1, 0, 1, 1, 1}, {0, 0, 1, 0, 0, 1, 0}, {1, 0, 1, 1, 1, 0, 1}, {1, 0, 1, 1, 0, 1, 1},
      {0, 1, 1, 1, 0, 1, 0}, {1, 1, 0, 1, 0, 1, 1}, {1, 1, 0, 1, 1, 1, 1}, {1, 0, 1, 0, 0, 1, 0},
      {1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 1, 1}};

 private:
  StreamInfo info_;
  JavaRandom rng_;
  int noise_percent_;
  bool suppress_;
  std::array<int, kSegments + kIrrelevant> map_{};
};

ComponentInfo led_info();
// `params` resolved against led_info().params.
std::unique_ptr<Generator> make_led(const Params& params, uint64_t seed);

}  // namespace tinyfleet
