#pragma once
// Waveform (Breiman et al., CART 1984), a sample-exact port of MOA's
// moa.streams.generators.WaveformGenerator and, with drift, of its subclass
// WaveformGeneratorDrift (streams.md §2). This pair registers `waveform`;
// gen_waveform_drift.{hpp,cpp} registers `waveform_drift` on the same class.
#include <array>
#include <cstdint>
#include <memory>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

// Class c ~ U{0,1,2} picks the base-wave pair (h1,h2), (h1,h3), (h2,h3);
// attribute i = u·h_a(i) + (1−u)·h_b(i) + N(0,1), u ~ U[0,1), 21 attributes;
// add_noise appends 19 pure N(0,1) attributes (40 in all).
class WaveformGenerator final : public Generator {
 public:
  static constexpr int kBase = 21;   // MOA NUM_BASE_ATTRIBUTES
  static constexpr int kTotal = 40;  // MOA TOTAL_ATTRIBUTES_INCLUDING_NOISE

  // add_noise = MOA -n. drift: behave as WaveformGeneratorDrift, whose
  // prepareForUseImpl() draws two nextInt(numAtts) from the instance RNG
  // (even for drift_attributes = 0) and swaps drift_attributes attribute
  // pairs. The JavaRandom is seeded with `seed` (MOA instanceRandomSeed).
  WaveformGenerator(bool add_noise, bool drift, int drift_attributes, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  // Output position of MOA attribute i.
  int position(int i) const { return map_[static_cast<std::size_t>(i)]; }

  // MOA hFunctions: the three base waves.
  static constexpr int kWaves[3][kBase] = {
      {0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
      {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0},
      {0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0}};

 private:
  StreamInfo info_;
  JavaRandom rng_;
  int n_;  // 21 or 40
  std::array<int, kTotal> map_{};
};

ComponentInfo waveform_info();
// `params` resolved against waveform_info().params.
std::unique_ptr<Generator> make_waveform(const Params& params, uint64_t seed);

}  // namespace tinyfleet
