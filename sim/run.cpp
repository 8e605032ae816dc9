#include "sim/run.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <simgrid/s4u.hpp>

#include "sim/fleet.hpp"
#include "sim/fleet_server.hpp"
#include "sim/platform.hpp"

namespace sg4 = simgrid::s4u;

namespace tinyfleet {
namespace {

// CM02: no latency/bandwidth correction factors (the default LV08 multiplies
// latency by 13, ../shared/reference/mcu.md §1.6). No cross-traffic: SimGrid
// would add a reverse flow per transfer for TCP acknowledgements, which a radio
// report does not have. Quiet logs.
std::vector<std::string> engine_args() {
  return {"tinyfleet", "--cfg=network/model:CM02", "--cfg=network/crosstraffic:0",
          "--log=root.thres:warning", "--log=xbt_cfg.thres:warning"};
}

void install_progress_bar(double end_s) {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  sg4::Engine::on_time_advance_cb([end_s, last](double) {
    const auto now = std::chrono::steady_clock::now();
    if (now - *last < std::chrono::milliseconds(100)) return;
    *last = now;
    const double f = std::min(1.0, sg4::Engine::get_clock() / end_s);
    const int width = 40, filled = static_cast<int>(f * width);
    std::printf("\r[%s%s] %3.0f%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), f * 100);
    std::fflush(stdout);
  });
}

template <class T, class Key>
void merge_sorted(std::vector<T>& all, Key key) {
  std::stable_sort(all.begin(), all.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

}  // namespace

RunResults run_scenario(const Scenario& scenario, const RunOptions& options) {
  auto args = engine_args();
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());

  // Same tick count as each device computes (sim/device.cpp).
  const auto ticks = static_cast<std::size_t>(scenario.duration_s / scenario.output.every_s + 1e-9);
  auto curves =
      std::make_unique<GroupCurves>(scenario.groups.size(), ticks, scenario.output.every_s);
  auto setups = plan_fleet(scenario, curves.get());
  const int cells = cell_count(scenario);
  const Platform platform = build_platform(setups, cells);
  auto devices = build_devices(std::move(setups));
  Gateways gateways;
  for (int c = 0; c < cells; ++c) {
    gateways.push_back(std::make_unique<Gateway>(platform.gateways[static_cast<std::size_t>(c)],
                                                 platform.devices, scenario.network));
    gateways.back()->start();
  }
  std::unique_ptr<FleetServer> server;
  if (scenario.federation.enabled || scenario.fleet_detector.enabled) {
    server = std::make_unique<FleetServer>(scenario, devices, platform, gateways);
    server->start();
  }
  if (options.schedule == Schedule::PerSample)
    start_per_sample(devices, platform, gateways, server.get());
  else
    start_calendar(devices, platform, gateways, server.get());
  if (options.progress) install_progress_bar(scenario.duration_s);
  engine.run();
  if (options.progress) std::printf("\r%60s\r", "");

  RunResults r;
  r.sim_end_s = sg4::Engine::get_clock();
  for (const auto& g : gateways) r.network = Gateway::combine(r.network, g->stats());
  r.curves = std::move(*curves);
  r.per_device = keeps_per_device_outputs(scenario);
  // The fleet server's results first: they may read the devices, which are
  // then released one by one as their totals are taken (the totals of 100 000
  // devices would otherwise sit beside the devices at the run's peak memory).
  if (server) {
    r.fleet = server->results();
    auto& ev = server->events();
    r.events.insert(r.events.end(), ev.begin(), ev.end());
  }
  std::size_t overhead = 0;
  const std::size_t fleet_size = devices.size();
  r.devices.reserve(fleet_size);
  for (auto& d : devices) {
    r.devices.push_back(d->totals());
    overhead += d->overhead_bytes();
    auto& ev = d->events();
    r.events.insert(r.events.end(), ev.begin(), ev.end());
    auto& rows = d->metric_rows();
    r.rows.insert(r.rows.end(), rows.begin(), rows.end());
    d.reset();
  }
  r.overhead_bytes_per_device = fleet_size == 0 ? 0 : overhead / fleet_size;
  // Devices log in their own time order; a stable sort by (time, device) keeps
  // each device's order of occurrence and is independent of the schedule.
  merge_sorted(r.events, [](const Event& e) { return std::make_pair(e.t, e.device); });
  merge_sorted(r.rows, [](const MetricRow& m) { return std::make_tuple(m.t, m.device, m.metric); });
  return r;
}

}  // namespace tinyfleet
