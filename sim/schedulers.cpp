#include "sim/schedulers.hpp"

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

// Sends the device's due status report through the gateway.
void report(Device& d, Gateway& gateway) {
  const double t = d.next_status_time();
  const int bytes = d.send_status();
  if (bytes > 0) gateway.submit({t, d.id(), bytes});
}
}  // namespace

void start_per_sample(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                      Gateway& gateway) {
  if (devices.size() > static_cast<std::size_t>(kMaxPerSampleDevices))
    throw std::invalid_argument(
        "the per-sample schedule runs one actor per device and stops near " +
        std::to_string(kMaxPerSampleDevices) + " devices; use --schedule calendar");
  for (auto& dev : devices) {
    Device* d = dev.get();
    sg4::Actor::create(d->setup().name, platform.devices[static_cast<std::size_t>(d->id())],
                       [d, &gateway] {
                         for (;;) {
                           const double local = d->next_local_time();
                           const double status = d->next_status_time();
                           if (local == kNever && status == kNever) break;
                           // Ties: local work first, then the report (same rule as advance_to).
                           if (local <= status) {
                             sleep_to(local);
                             const double cycles = d->step();
                             if (cycles > 0) sg4::this_actor::execute(cycles);
                           } else {
                             sleep_to(status);
                             report(*d, gateway);
                           }
                         }
                         // Every schedule ends its actors at the end of the run, so
                         // reports still on air are cut at the same instant.
                         sleep_to(d->setup().end_s);
                         d->finish();
                       });
  }
}

void start_calendar(std::vector<std::unique_ptr<Device>>& devices, const Platform& platform,
                    Gateway& gateway) {
  sg4::Actor::create("fleet-driver", platform.gateway, [&devices, &gateway] {
    using Entry = std::pair<double, int>;  // (next interaction time, device id): ties by id
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> calendar;
    for (auto& d : devices)
      if (d->next_status_time() != kNever) calendar.emplace(d->next_status_time(), d->id());
    while (!calendar.empty()) {
      const auto [t, id] = calendar.top();
      calendar.pop();
      Device& d = *devices[static_cast<std::size_t>(id)];
      sleep_to(t);
      d.advance_to(t);
      if (d.next_status_time() != t) continue;  // died meanwhile
      report(d, gateway);
      if (d.next_status_time() != kNever) calendar.emplace(d.next_status_time(), id);
    }
    for (auto& d : devices) {
      d->advance_to(kNever);
      d->finish();
    }
    if (!devices.empty()) sleep_to(devices.front()->setup().end_s);
  });
}

}  // namespace tinyfleet
