#include "tests/bench/component_bench.hpp"

#include <chrono>
#include <cstdio>
#include <vector>

#include "drift/detector.hpp"
#include "drift/rng.hpp"
#include "drift/stream.hpp"
#include "learners/learner.hpp"

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

namespace tinyfleet::bench {
namespace {

uint64_t macs(const OpCounter& ops) {
  return ops[Op::Int8Mac] + ops[Op::Int32Mac] + ops[Op::Fp32Mac];
}

void bench_learner(const ComponentInfo& info) {
  StreamInfo si;
  si.features = 784;
  si.classes = 10;
  si.lo.assign(784, 0.0f);
  si.hi.assign(784, 255.0f);
  LearnerSpec spec;
  spec.kind = info.name;
  spec.params = default_params(info.params);
  if (spec.params.numbers.count("hidden")) spec.params.numbers["hidden"] = 200;  // 784-200-10
  std::unique_ptr<Learner> learner;
  try {
    learner = make_learner(spec, si, 1);
  } catch (const std::exception& e) {
    std::printf("  %-8s skipped: %s\n", info.name.c_str(), e.what());
    return;
  }
  // A fixed pool of random "images" whose label is a function of the pixels.
  SplitMix64 rng(3);
  const int pool = 256;
  std::vector<float> x(static_cast<std::size_t>(pool) * 784);
  std::vector<int> y(pool);
  for (int i = 0; i < pool; ++i) {
    y[static_cast<std::size_t>(i)] = i % 10;
    for (int j = 0; j < 784; ++j)
      x[static_cast<std::size_t>(i) * 784 + static_cast<std::size_t>(j)] =
          static_cast<float>(rng.next_double() * 255 * (j % 10 == i % 10 ? 1.0 : 0.5));
  }
  auto time_loop = [&](bool train) {
    OpCounter ops;
    long n = 64;
    for (;;) {
      ops.reset();
      const auto t0 = Clock::now();
      for (long i = 0; i < n; ++i) {
        const std::size_t k = static_cast<std::size_t>(i % pool);
        if (train)
          learner->learn(&x[k * 784], y[k], static_cast<uint64_t>(i), ops);
        else
          learner->predict(&x[k * 784], ops);
      }
      const double s = seconds_since(t0);
      if (s > 0.5 || n > (1L << 24))
        return std::make_pair(n / s, static_cast<double>(macs(ops)) / s);
      n *= 4;
    }
  };
  const auto [train_sps, train_macs] = time_loop(true);
  const auto [infer_sps, infer_macs] = time_loop(false);
  std::printf(
      "  %-8s train %10.0f samples/s %9.3g MAC/s | infer %10.0f samples/s %9.3g MAC/s | %8zu "
      "bytes\n",
      info.name.c_str(), train_sps, train_macs, infer_sps, infer_macs, learner->memory_bytes());
}

}  // namespace

int run_kernel_bench() {
  std::printf("learners on 784 features, 10 classes (integer MLPs 784-200-10), default params:\n");
  for (const auto& l : learner_catalog()) bench_learner(l);
  return 0;
}

}  // namespace tinyfleet::bench
