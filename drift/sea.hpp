#pragma once
// SEA concepts generator (Street & Kim, KDD 2001), a sample-exact port of
// MOA's moa.streams.generators.SEAGenerator (streams.md §2).
#include <cstdint>
#include <memory>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

class SeaGenerator final : public Generator {
 public:
  // variant 0..3 = MOA function f = variant + 1 (θ = 8, 9, 7, 9.5);
  // noise_percent 0..100 = MOA noisePercentage; balance = MOA balanceClasses.
  // The JavaRandom is seeded with `seed` (MOA instanceRandomSeed, default 1).
  SeaGenerator(int variant, int noise_percent, bool balance, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

 private:
  StreamInfo info_;
  JavaRandom rng_;
  double theta_;
  int noise_percent_;
  bool balance_;
  bool next_class_should_be_zero_ = false;  // MOA restart() state
};

ComponentInfo sea_info();
// `params` resolved against sea_info().params.
std::unique_ptr<Generator> make_sea(const Params& params, uint64_t seed);

}  // namespace tinyfleet
