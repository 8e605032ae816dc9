#pragma once
// SINE concepts (Gama et al., "Learning with drift detection", SBIA 2004), a
// sample-exact port of MOA's moa.streams.generators.SineGenerator
// (streams.md §2; River's Sine swaps attribute roles and is not equivalent).
#include <cstdint>
#include <memory>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

// Features: x0 = x, x1 = y ~ U[0,1), then 2 irrelevant U[0,1) attributes
// (unless suppress_irrelevant). Label 0 iff
//   f1: y < sin x;  f2: y >= sin x;  f3: y < 0.5 + 0.3 sin(3πx);  f4: y >= that.
class SineGenerator final : public Generator {
 public:
  // function 1..4 = MOA -f; suppress_irrelevant = -s; balance = -b. The
  // JavaRandom is seeded with `seed` (MOA instanceRandomSeed).
  SineGenerator(int function, bool suppress_irrelevant, bool balance, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  static int label(int function, double x, double y);

 private:
  StreamInfo info_;
  JavaRandom rng_;
  int function_;
  bool suppress_, balance_;
  bool next_class_should_be_zero_ = false;  // MOA restart() state
};

ComponentInfo sine_info();
// `params` resolved against sine_info().params.
std::unique_ptr<Generator> make_sine(const Params& params, uint64_t seed);

}  // namespace tinyfleet
