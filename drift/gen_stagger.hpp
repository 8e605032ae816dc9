#pragma once
// STAGGER concepts (Schlimmer & Granger, Machine Learning 1:317-354, 1986), a
// sample-exact port of MOA's moa.streams.generators.STAGGERGenerator
// (streams.md §2).
#include <cstdint>
#include <memory>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

// Features (nominal, emitted as their index as float, MOA attribute order):
//   x0 size  0 small, 1 medium, 2 large
//   x1 color 0 red,   1 blue,   2 green
//   x2 shape 0 circle, 1 square, 2 triangle
// Label 1 ("true") iff  f1: size = small ∧ color = red;  f2: color = green ∨
// shape = circle;  f3: size = medium ∨ size = large.
class StaggerGenerator final : public Generator {
 public:
  // function 1..3 = MOA -f; balance = MOA -b; the JavaRandom is seeded with
  // `seed` (MOA instanceRandomSeed).
  StaggerGenerator(int function, bool balance, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  // The concept function alone (for tests): attributes as MOA indices.
  static int label(int function, int size, int color, int shape);

 private:
  StreamInfo info_;
  JavaRandom rng_;
  int function_;
  bool balance_;
  bool next_class_should_be_zero_ = false;  // MOA restart() state
};

ComponentInfo stagger_info();
// `params` resolved against stagger_info().params.
std::unique_ptr<Generator> make_stagger(const Params& params, uint64_t seed);

}  // namespace tinyfleet
