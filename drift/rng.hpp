#pragma once
// Random number generators of the drift module.
//
// - JavaRandom: an exact port of java.util.Random (the 48-bit LCG of Knuth TAOCP
//   3.2.1 as specified in the Java SE API docs). MOA draws every random number
//   through it, so using it makes our generators sample-for-sample identical to
//   MOA/CapyMOA for the same seed (streams.md §2, "RNG portability").
// - SplitMix64: a tiny fast generator (Steele, Lea & Flood, OOPSLA 2014) for
//   draws that have no MOA counterpart (label policy, device selection).
// - derive_seed: gives every entity (device, drift, label policy, learner
//   init, ...) its own independent stream from one scenario seed.
#include <cstdint>

namespace tinyfleet {

class JavaRandom {
 public:
  explicit JavaRandom(int64_t seed = 0) { set_seed(seed); }

  // Java: seed = (seed ^ 0x5DEECE66D) mod 2^48; also clears the Gaussian cache.
  void set_seed(int64_t seed) {
    state_ = (static_cast<uint64_t>(seed) ^ kMultiplier) & kMask;
    have_next_gaussian_ = false;
  }

  // Java: state = state * 0x5DEECE66D + 0xB mod 2^48; returns the top `bits`
  // bits (1..32) of the 48-bit state as a signed 32-bit int.
  int32_t next(int bits) {
    state_ = (state_ * kMultiplier + kAddend) & kMask;
    return static_cast<int32_t>(static_cast<uint32_t>(state_ >> (48 - bits)));
  }

  int32_t next_int() { return next(32); }
  // Uniform in [0, bound), bound > 0 (Java's exact algorithm: power-of-two
  // path takes the high bits; otherwise rejection so every value is equally
  // likely). Throws std::invalid_argument if bound <= 0.
  int32_t next_int(int32_t bound);
  int64_t next_long() {
    // Java: ((long)next(32) << 32) + next(32), both signed.
    const int64_t hi = next(32);
    const int64_t lo = next(32);
    return static_cast<int64_t>(static_cast<uint64_t>(hi) << 32) + lo;
  }
  bool next_boolean() { return next(1) != 0; }
  float next_float() { return static_cast<float>(next(24)) / static_cast<float>(1 << 24); }
  // Java: ((long)next(26) << 27) + next(27)) * 2^-53.
  double next_double() {
    const int64_t hi = next(26);
    const int64_t lo = next(27);
    return static_cast<double>((hi << 27) + lo) * 0x1.0p-53;
  }
  // Marsaglia polar method with the second value cached (Java's algorithm).
  // Java uses StrictMath.log (fdlibm); we use std::log, which agrees except
  // possibly in the last ulp on rare inputs.
  double next_gaussian();

 private:
  static constexpr uint64_t kMultiplier = 0x5DEECE66DULL;
  static constexpr uint64_t kAddend = 0xBULL;
  static constexpr uint64_t kMask = (1ULL << 48) - 1;
  uint64_t state_ = 0;
  double next_gaussian_ = 0;
  bool have_next_gaussian_ = false;
};

// splitmix64's output function (Stafford's "Mix13" finaliser): a bijection on
// 64-bit words with full avalanche. mix64(0) == 0, so callers add a constant first.
constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed = 0) : state_(seed) {}
  uint64_t next_u64() {
    state_ += kGamma;  // Weyl sequence, then the finaliser
    return mix64(state_);
  }
  // Uniform in [0, 1) with 53 random bits.
  double next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0: Lemire's multiply-shift with rejection (unbiased).
  uint64_t next_below(uint64_t n);

  static constexpr uint64_t kGamma = 0x9E3779B97F4A7C15ULL;  // 2^64 / golden ratio

 private:
  uint64_t state_;
};

// Purposes of derived seeds. One scenario seed feeds everything; each
// (entity, purpose) pair gets its own stream so adding draws to one component
// never shifts another's random numbers.
namespace seed_purpose {
inline constexpr uint64_t kDevice = 1;           // entity = global device index
inline constexpr uint64_t kConcept = 2;          // entity = concept index (DriftingStream)
inline constexpr uint64_t kDriftSelection = 3;   // gradual-drift concept choice (DriftingStream)
inline constexpr uint64_t kLabels = 4;           // label policy of a device
inline constexpr uint64_t kLearnerInit = 5;      // learner initialisation of a device
inline constexpr uint64_t kDeviceSelection = 6;  // entity = drift index: which devices it hits
inline constexpr uint64_t kDetector = 7;         // randomised detectors (e.g. KSWIN)
inline constexpr uint64_t kClassPriors = 8;  // class draws of an imbalanced stream (DriftingStream)
}  // namespace seed_purpose

// derive_seed(root, entity, purpose): a keyed hash built from splitmix64
// steps. Each argument is offset by a distinct odd multiple of the golden
// gamma (so zeros do not collapse) and folded in through mix64, a bijection:
//   h = mix64(root + 1γ);  h = mix64(h ^ mix64(entity + 2γ));  h = mix64(h ^ mix64(purpose + 3γ))
// For fixed (root, entity) the map purpose → seed is a bijection (and likewise
// for entity with the rest fixed), so distinct children never share a seed;
// the avalanche of mix64 makes the children statistically unrelated. Children
// can be derived again (derive_seed(derive_seed(...), ...)) to build a tree.
constexpr uint64_t derive_seed(uint64_t root, uint64_t entity, uint64_t purpose) {
  constexpr uint64_t g = SplitMix64::kGamma;
  uint64_t h = mix64(root + g);
  h = mix64(h ^ mix64(entity + 2 * g));
  h = mix64(h ^ mix64(purpose + 3 * g));
  return h;
}

}  // namespace tinyfleet
