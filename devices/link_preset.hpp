#pragma once
// Radio link presets: what one message costs on air. Figures and sources in
// link_preset.cpp (../shared/reference/mcu.md §3.3).
#include <string>
#include <string_view>
#include <vector>

namespace tinyfleet {

struct LinkPreset {
  std::string name;
  double bandwidth_bps = 0;  // PHY rate used for airtime
  double latency_s = 0;      // one-way propagation + stack latency
  int header_bytes = 0;      // per-message framing added to the payload
  double wakeup_s = 0;       // radio ramp-up / connection event overhead per message
  std::string source;
  // Airtime of one message with `payload` bytes.
  double airtime_s(double payload) const {
    return wakeup_s + (payload + header_bytes) * 8.0 / bandwidth_bps;
  }
};

const std::vector<LinkPreset>& link_presets();
const LinkPreset* find_link_preset(std::string_view name);
// One listing line for the CLI: name, kbps, latency, header bytes, wakeup.
std::string describe_link_preset(const LinkPreset& l);

}  // namespace tinyfleet
