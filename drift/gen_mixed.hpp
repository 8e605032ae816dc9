#pragma once
// MIXED concepts (Gama et al., "Learning with drift detection", SBIA 2004), a
// sample-exact port of MOA's moa.streams.generators.MixedGenerator
// (streams.md §2).
#include <cstdint>
#include <memory>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

// Features (MOA order): x0 = v, x1 = w in {0,1} (nominal, emitted 0.0/1.0),
// x2 = x, x3 = y ~ U[0,1). With z = y < 0.5 + 0.3 sin(3πx):
//   f1: label 0 iff (v ∧ w) ∨ (v ∧ z) ∨ (w ∧ z);  f2: reversed.
class MixedGenerator final : public Generator {
 public:
  // function 1..2 = MOA -f; balance = -b; the JavaRandom is seeded with
  // `seed` (MOA instanceRandomSeed).
  MixedGenerator(int function, bool balance, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  static int label(int function, int v, int w, double x, double y);

 private:
  StreamInfo info_;
  JavaRandom rng_;
  int function_;
  bool balance_;
  bool next_class_should_be_zero_ = false;  // MOA restart() state
};

ComponentInfo mixed_info();
// `params` resolved against mixed_info().params.
std::unique_ptr<Generator> make_mixed(const Params& params, uint64_t seed);

}  // namespace tinyfleet
