#pragma once
// Agrawal loan functions (Agrawal, Imielinski & Swami, IEEE TKDE 5(6), 1993),
// a sample-exact port of MOA's moa.streams.generators.AgrawalGenerator
// (streams.md §2; MOA, not River, is the ground truth there).
#include <cstdint>
#include <memory>

#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

// Features in MOA attribute order (nominal ones emitted as their index):
//   x0 salary     U[20000, 150000]
//   x1 commission 0 if salary >= 75000, else U[10000, 75000]
//   x2 age        U{20..80}
//   x3 elevel     U{0..4}  (nominal "level0".."level4")
//   x4 car        U{0..19} (nominal "car1".."car20")
//   x5 zipcode    U{0..8}  (nominal "zipcode1".."zipcode9")
//   x6 hvalue     (9 - zipcode) * 100000 * U[0.5, 1.5]
//   x7 hyears     U{1..30}
//   x8 loan       U[0, 500000]
// The label is computed on the unperturbed values, then the numeric values
// are perturbed (MOA perturbValue). MOA quirk kept on purpose: hvalue is
// perturbed with min 0 and max 135000 (not 1350000), so with perturb > 0 it
// is clipped to [0, 135000] — almost always to 135000.
class AgrawalGenerator final : public Generator {
 public:
  struct Record {
    double salary, commission;
    int age, elevel, car, zipcode;
    double hvalue;
    int hyears;
    double loan;
  };

  // function 1..10 = MOA -f; perturb = MOA -p (fraction); balance = MOA -b;
  // the JavaRandom is seeded with `seed` (MOA instanceRandomSeed).
  AgrawalGenerator(int function, double perturb, bool balance, int64_t seed);

  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;

  // MOA's classification functions 1..10 (pred20..pred29 of the IBM C code).
  static int label(int function, const Record& r);

 private:
  double perturb_value(double val, double range, double min, double max);

  StreamInfo info_;
  JavaRandom rng_;
  int function_;
  double perturb_;
  bool balance_;
  bool next_class_should_be_zero_ = false;  // MOA restart() state
};

ComponentInfo agrawal_info();
// `params` resolved against agrawal_info().params.
std::unique_ptr<Generator> make_agrawal(const Params& params, uint64_t seed);

}  // namespace tinyfleet
