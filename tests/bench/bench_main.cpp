// Throughput benchmark (not a test): device-samples per second for the
// quickstart fleet scaled to N devices, in three ways, to show where time goes:
//   plain    — the same generator + learner + detector + label policy in a bare loop
//   devices  — the Device objects (costs, energy, memory, metrics) advanced without SimGrid
//   calendar | per-sample — the full simulation with that schedule
// The fleet: the quickstart's two groups (kNN + Page-Hinkley, static kNN) with a
// 64-entry knowledge base, SEA at 1 Hz, a 64 B status report per device per minute.
// usage: tinyfleet_bench MODE [--devices N] [--hours H] [--cell DEVICES_PER_GATEWAY]
//        tinyfleet_bench components   — samples/s of every generator, updates/s of every detector
//        tinyfleet_bench kernels      — training/inference samples/s and MAC/s of every learner
// Prints one line: mode, devices, device-samples, wall seconds, samples/s, peak RSS MB.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "drift/detector.hpp"
#include "drift/drifting_stream.hpp"
#include "drift/label_policy.hpp"
#include "drift/rng.hpp"
#include "learners/learner.hpp"
#include "scenarios/loader.hpp"
#include "sim/fleet.hpp"
#include "sim/run.hpp"
#include "tests/bench/component_bench.hpp"

using namespace tinyfleet;

namespace {

Scenario scaled_quickstart(int devices, double hours, int cell_devices) {
  Scenario sc = load_builtin_quickstart(default_schema_catalog());
  if (cell_devices > 0) sc.network.cell_devices = cell_devices;
  const int per_group = devices / static_cast<int>(sc.groups.size());
  for (auto& g : sc.groups) {
    g.count = per_group;
    g.learner.params.numbers["budget"] = 64;  // issue #10's reference fleet: a 64-sample KB
  }
  if (hours > 0) {
    sc.duration_s = hours * 3600;
    for (auto& g : sc.groups)
      for (auto& d : g.drifts) d.at_s = sc.duration_s / 2;
  }
  return sc;
}

// The kernels alone: what a device computes per sample, with no costs or simulation.
uint64_t plain_loop(const Scenario& sc) {
  uint64_t samples = 0, correct = 0;
  for (const auto& setup : plan_fleet(sc)) {
    const GroupSpec& g = *setup.spec;
    DriftingStream stream(g.stream, setup.drifts, derive_seed(sc.seed, setup.id, 1));
    LabelPolicy labels(g.labels, derive_seed(sc.seed, setup.id, 2));
    auto learner = make_learner(g.learner, stream.info(), derive_seed(sc.seed, setup.id, 3));
    std::unique_ptr<Detector> detector;
    if (!g.learner.detector.kind.empty() && learner->adapts_on_drift())
      detector = make_detector(g.learner.detector.kind, g.learner.detector.params);
    OpCounter ops;
    const double period = 1.0 / g.stream.rate_hz;
    const int d = stream.info().features;
    // Labels arrive after a fixed delay: a small FIFO of (arrival, features, y, predicted).
    struct Pending {
      double arrival;
      uint64_t index;
      int y, predicted;
      float x[16];
    };
    std::vector<Pending> fifo;
    std::size_t head = 0;
    uint64_t index = 0;
    for (double t = setup.phase_s; t < sc.duration_s; t = setup.phase_s + ++index * period) {
      while (head < fifo.size() && fifo[head].arrival <= t) {
        Pending& p = fifo[head++];
        if (detector) {
          detector->update(p.predicted != p.y, p.index, ops);
          if (detector->drift_detected())
            learner->on_drift({p.index, detector->change_estimate()}, ops);
        }
        learner->learn(p.x, p.y, p.index, ops);
      }
      if (head > 1024) {
        fifo.erase(fifo.begin(), fifo.begin() + static_cast<std::ptrdiff_t>(head));
        head = 0;
      }
      Sample s = stream.next(t);
      const int predicted = learner->predict(s.x, ops);
      correct += predicted == s.y;
      ++samples;
      if (auto arrival = labels.arrival_time(t)) {
        Pending p{*arrival, index, s.y, predicted, {}};
        std::copy(s.x, s.x + d, p.x);
        fifo.push_back(p);
      }
    }
  }
  if (correct == 0) std::printf("(no correct predictions)\n");
  return samples;
}

uint64_t devices_loop(const Scenario& sc) {
  uint64_t samples = 0;
  for (const auto& setup : plan_fleet(sc)) {
    Device d(setup);
    d.advance_to(kNever);
    d.finish();
    samples += d.totals().samples;
  }
  return samples;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s plain|devices|calendar|per-sample|components [--devices N] [--hours H] "
                 "[--cell N]\n",
                 argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  if (mode == "components") return bench::run_component_bench();
  if (mode == "kernels") return bench::run_kernel_bench();
  int devices = 1000;
  double hours = 0;
  int cell_devices = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--devices")
      devices = std::atoi(argv[i + 1]);
    else if (key == "--hours")
      hours = std::atof(argv[i + 1]);
  }
  const Scenario sc = scaled_quickstart(devices, hours, cell_devices);
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t samples = 0;
  if (mode == "plain")
    samples = plain_loop(sc);
  else if (mode == "devices")
    samples = devices_loop(sc);
  else {
    RunOptions opt;
    opt.schedule = parse_schedule(mode);
    for (const auto& d : run_scenario(sc, opt).devices) samples += d.samples;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("%-10s devices=%d samples=%llu wall_s=%.3f samples_per_s=%.0f peak_rss_mb=%.1f\n",
              mode.c_str(), devices, static_cast<unsigned long long>(samples), wall,
              static_cast<double>(samples) / wall, static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
