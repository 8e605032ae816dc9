#include "sim/platform.hpp"

#include <string>

namespace sg4 = simgrid::s4u;

namespace tinyfleet {
namespace {
void add_radio(sg4::NetZone* zone, sg4::Host* host, const std::string& name, double bandwidth_bps,
               double latency_s) {
  // SimGrid link bandwidths are in bytes per second; link presets give bit/s.
  auto* radio =
      zone->create_link(name + "-radio", bandwidth_bps / 8.0)->set_latency(latency_s)->seal();
  zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(radio)}, true);
}
}  // namespace

Platform build_platform(const std::vector<DeviceSetup>& setups, int cells) {
  Platform p;
  auto* zone = sg4::create_star_zone("fleet");
  p.devices.reserve(setups.size());
  for (const auto& s : setups) {
    auto* host = zone->create_host(s.name, s.profile->clock_hz);
    add_radio(zone, host, s.name, s.link->bandwidth_bps, s.link->latency_s);
    p.devices.push_back(host);
  }
  for (int c = 0; c < cells; ++c) {
    const std::string name = "gateway-" + std::to_string(c);
    auto* host = zone->create_host(name, 1e9);
    // The gateway's radio has the devices' PHY rate: the reports it receives
    // share it. One radio hop: the latency is on the device side only.
    if (!setups.empty()) add_radio(zone, host, name, setups.front().link->bandwidth_bps, 0.0);
    p.gateways.push_back(host);
  }
  zone->seal();
  return p;
}

}  // namespace tinyfleet
