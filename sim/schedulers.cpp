#include "sim/schedulers.hpp"

#include <algorithm>
#include <cmath>
#include <queue>
#include <stdexcept>

#include "sim/drive.hpp"

namespace sg4 = simgrid::s4u;

namespace tinyfleet {

Schedule parse_schedule(const std::string& name) {
  if (name == "per-sample") return Schedule::PerSample;
  if (name == "calendar") return Schedule::Calendar;
  throw std::invalid_argument("unknown schedule '" + name + "' (known: calendar, per-sample)");
}

namespace {
void sleep_to(double t) {
  if (t > sg4::Engine::get_clock()) sg4::this_actor::sleep_until(t);
}

// One device's life as its own actor: at each of its local events or reports
// it is brought up to SimGrid's clock. (The CPU time of a step is in the
// device's cost model; the actor does not block on it, so a report is never
// submitted later than its time, which keeps the gateway's traffic identical
// to the calendar's.) The fleet server may advance it too during a round,
// always to the clock, so waking to find the work done is harmless.
void live_per_sample(Device* d, Gateway* gateway) {
  for (;;) {
    const double next = std::min(d->next_local_time(), d->next_status_time());
    if (next == kNever) break;
    sleep_to(next);
    drive_device(*d, sg4::Engine::get_clock(), *gateway);
  }
  // Every schedule ends its actors at the end of the run, so reports still
  // on air are cut at the same instant.
  sleep_to(d->setup().end_s);
  d->finish();
}

// When a device next meets the network: its next report. A device whose
// alarm goes out at once can interact at any of its local events, so it is
// visited at each (the driver's cost, not SimGrid's).
double next_visit(const Device& d) {
  const double report = d.next_status_time();
  return d.sends_alarms_immediately() && d.alive() ? std::min(report, d.next_local_time()) : report;
}

// Ends a cell's run: the local work left after the last report.
void finish_cell(const std::vector<Device*>& cell, Gateway* gateway, double end_s) {
  for (Device* d : cell) {
    drive_device(*d, end_s, *gateway);
    d->advance_to(kNever);
    d->finish();
  }
  sleep_to(end_s);
}

// A cell without a fleet server: nothing reaches a device from the network,
// so the driver wakes once per kFreeHorizon and runs each device, in cell
// order (the order they were allocated in), through all its reports of the
// horizon in one visit — its state is fetched into the cache once per
// horizon, not once per report. The gateway gets each report stamped with its
// own time and airs it in its own slot.
void run_free_cell(std::vector<Device*> cell, Gateway* gateway, double end_s) {
  double first = kNever;
  for (const Device* d : cell) first = std::min(first, next_visit(*d));
  while (first != kNever) {
    const double horizon_start = std::floor(first / kFreeHorizon) * kFreeHorizon;
    const double horizon_end = horizon_start + kFreeHorizon;
    sleep_to(horizon_start);
    first = kNever;
    for (Device* d : cell) {
      for (double t = next_visit(*d); t < horizon_end; t = next_visit(*d))
        drive_device(*d, t, *gateway);
      first = std::min(first, next_visit(*d));
    }
  }
  finish_cell(cell, gateway, end_s);
}

// A cell with a fleet server, driven from a calendar of its devices' next
// reports: each device runs all its local work up to its report in one call.
// The driver wakes once per horizon of kDriverHorizon seconds and hands the
// gateway every report of that horizon (each stamped with its own time; the
// gateway airs it in its own slot), so SimGrid sees one wake-up per horizon
// instead of one per report. A report later than the server's safe time
// waits: until the announced session starts, or, while one runs, until the
// clock reaches the report.
void run_server_cell(std::vector<Device*> cell, Gateway* gateway, double end_s,
                     const InteractionBarrier& barrier) {
  using Entry = std::pair<double, int>;  // (next visit, index in cell): ties by device order
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> calendar;
  for (std::size_t i = 0; i < cell.size(); ++i)
    if (next_visit(*cell[i]) != kNever) calendar.emplace(next_visit(*cell[i]), static_cast<int>(i));
  while (!calendar.empty()) {
    const double horizon_start = std::floor(calendar.top().first / kDriverHorizon) * kDriverHorizon;
    const double horizon_end = horizon_start + kDriverHorizon;
    sleep_to(horizon_start);
    while (!calendar.empty() && calendar.top().first < horizon_end) {
      const auto [t, i] = calendar.top();
      const double safe = barrier.safe_time();
      if (t > safe) {
        sleep_to(safe > sg4::Engine::get_clock() ? safe : t);
        continue;
      }
      calendar.pop();
      Device& d = *cell[static_cast<std::size_t>(i)];
      drive_device(d, t, *gateway);  // its report at t too (unless someone else sent it)
      if (next_visit(d) != kNever) calendar.emplace(next_visit(d), i);
    }
  }
  // What is left is local work; it may still be reached by a broadcast, so it
  // is done only at the end.
  sleep_to(end_s);
  finish_cell(cell, gateway, end_s);
}
}  // namespace

void start_per_sample(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                      Gateways& gateways, const InteractionBarrier*) {
  if (devices.size() > static_cast<std::size_t>(kMaxPerSampleDevices))
    throw std::invalid_argument(
        "the per-sample schedule runs one actor per device and stops near " +
        std::to_string(kMaxPerSampleDevices) + " devices; use --schedule calendar");
  for (auto& dev : devices) {
    Device* d = dev.get();
    Gateway* g = gateways[static_cast<std::size_t>(d->setup().cell)].get();
    sg4::Actor::create(d->setup().name, platform.devices[static_cast<std::size_t>(d->id())],
                       [d, g] { live_per_sample(d, g); });
  }
}

void start_calendar(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                    Gateways& gateways, const InteractionBarrier* barrier) {
  std::vector<std::vector<Device*>> cells(gateways.size());
  for (auto& d : devices) cells[static_cast<std::size_t>(d->setup().cell)].push_back(d.get());
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (cells[c].empty()) continue;
    const double end_s = cells[c].front()->setup().end_s;
    sg4::Actor::create("driver-" + std::to_string(c), platform.gateways[c],
                       [cell = std::move(cells[c]), g = gateways[c].get(), end_s, barrier] {
                         if (barrier)
                           run_server_cell(cell, g, end_s, *barrier);
                         else
                           run_free_cell(cell, g, end_s);
                       });
  }
}

}  // namespace tinyfleet
