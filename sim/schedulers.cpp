#include "sim/schedulers.hpp"

#include <cmath>
#include <queue>
#include <stdexcept>

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

// Sends the device's due status report through its cell's gateway, stamped
// with the time it goes on air (the device's own clock, not SimGrid's).
void report(Device& d, Gateway& gateway) {
  const Device::Report r = d.send_status();
  if (r.bytes > 0) gateway.submit({r.on_air_s, d.id(), r.bytes});
}

// One device's life as its own actor: every local event is a step at its own
// simulated time. (The CPU time of a step is in the device's cost model; the
// actor does not block on it, so a report is never submitted later than its
// time, which keeps the gateway's traffic identical to the calendar's.)
void live_per_sample(Device* d, Gateway* gateway) {
  for (;;) {
    const double local = d->next_local_time();
    const double status = d->next_status_time();
    if (local == kNever && status == kNever) break;
    if (local <= status) {  // ties: local work first, then the report (as advance_to)
      sleep_to(local);
      d->step();
    } else {
      sleep_to(status);
      report(*d, *gateway);
    }
  }
  // Every schedule ends its actors at the end of the run, so reports still
  // on air are cut at the same instant.
  sleep_to(d->setup().end_s);
  d->finish();
}

// A cell's devices driven from a calendar of their next reports: each device
// runs all its local work up to its report in one call. The driver wakes once
// per horizon of kDriverHorizon seconds and hands the gateway every report of
// that horizon (each stamped with its own time; the gateway airs it in its own
// slot), so SimGrid sees one wake-up per horizon instead of one per report.
void drive_cell(std::vector<Device*> cell, Gateway* gateway, double end_s) {
  using Entry = std::pair<double, int>;  // (next report time, index in cell): ties by device order
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> calendar;
  for (std::size_t i = 0; i < cell.size(); ++i)
    if (cell[i]->next_status_time() != kNever)
      calendar.emplace(cell[i]->next_status_time(), static_cast<int>(i));
  while (!calendar.empty()) {
    const double horizon_start = std::floor(calendar.top().first / kDriverHorizon) * kDriverHorizon;
    const double horizon_end = horizon_start + kDriverHorizon;
    sleep_to(horizon_start);
    while (!calendar.empty() && calendar.top().first < horizon_end) {
      const auto [t, i] = calendar.top();
      calendar.pop();
      Device& d = *cell[static_cast<std::size_t>(i)];
      d.advance_to(t);
      if (d.next_status_time() != t) continue;  // died meanwhile
      report(d, *gateway);
      if (d.next_status_time() != kNever) calendar.emplace(d.next_status_time(), i);
    }
  }
  for (Device* d : cell) {
    d->advance_to(kNever);
    d->finish();
  }
  sleep_to(end_s);
}
}  // namespace

void start_per_sample(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                      Gateways& gateways) {
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
                    Gateways& gateways) {
  std::vector<std::vector<Device*>> cells(gateways.size());
  for (auto& d : devices) cells[static_cast<std::size_t>(d->setup().cell)].push_back(d.get());
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (cells[c].empty()) continue;
    const double end_s = cells[c].front()->setup().end_s;
    sg4::Actor::create(
        "driver-" + std::to_string(c), platform.gateways[c],
        [cell = std::move(cells[c]), g = gateways[c].get(), end_s] { drive_cell(cell, g, end_s); });
  }
}

}  // namespace tinyfleet
