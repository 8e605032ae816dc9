#include "sim/platform.hpp"

namespace sg4 = simgrid::s4u;

namespace tinyfleet {

Platform build_platform(const std::vector<DeviceSetup>& setups) {
  Platform p;
  auto* zone = sg4::create_star_zone("fleet");
  p.gateway = zone->create_host("gateway", 1e9);
  p.devices.reserve(setups.size());
  for (const auto& s : setups) {
    auto* host = zone->create_host(s.name, s.profile->clock_hz);
    auto* link = zone->create_link(s.name + "-radio", s.link->bandwidth_bps)
                     ->set_latency(s.link->latency_s)
                     ->seal();
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(link)},
                    true);
    p.devices.push_back(host);
  }
  auto* gw_link =
      zone->create_link("gateway-radio", setups.empty() ? 1e6 : setups[0].link->bandwidth_bps)
          ->set_latency(0)
          ->seal();
  zone->add_route(p.gateway->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(gw_link)},
                  true);
  zone->seal();
  return p;
}

}  // namespace tinyfleet
