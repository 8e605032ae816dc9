#pragma once
// Two Gaussian blobs in [0, 10]², class 0 around (low, low), class 1 around
// (high, high), σ = 1: a learnable stream for the learners' tests.
#include <algorithm>
#include <random>

#include "devices/op_counter.hpp"

namespace tinyfleet::testing {

struct Blobs {
  std::mt19937 rng;
  std::normal_distribution<float> n{0.f, 1.f};
  float low, high;
  float x[2] = {0, 0};
  Blobs(unsigned seed, float low_centre, float high_centre)
      : rng(seed), low(low_centre), high(high_centre) {}
  int next() {
    const int y = static_cast<int>(rng() & 1u);
    const float c = y ? high : low;
    for (float& v : x) v = std::clamp(c + n(rng), 0.f, 10.f);
    return y;
  }
};

// Prequential-free accuracy of `net` on n fresh blob samples.
template <class Net>
double blob_accuracy(Net& net, Blobs b, int n) {
  OpCounter ops;
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    const int y = b.next();
    ok += net.predict(b.x, ops) == y;
  }
  return static_cast<double>(ok) / n;
}

}  // namespace tinyfleet::testing
