#include "tests/bench/component_bench.hpp"

#include <chrono>
#include <cstdio>
#include <vector>

#include "drift/detector.hpp"
#include "drift/rng.hpp"
#include "drift/stream.hpp"

namespace tinyfleet::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Samples/s of one generator; a checksum keeps the loop from being optimised away.
void bench_generator(const ComponentInfo& info) {
  std::unique_ptr<Generator> g;
  try {
    g = make_generator(info.name, default_params(info.params), 1);
  } catch (const std::exception& e) {
    std::printf("  %-18s skipped: %s\n", info.name.c_str(), e.what());
    return;
  }
  std::vector<float> x(static_cast<std::size_t>(g->info().features));
  long n = 1000, checksum = 0;
  for (;;) {
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) checksum += g->next(x.data());
    const double s = seconds_since(t0);
    if (s > 0.3) {
      std::printf("  %-18s %12.0f samples/s  (%d features)  [%ld]\n", info.name.c_str(), n / s,
                  g->info().features, checksum % 10);
      return;
    }
    n *= 4;
  }
}

// Updates/s of one detector on a Bernoulli(0.2) error stream (multivariate
// detectors on 4-d Gaussian vectors).
void bench_detector(const ComponentInfo& info) {
  auto d = make_detector(info.name, default_params(info.params));
  SplitMix64 rng(7);
  const int dim = 4;
  std::vector<float> inputs(1 << 16);
  for (auto& v : inputs)
    v = d->multivariate() ? static_cast<float>(rng.next_double()) : rng.next_double() < 0.2;
  OpCounter ops;
  long n = 1000, alarms = 0;
  for (;;) {
    ops.reset();
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) {
      const std::size_t k = static_cast<std::size_t>(i) & ((1u << 16) - dim);
      if (d->multivariate())
        d->update_vector(&inputs[k], dim, static_cast<uint64_t>(i), ops);
      else
        d->update(inputs[k], static_cast<uint64_t>(i), ops);
      alarms += d->drift_detected();
    }
    const double s = seconds_since(t0);
    if (s > 0.3) {
      std::printf("  %-18s %12.0f updates/s  %6.1f ops/update  %6zu bytes  [%ld alarms]\n",
                  info.name.c_str(), n / s, static_cast<double>(ops.total()) / n, d->memory_bytes(),
                  alarms);
      return;
    }
    n *= 4;
  }
}

}  // namespace

int run_component_bench() {
  std::printf("generators (default parameters):\n");
  for (const auto& g : generator_catalog()) bench_generator(g);
  std::printf(
      "detectors (default parameters; Bernoulli(0.2) input, 4-d vectors for multivariate):\n");
  for (const auto& d : detector_catalog()) bench_detector(d);
  return 0;
}

}  // namespace tinyfleet::bench
